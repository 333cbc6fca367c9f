"""Receipt regardless of administrative boundary (tiếp nhận không phụ thuộc địa giới hành chính,
Nghị định 118/2025/NĐ-CP): any service centre of the province, the province's or a commune's,
receives a procedure on the province's list for any competent agency; one not on the list is
refused at a foreign desk with where to hand it in."""

import datetime
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role
from egov.dossiers import counter, processing
from egov.dossiers.models import Attachment, Dossier
from egov.organizations import services as organizations
from egov.organizations.models import Agency
from tests.boundary_fixtures import list_it, make_communes
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
ANSWERS = {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}
PERSON = counter.Applicant(full_name="Võ Thị Quầy", citizen_id="092190012345", phone="0912345678")


@pytest.fixture(autouse=True)
def no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def communes(province, agencies):
    return make_communes(province, agencies["city"])


@pytest.fixture
def desk_a(communes, make_staff):
    return make_staff("motcua.a", communes["a"]["centre"], Role.DESK_OFFICER)


def scans(version):
    return [counter.Scan(version.requirements.get().pk, "to-khai.pdf", PDF)]


def intake(officer, desk, version, deciding=None, **extra):
    return counter.intake(
        officer=officer,
        desk_agency=desk,
        version=version,
        applicant=PERSON,
        answers=ANSWERS,
        scans=scans(version),
        deciding_agency=deciding,
        **extra,
    )


def test_a_listed_procedure_is_received_at_commune_a_for_commune_b_and_routed(
    catalogue, communes, desk_a, make_staff, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False)
    birth = list_it(catalogue["birth"])
    a, b = communes["a"], communes["b"]
    competent = counter.competent_agencies(a["centre"], birth)
    assert set(competent) == {a["committee"], b["committee"]}
    dossier = intake(desk_a, a["centre"], birth, deciding=b["committee"], channel="post")
    assert dossier.receiving_agency == a["centre"] and dossier.deciding_agency == b["committee"]
    assert dossier.channel == "post" and dossier.status == Dossier.Status.RECEIVED
    # The receiving desk hands it over; commune B's specialist finds it in their queue, and
    # commune A's does not.
    dossier = processing.advance(dossier, actor=desk_a, note="Đã chuyển hồ sơ giấy")
    assert dossier.current_agency == b["committee"]
    specialist_b = make_staff("cv.b", b["committee"], Role.SPECIALIST)
    specialist_a = make_staff("cv.a", a["committee"], Role.SPECIALIST)
    assert dossier in processing.work_queue(specialist_b)
    assert dossier not in processing.work_queue(specialist_a)


