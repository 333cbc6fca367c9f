"""Sign-up and password reset with a one-time code through the notifications outbox."""

import re

import pytest
from django.core.exceptions import ValidationError

from egov.accounts import signup
from egov.accounts.models import User, VerificationCode
from egov.notifications.models import Notification
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _code_sent_to(destination: str) -> str:
    message = Notification.objects.filter(
        event="accounts.verification_code", address=destination
    ).latest("id")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_sign_up_by_email_then_sign_in(client):
    page = client.post(
        "/tai-khoan/dang-ky/",
        {
            "full_name": "Lê Thị Cúc",
            "contact": "Cuc.Le@Example.vn",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    record = VerificationCode.objects.get()
    assert page["Location"] == f"/tai-khoan/dang-ky/{record.public_id}/"
    code = _code_sent_to("cuc.le@example.vn")
    assert record.digest != code and code not in str(record.payload)
    wrong = client.post(page["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "không đúng" in wrong.content.decode()
    done = client.post(page["Location"], {"code": code})
    assert done["Location"] == "/"
    user = User.objects.get(username="cuc.le@example.vn")
    assert (user.kind, user.full_name, user.email) == ("citizen", "Lê Thị Cúc", "cuc.le@example.vn")
    assert user.email_verified_at is not None and user.check_password(PASSWORD)
    client.post("/accounts/logout/")
    login = client.post("/accounts/login/", {"username": "cuc.le@example.vn", "password": PASSWORD})
    assert login["Location"] == "/"
    again = client.post(page["Location"], {"code": code})  # a used code
    assert "hết hạn" in again.content.decode()


def test_sign_up_by_phone_goes_by_sms():
    record = signup.start_sign_up(
        full_name="Phan Văn Đông", contact="+84 912 345 678", password=PASSWORD
    )
    assert (record.channel, record.destination) == ("sms", "0912345678")
    message = Notification.objects.get(event="accounts.verification_code")
    assert message.channel == "sms"
    user = signup.confirm_sign_up(record, _code_sent_to("0912345678"))
    assert user.phone == "0912345678" and user.phone_verified_at


def test_refusals():
    with pytest.raises(ValidationError) as info:
        signup.start_sign_up(full_name="A", contact="12345", password=PASSWORD)
    assert "contact" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        signup.start_sign_up(full_name="A", contact="a@example.vn", password="123")
    assert "password" in info.value.message_dict
    signup.start_sign_up(full_name="A", contact="a@example.vn", password=PASSWORD)
    with pytest.raises(ValidationError) as info:  # a second code within a minute
        signup.start_sign_up(full_name="A", contact="a@example.vn", password=PASSWORD)
    assert "contact" in info.value.message_dict


def test_five_wrong_codes_burn_the_code():
    record = signup.start_sign_up(full_name="A", contact="b@example.vn", password=PASSWORD)
    code = _code_sent_to("b@example.vn")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            signup.confirm_sign_up(record, wrong)
    with pytest.raises(ValidationError):
        signup.confirm_sign_up(record, code)  # even the right one now
    assert not User.objects.filter(username="b@example.vn").exists()


def test_password_reset_without_telling_who_has_an_account(client, citizen):
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"contact": "nobody@example.vn"})
    known = client.post("/tai-khoan/quen-mat-khau/", {"contact": citizen.email})
    assert unknown["Location"] == known["Location"] == "/tai-khoan/dat-lai-mat-khau/"
    assert Notification.objects.filter(address="nobody@example.vn").count() == 0
    code = _code_sent_to(citizen.email)
    weak = client.post("/tai-khoan/dat-lai-mat-khau/", {"code": code, "password": "123"})
    assert "error-summary" in weak.content.decode()
    done = client.post(
        "/tai-khoan/dat-lai-mat-khau/", {"code": code, "password": "another-long-password-9"}
    )
    assert done["Location"] == "/accounts/login/"
    citizen.refresh_from_db()
    assert citizen.check_password("another-long-password-9")
