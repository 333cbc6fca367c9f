"""Signing reuses the certificate's OCSP/CRL answer within its validity, and refuses a revoked
certificate as soon as a fresh answer says so; verifying asks afresh. The room kept for a
signature is measured once per certificate and level."""

import datetime

import pytest
from pyhanko.sign.signers.pdf_signer import PdfSigningSession

from egov.signatures import revinfo, services, signing
from egov.signatures.devpki import DevelopmentPKI
from egov.signatures.signing import SignatureError
from egov.signatures.verification import INVALID, verify_pdf
from tests.signatures.fixtures import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    """How many times the development PKI's OCSP responder and CRL were asked."""
    counts = {"ocsp": 0, "crl": 0}
    ocsp_response, crl = DevelopmentPKI.ocsp_response, DevelopmentPKI.crl

    def counting_ocsp(self, request_der):
        counts["ocsp"] += 1
        return ocsp_response(self, request_der)

    def counting_crl(self, *args, **kwargs):
        counts["crl"] += 1
        return crl(self, *args, **kwargs)

    monkeypatch.setattr(DevelopmentPKI, "ocsp_response", counting_ocsp)
    monkeypatch.setattr(DevelopmentPKI, "crl", counting_crl)
    return counts


def later(monkeypatch, **delta):
    """The cache's clock moved on (the answers' own validity is checked at the real time)."""
    moment = revinfo.now() + datetime.timedelta(**delta)
    monkeypatch.setattr(revinfo, "now", lambda: moment)


def sign(certificate) -> bytes:
    return services.sign_pdf(
        make_pdf(), signer_certificate=certificate, actor=None, level="B-B"
    ).data


def test_the_ocsp_answer_is_reused_until_it_expires(
    agencies, dev_pki, import_agency_certificate, asked, monkeypatch
):
    certificate = import_agency_certificate(
        agencies["justice"], dev_pki.issue("Sở Tư pháp", ocsp=True, crl=False, key_type="ec-p256")
    )
    signed = sign(certificate)
    first = asked["ocsp"]
    assert first >= 1
    sign(certificate)
    sign(certificate)
    assert asked["ocsp"] == first  # reused

    assert verify_pdf(signed).valid
    assert asked["ocsp"] > first  # verifying asks afresh
    verified = asked["ocsp"]

    later(monkeypatch, hours=1, seconds=1)  # past nextUpdate (one hour on the dev PKI)
    sign(certificate)
    assert asked["ocsp"] > verified


def test_a_revoked_certificate_is_refused_once_a_fresh_answer_says_so(
    agencies, dev_pki, import_agency_certificate, asked, monkeypatch
):
    issued = dev_pki.issue("Sở Tư pháp", ocsp=True, crl=False, key_type="ec-p256")
    certificate = import_agency_certificate(agencies["justice"], issued)
    signed = sign(certificate)
    dev_pki.pki.revoke(issued.certificate.serial_number)

    # Verification asks the responder now: the revocation shows at once.
    assert verify_pdf(signed).verdict == INVALID
    # Signing may still use the "good" answer while it holds (its nextUpdate)...
    sign(certificate)
    # ...and not a moment after: the fresh answer says revoked, the certificate cannot sign.
    later(monkeypatch, hours=1, seconds=1)
    with pytest.raises(SignatureError) as error:
        sign(certificate)
    assert "đã bị tổ chức chứng thực thu hồi" in error.value.message
    # The revoked answer is kept too: the next signature is refused as well.
    with pytest.raises(SignatureError):
        sign(certificate)


def test_the_crl_is_reused_until_it_expires_and_then_shows_the_revocation(
    agencies, dev_pki, import_agency_certificate, asked, monkeypatch
):
    issued = dev_pki.issue("Sở Tư pháp", ocsp=False, crl=True, key_type="ec-p256")
    certificate = import_agency_certificate(agencies["justice"], issued)
    sign(certificate)
    before = asked["crl"]
    sign(certificate)
    assert asked["crl"] == before  # the certificate's CRL and the issuing CA's, both reused

    dev_pki.pki.revoke(issued.certificate.serial_number)
    later(monkeypatch, seconds=3601)  # the configured hour, before the CRL's own nextUpdate
    with pytest.raises(SignatureError) as error:
        sign(certificate)
    assert "đã bị tổ chức chứng thực thu hồi" in error.value.message
    assert asked["crl"] > before


def test_with_the_cache_off_every_signature_asks(
    agencies, dev_pki, import_agency_certificate, asked, settings
):
    settings.EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS = 0
    certificate = import_agency_certificate(
        agencies["justice"], dev_pki.issue("Sở Tư pháp", ocsp=True, crl=False, key_type="ec-p256")
    )
    asked["ocsp"] = 0
    sign(certificate)
    sign(certificate)
    assert asked["ocsp"] == 2


def test_an_answer_is_kept_until_its_next_update_at_most_the_configured_age(settings, monkeypatch):
    now = revinfo.now()
    monkeypatch.setattr(revinfo, "now", lambda: now)
    settings.EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS = 600
    hour, soon = now + datetime.timedelta(hours=1), now + datetime.timedelta(minutes=5)
    assert revinfo._until([hour]) == now + datetime.timedelta(seconds=600)
    assert revinfo._until([soon, hour]) == soon  # the earliest of several answers
    assert revinfo._until([hour, None]) is None  # an answer without nextUpdate: not kept
    assert revinfo._until([now - datetime.timedelta(seconds=1)]) is None  # already stale
    assert revinfo._until([]) is None


def test_the_signature_room_is_measured_once_and_again_after_a_failure(
    agencies, dev_pki, import_agency_certificate, monkeypatch
):
    certificate = import_agency_certificate(
        agencies["justice"], dev_pki.issue("Sở Tư pháp", key_type="ec-p256")
    )
    estimates = []
    estimate = PdfSigningSession.estimate_signature_container_size

    async def counting(self, *args, **kwargs):
        estimates.append(1)
        return await estimate(self, *args, **kwargs)

    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", counting)
    signing._RESERVED.clear()
    first, second = sign(certificate), sign(certificate)
    assert len(estimates) == 1
    assert verify_pdf(first).valid and verify_pdf(second).valid

    # A room too small (it never is, with pyHanko's margin; say a larger chain came): the
    # signature fails with a message, and the next one measures again.
    (key,) = signing._RESERVED
    signing._RESERVED[key] = 64
    with pytest.raises(SignatureError):
        sign(certificate)
    assert key not in signing._RESERVED
    assert verify_pdf(sign(certificate)).valid
    assert len(estimates) == 2
