"""The signing step draws the result in the version's result template (mẫu kết quả) with the
dossier's data and signs it; pdfsig validates it. An upload instead is an override, on record."""

import datetime
import io
import subprocess

import pytest
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.catalog.models import ResultTemplate
from egov.core.models import AuditEvent
from egov.dossiers import processing
from egov.dossiers.models import Attachment, Dossier
from tests.dossiers.conftest import PDF
from tests.signatures.fixtures import nss_database, pdfsig

BODY = """# Điều 1
Chấp thuận đề nghị của ông/bà **{{ ho_so.nguoi_nop }}** (hồ sơ {{ ho_so.ma }}).
| Họ, chữ đệm, tên của trẻ | {{ to_khai.ho_ten_tre }} |
| Giới tính | {{ to_khai.gioi_tinh }} |
Giấy này có hiệu lực đến ngày {{ ho_so.hieu_luc_den }}.
"""


@pytest.fixture
def templated(received):
    ResultTemplate.objects.create(
        version=received.procedure_version,
        parent_agency="UBND thành phố Cần Thơ",
        place="Cần Thơ",
        title="Giấy phép thử nghiệm",
        body=BODY,
        signer_title="Giám đốc",
        validity_months=6,
    )
    return received


def at_signing_step(dossier, people):
    specialist = people["specialist"]
    dossier = processing.take(dossier, actor=specialist)
    dossier = processing.advance(dossier, actor=specialist)
    return processing.advance(dossier, actor=people["health"])


def text_of(tmp_path, data: bytes) -> str:
    path = tmp_path / "result.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def test_the_signing_step_signs_the_result_in_the_template(
    templated,
    people,
    agencies,
    import_agency_certificate,
    agency_issued,
    dev_pki,
    tmp_path,
    time_machine,
):
    issued = agency_issued["rsa2048"].certificate.not_valid_before_utc
    time_machine.move_to(max(timezone.now(), issued + datetime.timedelta(minutes=10)), tick=False)
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    leader = people["leader"]
    dossier = at_signing_step(templated, people)
    assert dossier.current_step.action == "approve"
    result = processing.generate_result(
        dossier, actor=leader, certificate=certificate, decision_number="  27/GP-STP "
    )
    data = result.file.read()
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1
    text = text_of(tmp_path, data)
    day = timezone.localdate()
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND THÀNH PHỐ CẦN THƠ",
        agencies["justice"].name.upper(),
        "Số: 27/GP-STP",
        f"Cần Thơ, ngày {day:%d} tháng {day:%m} năm {day:%Y}",
        "GIẤY PHÉP THỬ NGHIỆM",
        f"Chấp thuận đề nghị của ông/bà {templated.applicant_name} (hồ sơ {templated.code})",
        "Nguyễn Văn An",
        "Giới tính Nam",
        "GIÁM ĐỐC",
        leader.full_name or leader.username,
    ]:
        assert expected in text, expected
    report = pdfsig(tmp_path / "result.pdf", nss_database(dev_pki, tmp_path / "nss"))
    assert "Signature is Valid." in report, report
    assert not AuditEvent.objects.filter(action="dossiers.result_template_overridden").exists()


def test_an_upload_instead_of_the_template_is_an_override_on_record(templated, people):
    dossier = at_signing_step(templated, people)
    processing.attach_result(dossier, actor=people["leader"], name="kq.pdf", data=PDF)
    event = AuditEvent.objects.get(action="dossiers.result_template_overridden")
    assert event.actor_id == people["leader"].pk and event.after["file"].endswith(".pdf")
    assert templated.attachments.filter(kind=Attachment.Kind.RESULT).count() == 1


def test_without_a_template_an_upload_is_no_override(received, people):
    dossier = at_signing_step(received, people)
    processing.attach_result(dossier, actor=people["leader"], name="kq.pdf", data=PDF)
    assert AuditEvent.objects.filter(action="dossiers.result_attached").exists()
    assert not AuditEvent.objects.filter(action="dossiers.result_template_overridden").exists()
    # ... and the draft still comes from the procedure's results and the declaration.
    result = processing.generate_result(Dossier.objects.get(pk=received.pk), actor=people["leader"])
    assert result.file.read().startswith(b"%PDF")


def test_the_dossier_page_offers_the_template_and_passes_the_number(
    templated, people, client, tmp_path
):
    dossier = at_signing_step(templated, people)
    client.force_login(people["leader"])
    page = client.get(f"/staff/dossiers/{dossier.public_id}/")
    assert page.context["result_template"] is True
    assert 'name="decision_number"' in page.content.decode()
    response = client.post(
        f"/staff/dossiers/{dossier.public_id}/generate_result/",
        {"revision": dossier.revision, "decision_number": "9/GP-STP"},
    )
    assert response.status_code == 302
    result = templated.attachments.get(kind=Attachment.Kind.RESULT)
    assert "Số: 9/GP-STP" in text_of(tmp_path, result.file.read())
    assert not AuditEvent.objects.filter(action="dossiers.result_template_overridden").exists()
