"""Importing certificates: keys encrypted at rest, and a clear message for each bad input."""

import datetime

import pytest
from cryptography.hazmat.primitives import serialization

from egov.core.models import AuditEvent
from egov.signatures import keystore, services, signing
from egov.signatures.models import SigningCertificate
from egov.signatures.signing import SignatureError
from tests.signatures.fixtures import P12_PASSWORD

pytestmark = pytest.mark.django_db


def test_import_keeps_the_key_only_encrypted(agencies, dev_pki, pki_settings):
    issued = dev_pki.issue("Sở Y tế thành phố Cần Thơ", key_type="ec-p256")
    certificate = services.import_pkcs12(
        issued.pkcs12(P12_PASSWORD), P12_PASSWORD, actor=None, agency=agencies["health"]
    )
    certificate.refresh_from_db()
    assert certificate.holder == SigningCertificate.Holder.AGENCY
    assert certificate.key_algorithm == "ECDSA P-256"
    assert certificate.common_name == "Sở Y tế thành phố Cần Thơ"
    raw_key = issued.key_pkcs8_der()
    sealed = bytes(certificate.encrypted_key)
    assert raw_key not in sealed and P12_PASSWORD.encode() not in sealed
    assert keystore.unseal(sealed, signing.key_context(certificate)) == raw_key
    # Another encryption key, or the sealed key moved to another certificate, does not open.
    with pytest.raises(keystore.KeystoreError):
        keystore.unseal(sealed, "signatures.key:" + "0" * 64)
    pki_settings.EGOV_SIGNING_KEY_ENCRYPTION_KEY = "another-key-encryption-key"
    with pytest.raises(keystore.KeystoreError):
        keystore.unseal(sealed, signing.key_context(certificate))
    event = AuditEvent.objects.get(action="signatures.certificate_imported")
    assert event.agency_id == agencies["health"].pk
    assert event.after["fingerprint"] == certificate.fingerprint


def test_production_refuses_to_store_keys_without_its_own_encryption_key(pki_settings):
    from django.core.exceptions import ImproperlyConfigured

    pki_settings.PRODUCTION = True
    pki_settings.EGOV_SIGNING_KEY_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="EGOV_SIGNING_KEY_ENCRYPTION_KEY"):
        keystore.seal(b"key", "context")


def test_wrong_pkcs12_password_says_so(agencies, agency_issued, pki_settings):
    data = agency_issued["rsa2048"].pkcs12(P12_PASSWORD)
    with pytest.raises(SignatureError) as error:
        services.import_pkcs12(data, "sai-mat-khau", actor=None, agency=agencies["justice"])
    assert "Mật khẩu không mở được tệp PKCS#12" in error.value.message
    assert not SigningCertificate.objects.exists()


def test_expired_certificate_is_refused(agencies, dev_pki, pki_settings):
    issued = dev_pki.issue(
        "Sở Tư pháp",
        not_before=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400),
        valid_days=365,
    )
    with pytest.raises(SignatureError) as error:
        services.import_pkcs12(
            issued.pkcs12(P12_PASSWORD), P12_PASSWORD, actor=None, agency=agencies["justice"]
        )
    assert "Chứng thư số đã hết hạn" in error.value.message


def test_untrusted_certificate_is_refused(agencies, foreign_pki, pki_settings):
    data = foreign_pki.issue("Sở Tư pháp", organization="Sở Tư pháp").pkcs12(P12_PASSWORD)
    with pytest.raises(SignatureError) as error:
        services.import_pkcs12(data, P12_PASSWORD, actor=None, agency=agencies["justice"])
    assert "không do tổ chức chứng thực" in error.value.message


def test_certificate_revoked_at_its_ca_cannot_be_imported(agencies, dev_pki, pki_settings):
    issued = dev_pki.issue("Sở Tư pháp", crl=False)
    dev_pki.pki.revoke(issued.certificate.serial_number)
    with pytest.raises(SignatureError) as error:
        services.import_pkcs12(
            issued.pkcs12(P12_PASSWORD), P12_PASSWORD, actor=None, agency=agencies["justice"]
        )
    assert "đã bị tổ chức chứng thực thu hồi" in error.value.message


def test_a_file_without_a_key_is_refused(agencies, agency_issued, pki_settings):
    from cryptography.hazmat.primitives.serialization import pkcs12

    only_certificate = pkcs12.serialize_key_and_certificates(
        name=b"x",
        key=None,
        cert=agency_issued["rsa2048"].certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(b"pw-1234"),
    )
    with pytest.raises(SignatureError) as error:
        services.import_pkcs12(only_certificate, "pw-1234", actor=None, agency=agencies["justice"])
    assert "khóa bí mật" in error.value.message


def test_personal_certificate_belongs_to_its_official(agencies, dev_pki, make_staff, pki_settings):
    official = make_staff("lanhdao", agencies["justice"], full_name="Võ Minh Lãnh")
    issued = dev_pki.issue("Võ Minh Lãnh", organization="Sở Tư pháp", key_type="ec-p256")
    certificate = services.import_pkcs12(
        issued.pkcs12(P12_PASSWORD), P12_PASSWORD, actor=official, user=official
    )
    assert certificate.holder == SigningCertificate.Holder.PERSON
    assert certificate.agency == agencies["justice"]
    colleague = make_staff("chuyenvien", agencies["justice"], "specialist")
    assert services.may_sign_with(official, certificate)
    assert not services.may_sign_with(colleague, certificate)
    assert not services.may_sign_with(None, certificate)
