"""PAdES B-B, B-T and B-LT with RSA 2048 and ECDSA P-256, checked by pyHanko and by poppler."""

import io
import subprocess

import pytest
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from egov.core.models import AuditEvent
from egov.signatures import services, trust
from egov.signatures.models import SignedDocument
from egov.signatures.signing import SignatureError
from tests.signatures.fixtures import make_pdf, nss_database, pdfsig

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def nssdir(dev_pki, tmp_path_factory):
    return nss_database(dev_pki, tmp_path_factory.mktemp("nss") / "db")


@pytest.mark.parametrize("key_type", ["rsa2048", "ec-p256"])
@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_agency_signs_and_both_validators_agree(
    level, key_type, agencies, agency_issued, import_agency_certificate, nssdir, tmp_path
):
    certificate = import_agency_certificate(agencies["justice"], agency_issued[key_type])
    result = services.sign_pdf(
        make_pdf(2),
        signer_certificate=certificate,
        actor=None,
        level=level,
        reference=("dossiers.result", "42"),
        title="Kết quả hồ sơ 000.00.03.H13-260101-0001",
    )
    document = result.document
    assert SignedDocument.objects.get(code=document.code).sha256 == document.sha256
    assert AuditEvent.objects.filter(
        action="signatures.document_signed", object_id=str(document.pk)
    ).exists()

    # pyHanko, directly.
    embedded = PdfFileReader(io.BytesIO(result.data)).embedded_signatures
    assert len(embedded) == 1
    status = validate_pdf_signature(embedded[0], trust.validation_context())
    assert status.bottom_line, status.pretty_print_details()
    assert (status.timestamp_validity is not None) == (level != "B-B")
    assert status.signing_cert.subject.native["common_name"] == "Sở Tư pháp thành phố Cần Thơ"
    if level == "B-LT":
        assert "/DSS" in PdfFileReader(io.BytesIO(result.data)).root

    # poppler's pdfsig (NSS), an independent implementation.
    path = tmp_path / "signed.pdf"
    path.write_bytes(result.data)
    output = pdfsig(path, nssdir)
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output
    assert "ETSI.CAdES.detached" in output
    assert "Signer Certificate Common Name: Sở Tư pháp thành phố Cần Thơ" in output


def test_visible_signature_and_qr_on_the_last_page(
    agencies, agency_issued, import_agency_certificate, tmp_path
):
    """The seal and signer at the bottom right of the last page, the QR with its Vietnamese
    caption at the bottom left (read back by poppler, so the glyphs map to real letters)."""
    from PIL import Image

    certificate = import_agency_certificate(agencies["justice"], agency_issued["ec-p256"])
    result = services.sign_pdf(make_pdf(2), signer_certificate=certificate, actor=None, level="B-B")
    path = tmp_path / "signed.pdf"
    path.write_bytes(result.data)
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Xác thực văn bản điện tử này" in text
    assert f"Mã: {result.document.display_code}" in text
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "Xác thực" not in first_page

    subprocess.run(
        ["pdftoppm", "-png", "-r", "36", "-f", "2", "-l", "2", str(path), str(tmp_path / "p")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    width, height = page.size

    def pixels(box):
        data = page.crop(box).tobytes()
        return zip(data[0::3], data[1::3], data[2::3], strict=True)

    def red_pixels(box):
        return sum(1 for r, g, b in pixels(box) if r > 150 and g < 90 and b < 110)

    bottom_right = (width // 2, height * 3 // 4, width, height)
    bottom_left = (0, height * 3 // 4, width * 2 // 5, height)
    assert red_pixels(bottom_right) > 50  # the agency's seal
    assert red_pixels(bottom_left) == 0
    dark = sum(1 for r, g, b in pixels(bottom_left) if r + g + b < 150)
    assert dark > 100  # the QR code


def test_the_signature_text_is_vietnamese(agencies, agency_issued, import_agency_certificate):
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    lines = services._appearance(certificate, certificate.not_before)
    assert lines[0] == "Ký bởi: Sở Tư pháp thành phố Cần Thơ"
    assert lines[-1].startswith("Thời gian ký: ") and lines[-1].endswith("+07:00")


def test_a_missing_font_is_a_clear_error(agencies, agency_issued, import_agency_certificate):
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    with (
        override_settings(EGOV_SIGNATURE_FONT="/nonexistent/font.ttf"),
        pytest.raises(SignatureError, match="EGOV_SIGNATURE_FONT"),
    ):
        services.sign_pdf(make_pdf(), signer_certificate=certificate, actor=None, level="B-B")


def test_an_unreachable_time_stamp_authority_is_a_clear_error(
    agencies, agency_issued, import_agency_certificate, pki_settings
):
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    pki_settings.EGOV_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(SignatureError) as error:
        services.sign_pdf(make_pdf(), signer_certificate=certificate, actor=None, level="B-T")
    assert "Dịch vụ cấp dấu thời gian không phản hồi" in error.value.message
    assert not SignedDocument.objects.exists()
