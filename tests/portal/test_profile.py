"""The citizen's profile page: details checked and audited, the address built on the units in
force, a new e-mail or phone number only with the code sent to it."""

import datetime
import re

import pytest

from egov.accounts import services as accounts
from egov.accounts.models import Role, User, VerificationCode
from egov.core.models import AuditEvent
from egov.notifications.models import Notification
from egov.organizations.models import AdministrativeUnit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CCCD = "092090123456"  # Cần Thơ, a man born in 1990


@pytest.fixture
def units(province):
    def unit(code, name, kind, parent, **dates):
        return AdministrativeUnit.objects.create(
            code=code, name=name, level=3, kind=kind, parent=parent, **dates
        )

    hcm = AdministrativeUnit.objects.create(
        code="79", name="Thành phố Hồ Chí Minh", level=1, kind="thanh_pho_tw"
    )
    return {
        "ninh_kieu": unit("31135", "Phường Ninh Kiều", "phuong", province),
        "cai_khe": unit("31117", "Phường Cái Khế", "phuong", province),
        "an_hoi": unit(
            "31120", "Phường An Hội", "phuong", province, valid_to=datetime.date(2025, 6, 30)
        ),
        "sai_gon": unit("26734", "Phường Sài Gòn", "phuong", hcm),
        "hcm": hcm,
    }


def _details(**changes):
    return {
        "full_name": "Nguyễn Thị Công Dân",
        "date_of_birth": "1990-05-31",
        "citizen_id": CCCD,
        "province": "92",
        "address_unit": "31135",
        "address_street": "12 Hòa Bình",
    } | changes


def test_the_citizen_saves_their_details(client, citizen, units):
    client.force_login(citizen)
    page = client.get("/tai-khoan/thong-tin/").content.decode()
    assert 'value="Nguyễn Thị Công Dân"' in page and "Phường Ninh Kiều" in page
    assert "Phường Sài Gòn" not in page  # only the chosen province's communes are listed
    assert "Phường An Hội" not in page  # merged away in 2025
    saved = client.post("/tai-khoan/thong-tin/", _details(), follow=True)
    assert "Đã lưu thông tin của bạn" in saved.content.decode()
    citizen.refresh_from_db()
    assert citizen.date_of_birth == datetime.date(1990, 5, 31) and citizen.citizen_id == CCCD
    assert citizen.address_unit == units["ninh_kieu"]
    assert citizen.address == "12 Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ"
    event = AuditEvent.objects.get(action="accounts.profile_updated")
    assert event.after["citizen_id"] == "********3456"  # masked in the audit trail
    assert CCCD not in str(event.before) + str(event.after)
    assert event.after["address"] == citizen.address and event.actor_id == citizen.pk
    client.post("/tai-khoan/thong-tin/", _details())  # nothing changed: nothing recorded
    assert AuditEvent.objects.filter(action="accounts.profile_updated").count() == 1