def test_a_procedure_not_on_the_list_is_refused_at_a_foreign_desk(
    catalogue, communes, desk_a, agencies, make_staff, province
):
    rebirth = catalogue["rebirth"]  # commune level, not on the list
    a, b = communes["a"], communes["b"]
    # Commune A's centre still receives it for its own commune ...
    assert list(counter.competent_agencies(a["centre"], rebirth)) == [a["committee"]]
    assert intake(desk_a, a["centre"], rebirth).deciding_agency == a["committee"]
    # ... but not for commune B: the message names where to hand it in.
    with pytest.raises(ValidationError) as refused:
        intake(desk_a, a["centre"], rebirth, deciding=b["committee"])
    message = str(refused.value.message_dict["deciding_agency"])
    assert "không phụ thuộc địa giới hành chính" in message
    assert "Trung tâm Phục vụ hành chính công xã, phường" in message
    # The province's centre receives provincial procedures, not an unlisted commune one.
    province_centre = organizations.save_agency(
        Agency(
            code="000.00.30.H13",
            name="Trung tâm Phục vụ hành chính công thành phố Cần Thơ",
            kind=Agency.Kind.SERVICE_CENTRE,
            parent=agencies["city"],
            unit=province,
        ),
        actor=None,
    )
    assert not counter.competent_agencies(province_centre, rebirth).exists()
    assert list(counter.competent_agencies(province_centre, catalogue["health"])) == [
        agencies["health"]
    ]
    # A provincial procedure not on the list at a commune's centre: refused, naming the desk
    # of the agency that receives it and the province's centre.
    with pytest.raises(ValidationError) as refused:
        intake(desk_a, a["centre"], catalogue["record"])
    message = str(refused.value.message_dict["deciding_agency"])
    assert agencies["city"].name in message and province_centre.name in message
    assert Dossier.objects.count() == 1
    # Once listed, commune A's centre receives it for the Department of Justice.
    record = list_it(catalogue["record"])
    dossier = intake(desk_a, a["centre"], record)
    assert dossier.deciding_agency == agencies["justice"]
    # A plain desk (not a service centre) still receives only its own procedures.
    health_desk = make_staff("yte.quay", agencies["health"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError, match="thẩm quyền"):
        intake(health_desk, agencies["health"], record)


def _text(attachment, tmp_path) -> str:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(attachment.file.read())
    return subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_code_and_receipt_of_a_cross_boundary_dossier(
    catalogue, communes, desk_a, time_machine, tmp_path
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False)
    birth = list_it(catalogue["birth"])
    a, b = communes["a"], communes["b"]
    dossier = intake(desk_a, a["centre"], birth, deciding=b["committee"])
    # Numbered by the receiving desk (its agency code), the competent agency kept beside it.
    assert dossier.code == "001.01.50.H13-261207-0001"
    assert dossier.receiving_agency == a["centre"] and dossier.deciding_agency == b["committee"]
    text = " ".join(_text(dossier.attachments.get(kind=Attachment.Kind.RECEIPT), tmp_path).split())
    assert "Trung tâm Phục vụ hành chính công phường Ninh Kiều" in text
    assert "Cơ quan có thẩm quyền giải quyết: Ủy ban nhân dân phường Cái Khế" in text
    assert "không phụ thuộc địa giới hành chính" in text
    # A dossier of the centre's own commune says nothing of the kind.
    own = intake(desk_a, a["centre"], birth, deciding=a["committee"])
    own_text = " ".join(_text(own.attachments.get(kind=Attachment.Kind.RECEIPT), tmp_path).split())
    assert "Ủy ban nhân dân phường Ninh Kiều" in own_text
    assert "không phụ thuộc địa giới hành chính" not in own_text


def test_routed_to_commune_b_and_returned_at_commune_a_or_another_centre(
    catalogue, communes, desk_a, make_staff, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False)
    birth = list_it(catalogue["birth"])
    a, b = communes["a"], communes["b"]
    specialist_b = make_staff("cv.b", b["committee"], Role.SPECIALIST)
    desk_b = make_staff("motcua.b", b["centre"], Role.DESK_OFFICER)

    def process(dossier):
        dossier = processing.advance(dossier, actor=desk_a, note="Đã chuyển hồ sơ giấy")
        assert dossier in processing.work_queue(specialist_b)
        processing.attach_result(dossier, actor=specialist_b, name="kq.pdf", data=PDF)
        dossier.refresh_from_db()
        return processing.advance(dossier, actor=specialist_b, note="Đủ điều kiện")

    # Returned at the receiving desk: commune A's centre, chosen by the applicant.
    dossier = process(intake(desk_a, a["centre"], birth, deciding=b["committee"]))
    assert dossier.current_step.action == "return" and dossier.current_agency == a["centre"]
    assert dossier in processing.work_queue(desk_a)
    assert dossier not in processing.work_queue(desk_b)
    dossier = processing.return_result(dossier, actor=desk_a)
    assert dossier.status == Dossier.Status.RETURNED
    # Collected at commune B's centre instead: B's desk returns it, A's cannot.
    other = process(
        intake(desk_a, a["centre"], birth, deciding=b["committee"], return_agency=b["centre"])
    )
    assert other.return_agency == b["centre"] and other.current_agency == b["centre"]
    assert other in processing.work_queue(desk_b)
    with pytest.raises(PermissionDenied):
        processing.return_result(other, actor=desk_a)
    assert processing.return_result(other, actor=desk_b).status == Dossier.Status.RETURNED
    # Only a desk may be chosen for a result collected at a desk, and only a service centre.
    with pytest.raises(ValidationError) as refused:
        intake(
            desk_a,
            a["centre"],
            birth,
            deciding=b["committee"],
            return_agency=b["centre"],
            result_delivery="post",
            delivery_address="Số 5 đường 30 Tháng 4",
        )
    assert "return_agency" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        intake(desk_a, a["centre"], birth, deciding=b["committee"], return_agency=b["committee"])
    assert "return_agency" in refused.value.message_dict


def test_an_online_applicant_chooses_another_centre_to_collect_the_result(
    client, citizen, catalogue, communes
):
    from egov.dossiers import services

    a, b = communes["a"], communes["b"]
    draft = services.start(applicant=citizen, version=catalogue["birth"], agency=a["committee"])
    client.force_login(citizen)
    address = f"/ho-so/{draft.public_id}/nhan-ket-qua/"
    page = client.get(address).content.decode()
    assert '<option value="Trung tâm Phục vụ hành chính công phường Cái Khế">' in page

    unknown = client.post(address, {"result_delivery": "desk", "return_desk": "Trung tâm X"})
    assert "Hãy chọn một trung tâm phục vụ hành chính công trong danh sách" in (
        unknown.content.decode()
    )
    online = client.post(
        address, {"result_delivery": "online", "return_desk": b["centre"].name}
    ).content.decode()
    assert "Chỉ chọn trung tâm khi bạn nhận kết quả tại bộ phận một cửa" in online
    draft.refresh_from_db()
    assert draft.return_agency is None

    # Accents and case do not matter; the review page and the dossier page say where.
    chosen = client.post(
        address,
        {
            "result_delivery": "desk",
            "return_desk": "trung tam phuc vu hanh chinh cong phuong cai khe",
        },
    )
    assert chosen.status_code == 302
    draft.refresh_from_db()
    assert draft.return_agency == b["centre"]
    review = client.get(f"/ho-so/{draft.public_id}/kiem-tra/").content.decode()
    assert b["centre"].name in review

    # Back to the result online: the centre is dropped.
    client.post(address, {"result_delivery": "online"})
    draft.refresh_from_db()
    assert draft.return_agency is None
