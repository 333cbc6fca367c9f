"""The desk receives (receipt form 01), asks for a supplement, or refuses; the citizen answers."""

import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role
from egov.dossiers import reception, services, worklists
from egov.dossiers.models import Attachment, Dossier
from egov.dossiers.transitions import StaleDossier
from egov.notifications.models import Notification
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(complete_draft, citizen):
    return services.submit(complete_draft, applicant=citizen)


@pytest.fixture
def officer(make_staff, agencies):
    return make_staff("motcua", agencies["city"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")


def test_receiving_issues_the_receipt_and_tells_the_citizen(submitted, officer, tmp_path):
    dossier = reception.receive(submitted, officer=officer, revision=submitted.revision)
    # Online: the desk hands it to the processing department at once.
    assert dossier.status == "in_progress" and dossier.received_at and dossier.due_at
    assert dossier.current_step.action == "process"
    assert dossier.current_agency == dossier.deciding_agency
    receipt = dossier.attachments.get(kind=Attachment.Kind.RECEIPT)
    data = receipt.file.read()
    assert data.startswith(b"%PDF") and receipt.size == len(data)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text and "Lê Thị Một Cửa" in text
    message = Notification.objects.get(event="dossier.received", channel="email")
    assert dossier.code in message.body


def test_a_neighbour_agency_cannot_act(submitted, make_staff, agencies):
    other = make_staff("khac", agencies["health"], Role.DESK_OFFICER)
    assert not worklists.queue(other, "receive").filter(pk=submitted.pk).exists()
    with pytest.raises(PermissionDenied):
        reception.receive(submitted, officer=other)


def test_two_officers_at_once_one_wins(submitted, officer, make_staff, agencies):
    second = make_staff("motcua2", agencies["city"], Role.DESK_OFFICER)
    seen = submitted.revision
    reception.receive(submitted, officer=officer, revision=seen)
    with pytest.raises(StaleDossier):
        reception.refuse(submitted, officer=second, reason="Sai thẩm quyền", revision=seen)
    submitted.refresh_from_db()
    assert submitted.status == "in_progress"


def test_supplement_round_trip(submitted, officer, citizen):
    with pytest.raises(ValidationError):
        reception.request_supplement(submitted, officer=officer, items=["  "])
    reception.request_supplement(
        submitted,
        officer=officer,
        items=["Bản sao giấy chứng sinh", "Tờ khai ký tên"],
        note="Bản nộp bị mờ",
    )
    submitted.refresh_from_db()
    assert submitted.status == "supplement"
    message = Notification.objects.get(event="dossier.supplement_requested", channel="email")
    assert "Bản sao giấy chứng sinh" in message.body
    with pytest.raises(ValidationError):  # nothing attached yet
        reception.answer_supplement(submitted, applicant=citizen)
    requirement = submitted.procedure_version.requirements.get()
    services.attach(
        submitted, applicant=citizen, requirement_id=requirement.pk, name="bo-sung.pdf", data=PDF
    )
    dossier = reception.answer_supplement(submitted, applicant=citizen)
    assert dossier.status == "submitted"
    assert dossier.attachments.filter(kind="supplement").count() == 1
    assert dossier.supplements.get().answered_at is not None


def test_refusal_needs_a_reason_and_is_sent(submitted, officer):
    with pytest.raises(ValidationError):
        reception.refuse(submitted, officer=officer, reason=" ")
    reception.refuse(submitted, officer=officer, reason="Không thuộc thẩm quyền")
    assert Dossier.objects.get(pk=submitted.pk).status == "refused"
    assert (
        "Không thuộc thẩm quyền"
        in Notification.objects.get(event="dossier.refused", channel="email").body
    )
    with pytest.raises(ValidationError):
        reception.receive(submitted, officer=officer)