def test_choosing_another_province_lists_its_communes_without_saving(client, citizen, units):
    client.force_login(citizen)
    shown = client.post(
        "/tai-khoan/thong-tin/", _details(province="79", address_unit="", show_communes="1")
    )
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Phường Sài Gòn" in page and "Phường Ninh Kiều" not in page
    citizen.refresh_from_db()
    assert citizen.date_of_birth is None
    # A commune of another province than the one chosen is refused.
    mixed = client.post("/tai-khoan/thong-tin/", _details(province="79", address_unit="31135"))
    assert "Xem các xã, phường" in mixed.content.decode()
    assert "error-summary" in mixed.content.decode()
    client.post("/tai-khoan/thong-tin/", _details(province="79", address_unit="26734"))
    citizen.refresh_from_db()
    assert citizen.address == "12 Hòa Bình, Phường Sài Gòn, Thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "999090123456"}, "citizen_id", "mã tỉnh"),
        ({"date_of_birth": "1991-01-01"}, "citizen_id", "1990"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "ngày sinh"),
        ({"full_name": "  "}, "full_name", "họ và tên"),
        ({"address_unit": "31120"}, "address_unit", ""),
    ],
)
def test_bad_details_are_refused_next_to_the_field(client, citizen, units, changes, field, words):
    client.force_login(citizen)
    response = client.post("/tai-khoan/thong-tin/", _details(**changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert errors and words in errors
    citizen.refresh_from_db()
    assert citizen.citizen_id is None and citizen.address == ""
    assert not AuditEvent.objects.filter(action="accounts.profile_updated").exists()


def test_a_citizen_id_of_another_account_is_refused(client, citizen, units):
    accounts.create_user(
        actor=None,
        username="khac",
        password=None,
        kind=User.Kind.CITIZEN,
        email="khac@example.vn",
        citizen_id=CCCD,
    )
    client.force_login(citizen)
    response = client.post("/tai-khoan/thong-tin/", _details())
    assert "đã thuộc về một tài khoản khác" in response.content.decode()


def test_an_address_from_single_sign_on_stays_until_one_is_written(client, citizen, units):
    citizen.address = "Số 1, Phường Ninh Kiều, Cần Thơ"
    citizen.save()
    client.force_login(citizen)
    assert "Số 1, Phường Ninh Kiều, Cần Thơ" in client.get("/tai-khoan/thong-tin/").content.decode()
    client.post("/tai-khoan/thong-tin/", _details(address_unit="", address_street=""))
    citizen.refresh_from_db()
    assert citizen.address == "Số 1, Phường Ninh Kiều, Cần Thơ"


def test_staff_have_no_citizen_profile(client, make_staff, agencies):
    client.force_login(make_staff("motcua", agencies["city"], Role.DESK_OFFICER))
    assert client.get("/tai-khoan/thong-tin/").status_code == 404


def _code_sent_to(destination: str) -> str:
    body = Notification.objects.filter(address=destination).latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_new_email_takes_effect_with_its_code_and_becomes_the_user_name(client, citizen):
    citizen.username = citizen.email
    citizen.save()
    client.force_login(citizen)
    sent = client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "Moi@Example.vn"})
    record = VerificationCode.objects.get(purpose="contact")
    assert sent["Location"] == f"/tai-khoan/thong-tin/lien-he/{record.public_id}/"
    citizen.refresh_from_db()
    assert citizen.email == "congdan@example.vn"  # nothing changes before the code
    code = _code_sent_to("moi@example.vn")
    wrong = client.post(sent["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "không đúng" in wrong.content.decode()
    done = client.post(sent["Location"], {"code": code}, follow=True)
    assert "hãy đăng nhập bằng địa chỉ này" in done.content.decode()
    citizen.refresh_from_db()
    assert (citizen.email, citizen.username) == ("moi@example.vn", "moi@example.vn")
    assert citizen.email_verified_at is not None
    event = AuditEvent.objects.get(action="accounts.contact_changed")
    assert event.before == {"email": "c***@example.vn"} and "moi@" not in str(event.after)
    client.post("/accounts/logout/")
    login = client.post("/accounts/login/", {"username": "moi@example.vn", "password": PASSWORD})
    assert login["Location"] == "/"


def test_a_phone_number_is_added_by_sms(client, citizen):
    client.force_login(citizen)
    client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "0912 345 678"})
    record = VerificationCode.objects.get(purpose="contact")
    assert record.channel == "sms"
    client.post(
        f"/tai-khoan/thong-tin/lien-he/{record.public_id}/", {"code": _code_sent_to("0912345678")}
    )
    citizen.refresh_from_db()
    assert citizen.phone == "0912345678" and citizen.username == "congdan"


def test_contact_change_refusals(client, citizen, db):
    other = accounts.create_user(
        actor=None,
        username="khac",
        password=None,
        kind=User.Kind.CITIZEN,
        email="khac@example.vn",
    )
    client.force_login(citizen)
    taken = client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "khac@example.vn"})
    assert "Một tài khoản khác đang dùng địa chỉ này" in taken.content.decode()
    same = client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "congdan@example.vn"})
    assert "Đây đã là địa chỉ của tài khoản bạn" in same.content.decode()
    bad = client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "12345"})
    assert "0912345678" in bad.content.decode()
    assert not VerificationCode.objects.exists()
    # Someone else's code page is not found.
    client.force_login(other)
    client.post("/tai-khoan/thong-tin/lien-he/", {"contact": "moi@example.vn"})
    record = VerificationCode.objects.get()
    client.force_login(citizen)
    assert client.get(f"/tai-khoan/thong-tin/lien-he/{record.public_id}/").status_code == 404
