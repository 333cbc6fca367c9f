"""The dossier's way through its workflow after receipt: who may act, sub-deadlines, supplements
that restart the clock, pauses, results, return, with the clock moved by the tests."""

import datetime
import io
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.accounts.models import Role
from egov.core import calendar
from egov.core.models import AuditEvent
from egov.dossiers import processing, reception, services, transitions
from egov.dossiers.models import Attachment, Dossier, DossierStep
from egov.notifications.models import Notification
from tests.dossiers.conftest import MONDAY, PDF

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.datetime, hour: int, minute: int = 0) -> datetime.datetime:
    return day.replace(hour=hour, minute=minute)


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_an_online_dossier_goes_straight_to_the_competent_agency(received, agencies):
    assert received.status == Dossier.Status.IN_PROGRESS
    assert received.deciding_agency == agencies["justice"]
    assert received.current_step.code == "xu-ly"
    assert received.current_agency == agencies["justice"]
    assert received.current_role == Role.SPECIALIST
    assert received.due_at == calendar.add_working_time(MONDAY, days=8)
    # The step's own sub-deadline is its share of the limit, from when it began.
    assert received.step_due_at == calendar.add_working_time(MONDAY, days=4)
    receive_row, process_row = received.steps.all()
    assert receive_row.outcome == DossierStep.Outcome.NEXT and receive_row.finished_at == MONDAY
    assert process_row.finished_at is None and process_row.agency == agencies["justice"]


