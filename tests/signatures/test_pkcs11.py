"""A key that never leaves a hardware token: SoftHSM2 (Debian's softhsm2) through PKCS#11."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from egov.signatures import services, trust
from egov.signatures.models import SigningCertificate
from egov.signatures.signing import SignatureError
from egov.signatures.verification import VALID, verify_pdf
from tests.signatures.fixtures import make_pdf, nss_database, pdfsig

pytestmark = pytest.mark.django_db

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN, LABEL = "egov-test", "246810", "13579111", "so-tu-phap"


@pytest.fixture(scope="module")
def token(dev_pki, tmp_path_factory):
    """A fresh SoftHSM token holding an ECDSA key and its certificate from the development PKI."""
    if not SOFTHSM.exists():
        pytest.fail("SoftHSM2 is not installed: apt-get install softhsm2 (see README)")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    issued = dev_pki.issue("Sở Tư pháp thành phố Cần Thơ", key_type="ec-p256")
    key_file = directory / "key.pem"
    key_file.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            TOKEN,
            "--label",
            LABEL,
            "--id",
            "01",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    key_file.unlink()
    # The certificate goes on the token beside its key, as a CA's enrolment tool leaves it.
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.util.x509 import decode_x509_certificate

    library = pkcs11.lib(str(SOFTHSM))
    with library.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        attributes = decode_x509_certificate(
            issued.certificate.public_bytes(serialization.Encoding.DER)
        )
        attributes.update(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
            }
        )
        session.create_object(attributes)
    return issued


@pytest.fixture
def token_settings(pki_settings):
    pki_settings.EGOV_PKCS11_MODULE = str(SOFTHSM)
    return pki_settings


def test_signs_with_a_key_on_the_token(
    token, token_settings, agencies, make_staff, dev_pki, tmp_path
):
    clerk = make_staff("vanthu", agencies["justice"], "clerk")
    admin = make_staff("quantri", agencies["justice"], "agency_admin")
    certificate = services.register_token_certificate(
        token_label=TOKEN, key_label=LABEL, pin=PIN, actor=admin, agency=agencies["justice"]
    )
    assert certificate.key_storage == SigningCertificate.KeyStorage.PKCS11
    assert certificate.encrypted_key is None
    assert PIN.encode() not in bytes(certificate.encrypted_pin)
    assert certificate.serial_number == format(token.certificate.serial_number, "x")

    result = services.sign_pdf(
        make_pdf(), signer_certificate=certificate, actor=clerk, level="B-LT"
    )
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(result.data)).embedded_signatures[0],
        trust.validation_context(),
    )
    assert status.bottom_line, status.pretty_print_details()
    assert verify_pdf(result.data).verdict == VALID
    path = tmp_path / "token.pdf"
    path.write_bytes(result.data)
    output = pdfsig(path, nss_database(dev_pki, tmp_path / "nss"))
    assert "Signature Validation: Signature is Valid." in output, output


def test_wrong_pin_is_refused(token, token_settings, agencies):
    with pytest.raises(SignatureError) as error:
        services.register_token_certificate(
            token_label=TOKEN, key_label=LABEL, pin="000000", actor=None, agency=agencies["justice"]
        )
    assert "Không mở được thiết bị" in error.value.message


def test_unknown_key_label_is_refused(token, token_settings, agencies):
    with pytest.raises(SignatureError) as error:
        services.register_token_certificate(
            token_label=TOKEN, key_label="khong-co", pin=PIN, actor=None, agency=agencies["justice"]
        )
    assert "khong-co" in error.value.message
