"""PAdES B-B, B-T and B-LT with RSA 2048 and ECDSA P-256, checked by pyHanko and by poppler."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from egov.core.models import AuditEvent
from egov.signatures import services, trust
from egov.signatures.models import SignedDocument
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