def test_the_whole_way_to_the_citizen(received, people, agencies, time_machine):
    specialist, leader, desk, health = (
        people["specialist"],
        people["leader"],
        people["desk"],
        people["health"],
    )
    dossier = processing.take(received, actor=specialist, revision=received.revision)
    assert dossier.assignee == specialist
    time_machine.move_to(at(MONDAY, 14), tick=False)
    dossier = processing.advance(dossier, actor=specialist, note="Đủ điều kiện")
    # Consultation in Health, with its own two-day sub-deadline from the hand-over.
    assert dossier.current_agency == agencies["health"]
    assert dossier.step_due_at == calendar.add_working_time(at(MONDAY, 14), days=2)
    with pytest.raises(PermissionDenied):
        processing.advance(dossier, actor=specialist)
    dossier = processing.advance(dossier, actor=health, note="Thống nhất")
    assert dossier.current_step.code == "duyet" and dossier.current_role == Role.LEADER
    with pytest.raises(ValidationError, match="kết quả"):
        processing.advance(dossier, actor=leader)  # no result document yet
    processing.attach_result(dossier, actor=leader, name="qd.pdf", data=PDF)
    dossier = processing.advance(fresh(dossier), actor=leader)
    assert dossier.status == Dossier.Status.RESULT_READY and dossier.decided_at
    assert dossier.current_agency == agencies["city"]  # back to the desk that received it
    assert Notification.objects.filter(event="dossier.result_ready").exists()
    dossier = processing.return_result(dossier, actor=desk)
    assert dossier.status == Dossier.Status.RETURNED and dossier.returned_at
    assert dossier.current_step is None and dossier.assignee is None
    sheet = list(dossier.steps.values_list("step__code", "agency__code", "outcome"))
    assert sheet == [
        ("nhan", "000.00.00.H13", "next"),
        ("xu-ly", "000.00.03.H13", "next"),
        ("y-kien", "000.00.10.H13", "next"),
        ("duyet", "000.00.03.H13", "next"),
        ("tra", "000.00.00.H13", "returned"),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dossiers.advanced", "dossiers.result_attached", "dossiers.returned"} <= actions


def test_roles_and_agencies_are_checked(received, people):
    # A specialist of another agency, the desk officer, a citizen: none may process it.
    for outsider in (people["city_specialist"], people["desk"], people["health"]):
        with pytest.raises(PermissionDenied):
            processing.advance(received, actor=outsider)
    dossier = processing.take(received, actor=people["specialist"])
    # Once assigned, a colleague may not act; a head of unit may step in.
    with pytest.raises(PermissionDenied):
        processing.advance(dossier, actor=people["colleague"])
    assert processing.may_act(people["head"], fresh(dossier)) is False  # not a specialist
    with pytest.raises(PermissionDenied):
        processing.take(fresh(dossier), actor=people["city_specialist"])


def test_a_head_of_unit_assigns_and_reassigns(received, people):
    dossier = processing.assign(received, actor=people["head"], assignee=people["colleague"])
    assert dossier.assignee == people["colleague"]
    assert dossier.steps.get(finished_at__isnull=True).assignee == people["colleague"]
    with pytest.raises(ValidationError):  # a health specialist cannot process for Justice
        processing.assign(fresh(dossier), actor=people["head"], assignee=people["health"])
    with pytest.raises(PermissionDenied):  # a specialist does not assign
        processing.assign(fresh(dossier), actor=people["specialist"], assignee=people["specialist"])
    assert dossier in processing.work_queue(people["colleague"])
    assert dossier not in processing.work_queue(people["specialist"])
    assert dossier not in processing.to_assign(people["head"])


def test_two_officers_at_once_one_wins(received, people):
    seen = received.revision
    processing.take(received, actor=people["specialist"], revision=seen)
    with pytest.raises(transitions.StaleDossier):
        processing.take(received, actor=people["colleague"], revision=seen)
    assert fresh(received).assignee == people["specialist"]


def test_a_supplement_during_processing_restarts_the_time_limit(
    received, people, citizen, time_machine
):
    specialist = people["specialist"]
    time_machine.move_to(at(MONDAY, 10), tick=False)
    request = processing.request_supplement(
        received, actor=specialist, items=["Bản sao hợp đồng"], note="Thiếu trang 2"
    )
    dossier = fresh(received)
    assert dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED
    assert dossier.attachments.filter(kind=Attachment.Kind.FORM, original_name__endswith="-02.pdf")
    assert dossier not in processing.work_queue(specialist)
    # The citizen answers ten days later, across a weekend.
    answered = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=VN)
    time_machine.move_to(answered, tick=False)
    services.attach(
        dossier,
        applicant=citizen,
        requirement_id=dossier.procedure_version.requirements.get().pk,
        name="bo-sung.pdf",
        data=PDF,
    )
    dossier = reception.answer_supplement(dossier, applicant=citizen)
    assert dossier.status == Dossier.Status.IN_PROGRESS
    assert dossier.due_at == calendar.add_working_time(answered, days=8)  # from the beginning
    assert dossier.current_step.code == "xu-ly" and dossier.step_due_at > answered
    request.refresh_from_db()
    assert request.answered_at == answered


def test_a_pause_stops_the_clock(received, people, time_machine):
    received.procedure_version.workflow_transitions.filter(kind="pause").exists() or pytest.fail(
        "the default workflow allows a pause while processing"
    )
    due, step_due = received.due_at, received.step_due_at
    time_machine.move_to(at(MONDAY, 10), tick=False)
    dossier = processing.pause(received, actor=people["specialist"], reason="Chờ xác minh")
    with pytest.raises(ValidationError, match="tạm dừng"):
        processing.advance(dossier, actor=people["specialist"])
    # Resumed the next day at 10:00: eight working hours went by.
    time_machine.move_to(at(MONDAY + datetime.timedelta(days=1), 10), tick=False)
    dossier = processing.resume(dossier, actor=people["specialist"])
    assert dossier.status == Dossier.Status.IN_PROGRESS
    assert dossier.due_at == calendar.add_working_time(due, hours=Decimal(8))
    assert dossier.step_due_at == calendar.add_working_time(step_due, hours=Decimal(8))


