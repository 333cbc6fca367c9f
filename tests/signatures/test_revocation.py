"""A revoked certificate cannot sign, and verification reports revocation by CRL and by OCSP."""

import time

import pytest
from django.core.exceptions import PermissionDenied

from egov.core.models import AuditEvent
from egov.signatures import services
from egov.signatures.signing import SignatureError
from egov.signatures.verification import INVALID, WARNING, verify_pdf
from tests.signatures.fixtures import make_pdf, nss_database, pdfsig

pytestmark = pytest.mark.django_db


def test_certificate_revoked_on_the_platform_cannot_sign(
    agencies, dev_pki, import_agency_certificate, make_staff
):
    certificate = import_agency_certificate(agencies["justice"], dev_pki.issue("Sở Tư pháp"))
    admin = make_staff("quantri", agencies["justice"], "agency_admin")
    services.revoke_certificate(certificate, actor=admin, reason="Khóa bị lộ")
    assert AuditEvent.objects.filter(
        action="signatures.certificate_revoked", object_id=str(certificate.pk)
    ).exists()
    with pytest.raises(SignatureError) as error:
        services.sign_pdf(make_pdf(), signer_certificate=certificate, actor=None, level="B-B")
    assert "đã bị thu hồi" in error.value.message
    assert not certificate.signed_documents.exists()


def test_only_an_agency_administrator_revokes(
    agencies, dev_pki, import_agency_certificate, make_staff
):
    certificate = import_agency_certificate(agencies["justice"], dev_pki.issue("Sở Tư pháp"))
    neighbour = make_staff("quantri.syt", agencies["health"], "agency_admin")
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(certificate, actor=neighbour, reason="x")


def test_certificate_revoked_by_its_ca_cannot_sign(agencies, dev_pki, import_agency_certificate):
    issued = dev_pki.issue("Sở Tư pháp", ocsp=False)
    certificate = import_agency_certificate(agencies["justice"], issued)
    dev_pki.pki.revoke(issued.certificate.serial_number)
    with pytest.raises(SignatureError) as error:
        services.sign_pdf(make_pdf(), signer_certificate=certificate, actor=None, level="B-LT")
    assert "đã bị tổ chức chứng thực thu hồi" in error.value.message


@pytest.mark.parametrize("source", ["CRL", "OCSP"])
def test_verification_reports_a_revocation(
    source, agencies, dev_pki, import_agency_certificate, tmp_path
):
    issued = dev_pki.issue("Sở Tư pháp", crl=source == "CRL", ocsp=source == "OCSP")
    certificate = import_agency_certificate(agencies["justice"], issued)
    signed = services.sign_pdf(
        make_pdf(), signer_certificate=certificate, actor=None, level="B-B"
    ).data
    assert verify_pdf(signed).valid
    dev_pki.pki.revoke(issued.certificate.serial_number)

    report = verify_pdf(signed)
    signature = report.signatures[0]
    assert report.verdict == INVALID
    assert signature.revoked and signature.revocation_source == source
    assert signature.revoked_at is not None
    assert f"kiểm tra qua {source}" in signature.messages[0]
    assert report.registered is not None  # still the registered file, but no longer valid

    # poppler asks the same OCSP responder and agrees.
    if source == "OCSP":
        path = tmp_path / "revoked.pdf"
        path.write_bytes(signed)
        output = pdfsig(path, nss_database(dev_pki, tmp_path / "nss"))
        assert "Certificate has been Revoked." in output, output


def test_revocation_after_the_time_stamp_is_a_warning(agencies, dev_pki, import_agency_certificate):
    issued = dev_pki.issue("Sở Tư pháp")
    certificate = import_agency_certificate(agencies["justice"], issued)
    signed = services.sign_pdf(
        make_pdf(), signer_certificate=certificate, actor=None, level="B-T"
    ).data
    time.sleep(1.1)  # revocation times have whole seconds: revoke clearly after the time-stamp
    dev_pki.pki.revoke(issued.certificate.serial_number)
    report = verify_pdf(signed)
    signature = report.signatures[0]
    assert signature.revoked and signature.timestamp < signature.revoked_at
    assert report.verdict == WARNING
    assert "trước khi chứng thư bị thu hồi" in signature.messages[1]
