"""The desk digitises a paper: OCR in Vietnamese, PDF/A, the agency's signature."""

import io
import subprocess

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.digitization import figures, ocr, services
from egov.digitization.models import Paper
from egov.digitization.services import PaperFacts
from tests.digitization.conftest import scanned_page, submit
from tests.signatures.fixtures import nss_database, pdfsig

pytestmark = pytest.mark.django_db

LINES = ["Giấy chứng nhận quyền sử dụng đất", "Ủy ban nhân dân phường Ninh Kiều"]


@pytest.fixture
def dossier(versions, citizen, no_scanner):
    return submit(versions["land"], citizen)


def land(dossier):
    return dossier.procedure_version.requirements.get(name__startswith="Giấy chứng nhận")


@pytest.fixture
def digitised(dossier, desk, agencies, agency_issued, import_agency_certificate):
    import_agency_certificate(agencies["city"], agency_issued["rsa2048"])
    return services.digitise(
        dossier,
        actor=desk,
        requirement_id=land(dossier).pk,
        facts=PaperFacts(number="CS 123456", issuer="Sở Tài nguyên và Môi trường"),
        scans=[("land.png", scanned_page(LINES))],
    )


def test_ocr_reads_the_vietnamese_words_of_the_scan(digitised, tmp_path):
    path = tmp_path / "copy.pdf"
    path.write_bytes(digitised.file.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "quyền sử dụng đất" in text
    assert "Ninh Kiều" in text


def test_the_copy_is_pdf_a_with_its_fonts_embedded(digitised, tmp_path):
    data = digitised.file.read()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "2"
        assert metadata.get("pdfaid:conformance") == "B"
        intents = pdf.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFA1"
        assert intents[0].DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    assert all(" yes " in row for row in rows), fonts  # every font embedded


def test_the_agency_signs_the_copy_and_pdfsig_validates_it(digitised, dev_pki, tmp_path):
    assert digitised.signed and digitised.signature_code
    path = tmp_path / "copy.pdf"
    path.write_bytes(digitised.file.read())
    report = pdfsig(path, nss_database(dev_pki, tmp_path / "nss"))
    assert "Signature is Valid." in report, report
    assert digitised.source == Paper.Source.DESK
    assert digitised.owner == digitised.dossier.applicant
    assert digitised.number == "CS 123456"
    assert AuditEvent.objects.filter(action="digitization.paper_digitised").count() == 1
    today = timezone.localdate()
    assert figures.certifying_agencies(today, today) == {digitised.agency_id}


def test_without_scans_the_received_ones_are_digitised(dossier, desk):
    paper = services.digitise(
        dossier, actor=desk, requirement_id=land(dossier).pk, facts=PaperFacts()
    )
    assert paper.pages == 1 and not paper.signed  # the city has no certificate here


def test_another_agencys_desk_may_not_digitise(dossier, make_staff, agencies):
    stranger = make_staff("yte", agencies["health"], Role.DESK_OFFICER)
    with pytest.raises(PermissionDenied):
        services.digitise(
            dossier, actor=stranger, requirement_id=land(dossier).pk, facts=PaperFacts()
        )
    from egov.dossiers.models import Dossier

    with pytest.raises(Dossier.DoesNotExist):
        services.desk_dossier(stranger, dossier.public_id)


def test_dates_that_cannot_be_are_refused(dossier, desk):
    import datetime

    with pytest.raises(ValidationError) as refused:
        services.digitise(
            dossier,
            actor=desk,
            requirement_id=land(dossier).pk,
            facts=PaperFacts(
                issued_on=datetime.date(2024, 5, 1), expires_on=datetime.date(2024, 1, 1)
            ),
        )
    assert "expires_on" in refused.value.message_dict
    assert not Paper.objects.filter(source=Paper.Source.DESK).exists()


def test_without_tesseract_the_desk_is_told_ocr_is_not_installed(dossier, desk, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ocr.OcrUnavailable) as refused:
        services.digitise(dossier, actor=desk, requirement_id=land(dossier).pk, facts=PaperFacts())
    assert "tesseract-ocr-vie" in str(refused.value)
