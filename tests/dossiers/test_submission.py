import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from egov.core import uploads
from egov.core.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.models import Attachment, DailySequence, Dossier
from tests.conftest import EICAR
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_submission_gets_a_code_and_an_appointment(complete_draft, citizen, time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 3, 10, 0, tzinfo=VN), tick=False)
    dossier = services.submit(complete_draft, applicant=citizen)
    assert dossier.status == Dossier.Status.SUBMITTED
    assert dossier.code == "000.00.00.H13-270203-0001"
    # 10 working days from Wednesday 3 Feb 2027, across Tết (4-10 Feb off).
    assert dossier.due_at == datetime.datetime(2027, 2, 24, 10, 0, tzinfo=VN)
    assert [e.status for e in dossier.events.all()] == ["submitted"]
    assert AuditEvent.objects.filter(action="dossiers.submitted").count() == 1


def test_online_submission_at_night_counts_from_the_next_working_morning(
    complete_draft, citizen, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 22, 0, tzinfo=VN), tick=False)  # Friday
    dossier = services.submit(complete_draft, applicant=citizen)
    assert dossier.due_at == datetime.datetime(2026, 12, 18, 17, 0, tzinfo=VN)


def test_double_submission_changes_nothing(complete_draft, citizen):
    first = services.submit(complete_draft, applicant=citizen)
    again = services.submit(complete_draft, applicant=citizen)
    assert again.code == first.code
    assert DailySequence.objects.get().last == 1


def test_codes_restart_each_day_per_agency_without_gaps(
    record_version, citizen, settings, time_machine
):
    settings.EGOV_MALWARE_SCANNER = "none"
    codes = []
    for day in (7, 7, 7, 8):
        time_machine.move_to(datetime.datetime(2026, 12, day, 9, 0, tzinfo=VN), tick=False)
        dossier = services.start(
            applicant=citizen,
            version=record_version,
            agency=services.receiving_agency_for(record_version),
        )
        services.save_answers(
            dossier,
            applicant=citizen,
            answers={"ho_ten_tre": "A", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
        )
        services.attach(
            dossier,
            applicant=citizen,
            name="a.pdf",
            data=PDF,
            requirement_id=dossier.procedure_version.requirements.get().pk,
        )
        codes.append(services.submit(dossier, applicant=citizen).code)
    assert [c[-11:] for c in codes] == ["261207-0001", "261207-0002", "261207-0003", "261208-0001"]
    assert all(re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}", c) for c in codes)


def test_incomplete_dossier_is_refused_with_what_to_do(draft, citizen):
    with pytest.raises(ValidationError) as info:
        services.submit(draft, applicant=citizen)
    # Each empty field of the form is named, then the missing paper.
    assert info.value.messages == [
        "Sửa “Họ, chữ đệm, tên của trẻ” trong tờ khai: Trường này là bắt buộc.",
        "Sửa “Ngày sinh” trong tờ khai: Trường này là bắt buộc.",
        "Sửa “Giới tính” trong tờ khai: Trường này là bắt buộc.",
        "Vui lòng đính kèm “Tờ khai”.",
    ]
    draft.refresh_from_db()
    assert draft.is_draft and draft.code is None
    assert not DailySequence.objects.exists()


def test_idempotency_key_gives_one_draft(record_version, citizen):
    agency = services.receiving_agency_for(record_version)
    first = services.start(
        applicant=citizen, version=record_version, agency=agency, idempotency_key="abc-123"
    )
    second = services.start(
        applicant=citizen, version=record_version, agency=agency, idempotency_key="abc-123"
    )
    assert first.pk == second.pk


def test_a_virus_leaves_no_trace(draft, citizen, settings, clamd_socket):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    requirement = draft.procedure_version.requirements.get()
    with pytest.raises(uploads.UploadRejected):
        services.attach(
            draft,
            applicant=citizen,
            requirement_id=requirement.pk,
            name="to-khai.pdf",
            data=PDF + EICAR,
        )
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action="dossiers.attachment_added").exists()
    from django.conf import settings as django_settings

    stored = (
        list((django_settings.MEDIA_ROOT / "dossiers").rglob("*"))
        if (django_settings.MEDIA_ROOT / "dossiers").exists()
        else []
    )
    assert not any(str(draft.public_id) in str(path) and path.is_file() for path in stored)


def test_a_submitted_dossier_cannot_be_edited(complete_draft, citizen):
    services.submit(complete_draft, applicant=citizen)
    with pytest.raises(ValidationError):
        services.save_answers(complete_draft, applicant=citizen, answers={})


def test_another_citizens_dossier_is_not_theirs(complete_draft, citizen, db):
    from egov.accounts import services as accounts

    other = accounts.create_user(
        actor=None, username="khac", password="x" * 12, kind="citizen", email="khac@example.vn"
    )
    assert not services.visible_to(other).filter(pk=complete_draft.pk).exists()
    with pytest.raises(Dossier.DoesNotExist):
        services.submit(complete_draft, applicant=other)


def test_postal_delivery_needs_an_address(draft, citizen):
    with pytest.raises(ValidationError):
        services.set_delivery(draft, applicant=citizen, result_delivery="post")
    services.set_delivery(
        draft, applicant=citizen, result_delivery="post", address="12 Hòa Bình, phường Ninh Kiều"
    )
    draft.refresh_from_db()
    assert draft.result_delivery == "post"


def test_withdrawal(complete_draft, citizen):
    with pytest.raises(ValidationError):
        services.withdraw(complete_draft, applicant=citizen, reason="Nộp nhầm")  # a draft
    dossier = services.submit(complete_draft, applicant=citizen)
    with pytest.raises(ValidationError):
        services.withdraw(dossier, applicant=citizen, reason="  ")
    dossier = services.withdraw(dossier, applicant=citizen, reason="Nộp nhầm thủ tục")
    assert dossier.status == Dossier.Status.WITHDRAWN
    assert dossier.events.last().note == "Nộp nhầm thủ tục"
    assert AuditEvent.objects.filter(action="dossiers.withdrawn").count() == 1