def test_a_refusal_during_processing_is_the_result(received, people, tmp_path):
    with pytest.raises(ValidationError):
        processing.refuse(received, actor=people["specialist"], reason="  ")
    dossier = processing.refuse(
        received, actor=people["specialist"], reason="Người yêu cầu không thuộc diện được cấp."
    )
    assert dossier.status == Dossier.Status.REFUSED and dossier.current_step is None
    notice = dossier.attachments.get(kind=Attachment.Kind.RESULT)
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Người yêu cầu không thuộc diện được cấp." in text
    assert Notification.objects.filter(event="dossier.refused").exists()


def test_an_approver_sends_a_draft_back(received, people):
    dossier = processing.take(received, actor=people["specialist"])
    dossier = processing.advance(dossier, actor=people["specialist"])
    dossier = processing.advance(dossier, actor=people["health"])
    with pytest.raises(ValidationError):
        processing.send_back(dossier, actor=people["leader"], note="")
    dossier = processing.send_back(dossier, actor=people["leader"], note="Sửa căn cứ pháp lý")
    assert dossier.current_step.code == "xu-ly"
    assert dossier.assignee == people["specialist"]  # back to whoever drafted it


def test_paper_dossiers_after_three_pm_are_handed_over_the_next_working_day():
    friday = datetime.datetime(2026, 12, 4, tzinfo=VN)
    closing = datetime.time(17, 0)
    assert processing.transfer_deadline(at(friday, 14, 59)).time() == closing
    assert processing.transfer_deadline(at(friday, 14, 59)).date() == friday.date()
    # After 15:00 on a Friday: Monday.
    assert processing.transfer_deadline(at(friday, 15, 1)).date() == datetime.date(2026, 12, 7)
    # Before Tết 2027 (holiday 5–11 February, an assumption checked against the calendar).
    eve = datetime.datetime(2027, 2, 4, 16, 0, tzinfo=VN)
    handed = processing.transfer_deadline(eve).date()
    assert handed > datetime.date(2027, 2, 4) and calendar.is_working_day(handed)
    assert all(
        not calendar.is_working_day(datetime.date(2027, 2, 4) + datetime.timedelta(days=n))
        for n in range(1, (handed - datetime.date(2027, 2, 4)).days)
    )


def test_deadline_states(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    assert processing.deadline_state(MONDAY - datetime.timedelta(minutes=1)) == "overdue"
    assert processing.deadline_state(at(MONDAY, 16)) == "due_soon"
    assert processing.deadline_state(MONDAY + datetime.timedelta(days=3)) == "on_time"


def test_withdrawal_closes_the_open_step(received, citizen):
    dossier = services.withdraw(received, applicant=citizen, reason="Không còn nhu cầu")
    assert dossier.current_step is None
    assert dossier.steps.get(finished_at__isnull=False, outcome="withdrawn")


def test_a_result_drafted_from_the_declaration_and_signed(
    received, people, agencies, import_agency_certificate, agency_issued, tmp_path, time_machine
):
    # The session's certificates are issued at the real time, which may come after the fixed
    # date the dossier was received on: sign once both are in force.
    issued = agency_issued["rsa2048"].certificate.not_valid_before_utc
    time_machine.move_to(max(timezone.now(), issued + datetime.timedelta(minutes=10)), tick=False)
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    specialist, leader = people["specialist"], people["leader"]
    dossier = processing.take(received, actor=specialist)
    dossier = processing.advance(dossier, actor=specialist)
    dossier = processing.advance(dossier, actor=people["health"])
    with pytest.raises(PermissionDenied):  # a specialist may not sign with the agency's key
        processing.generate_result(dossier, actor=specialist, certificate=certificate)
    result = processing.generate_result(dossier, actor=leader, certificate=certificate)
    data = result.file.read()
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    path = tmp_path / "result.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert received.code in text and "Nguyễn Văn An" in text
    # A second draft replaces the first.
    processing.generate_result(Dossier.objects.get(pk=received.pk), actor=leader)
    assert received.attachments.filter(kind=Attachment.Kind.RESULT).count() == 1
