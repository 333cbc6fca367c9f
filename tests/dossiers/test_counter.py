"""Paper dossiers entered at the counter: received at once, handed over by the transfer
deadline (the 15:00 rule), routed by a service centre, all or nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role, User
from egov.dossiers import counter, processing
from egov.dossiers.models import Attachment, Dossier
from egov.organizations import services as organizations
from egov.organizations.models import Agency
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
ANSWERS = {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}
PERSON = counter.Applicant(
    full_name="Võ Thị Quầy", citizen_id="092190012345", phone="0912345678", address="Ninh Kiều"
)


@pytest.fixture(autouse=True)
def no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def desk(make_staff, agencies):
    return make_staff("quay", agencies["city"], Role.DESK_OFFICER)


def scans(version):
    return [counter.Scan(version.requirements.get().pk, "to-khai.pdf", PDF)]


def test_a_paper_dossier_is_received_and_waits_to_be_handed_over(
    desk, record_version, agencies, make_staff, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 15, 30, tzinfo=VN), tick=False)  # Fri
    dossier = counter.intake(
        officer=desk,
        desk_agency=agencies["city"],
        version=record_version,
        applicant=PERSON,
        answers=ANSWERS,
        scans=scans(record_version),
    )
    assert dossier.code.startswith("000.00.00.H13-261204-")
    assert dossier.channel == "desk" and dossier.status == Dossier.Status.RECEIVED
    assert dossier.deciding_agency == agencies["justice"]
    assert dossier.attachments.filter(kind=Attachment.Kind.RECEIPT).exists()
    assert dossier.applicant.citizen_id == PERSON.citizen_id
    assert dossier.applicant_name == "Võ Thị Quầy" and not dossier.applicant.has_usable_password()
    # Received after 15:00 on a Friday: to be handed over by Monday's closing.
    assert dossier.current_step.action == "receive" and dossier.current_role == Role.DESK_OFFICER
    assert dossier.step_due_at == datetime.datetime(2026, 12, 7, 17, 0, tzinfo=VN)
    assert dossier in processing.work_queue(desk)
    time_machine.move_to(datetime.datetime(2026, 12, 7, 8, 0, tzinfo=VN), tick=False)
    dossier = processing.advance(dossier, actor=desk, note="Đã chuyển hồ sơ giấy")
    assert dossier.status == Dossier.Status.IN_PROGRESS
    assert dossier.current_agency == agencies["justice"]
    specialist = make_staff("cv", agencies["justice"], Role.SPECIALIST)
    assert dossier in processing.work_queue(specialist)
    # The applicant is recognised by the CCCD the next time.
    again = counter.intake(
        officer=desk,
        desk_agency=agencies["city"],
        version=record_version,
        applicant=counter.Applicant(full_name="Võ Thị Quầy", citizen_id=PERSON.citizen_id),
        answers=ANSWERS,
        scans=scans(record_version),
    )
    assert again.applicant == dossier.applicant
    assert again.code.endswith("-261207-0001")  # numbering restarts each day


def test_nothing_is_kept_when_a_paper_is_missing_or_wrong(desk, record_version, agencies):
    for bad_scans, field in (([], "scans"), ([counter.Scan(0, "x.pdf", PDF)], None)):
        with pytest.raises(ValidationError) as refused:
            counter.intake(
                officer=desk,
                desk_agency=agencies["city"],
                version=record_version,
                applicant=PERSON,
                answers=ANSWERS,
                scans=bad_scans,
            )
        if field:
            assert "Quét" in str(refused.value.message_dict[field])
    gif = b"GIF89a" + b"0" * 50
    wrong_type = [counter.Scan(record_version.requirements.get().pk, "a.pdf", gif)]
    with pytest.raises(ValidationError):
        counter.intake(
            officer=desk,
            desk_agency=agencies["city"],
            version=record_version,
            applicant=PERSON,
            answers={"ho_ten_tre": ""},
            scans=wrong_type,
        )
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    assert not User.objects.filter(citizen_id=PERSON.citizen_id).exists()


def test_only_the_desk_of_a_competent_agency_or_a_service_centre(
    desk, record_version, catalogue, agencies, make_staff, province
):
    health_desk = make_staff("ytequay", agencies["health"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError, match="thẩm quyền"):
        counter.intake(
            officer=health_desk,
            desk_agency=agencies["health"],
            version=record_version,
            applicant=PERSON,
            answers=ANSWERS,
            scans=scans(record_version),
        )
    with pytest.raises(PermissionDenied):  # the city's officer at Health's counter
        counter.intake(
            officer=desk,
            desk_agency=agencies["health"],
            version=catalogue["health"],
            applicant=PERSON,
            answers=ANSWERS,
            scans=scans(catalogue["health"]),
        )
    centre = organizations.save_agency(
        Agency(
            code="000.00.99.H13",
            name="Trung tâm Phục vụ hành chính công",
            kind=Agency.Kind.SERVICE_CENTRE,
            parent=agencies["city"],
            unit=province,
        ),
        actor=None,
    )
    officer = make_staff("trungtam", centre, Role.DESK_OFFICER)
    dossier = counter.intake(
        officer=officer,
        desk_agency=centre,
        version=catalogue["health"],
        applicant=PERSON,
        answers=ANSWERS,
        scans=scans(catalogue["health"]),
        channel="post",
    )
    assert dossier.code.startswith("000.00.99.H13-")
    assert dossier.receiving_agency == centre and dossier.deciding_agency == agencies["health"]
    assert dossier.channel == "post"
