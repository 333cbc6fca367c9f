"""A development PKI with its CRL, OCSP and time-stamp responders on a localhost port, the
certificates the tests sign with, and sample PDFs. Imported by the signature and browser tests."""

import contextlib
import io
import subprocess
import threading
from dataclasses import dataclass

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from egov.signatures import services
from egov.signatures.devpki import DevelopmentPKI, Issued, http_server

P12_PASSWORD = "mat-khau-p12"


@dataclass
class RunningPKI:
    pki: DevelopmentPKI
    directory: object
    url: str

    def issue(self, name: str, **options) -> Issued:
        options.setdefault("organization", name)
        return self.pki.issue(name, **options)


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    server = http_server(directory)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield RunningPKI(DevelopmentPKI.create(directory, url), directory, url)
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def serve(directory, url: str):
    """The responders of the PKI in ``directory`` on the port of ``url``, while in the block."""
    server = http_server(directory, "127.0.0.1", int(url.rsplit(":", 1)[1]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pki_settings(settings, dev_pki):
    settings.EGOV_DEV_PKI_DIR = dev_pki.directory
    settings.EGOV_SIGNATURE_TRUST_DEV_PKI = True
    settings.EGOV_SIGNATURE_TRUST_ROOTS = []
    settings.EGOV_SIGNATURE_INTERMEDIATES = []
    settings.EGOV_TSA_URL = dev_pki.pki.tsa_url
    settings.EGOV_SIGNATURE_REVOCATION_MODE = "hard-fail"
    settings.EGOV_VERIFY_BASE_URL = "https://dichvucong.cantho.gov.vn/xac-thuc/"
    return settings


@pytest.fixture(scope="session")
def agency_issued(dev_pki):
    """One RSA and one ECDSA agency certificate, shared by the tests that do not revoke them."""
    return {
        key_type: dev_pki.issue("Sở Tư pháp thành phố Cần Thơ", key_type=key_type)
        for key_type in ("rsa2048", "ec-p256")
    }


@pytest.fixture
def import_agency_certificate(pki_settings):
    def make(agency, issued: Issued, *, seal=True, label=""):
        from egov.signatures.seal import draw_seal

        return services.import_pkcs12(
            issued.pkcs12(P12_PASSWORD),
            P12_PASSWORD,
            actor=None,
            agency=agency,
            label=label or f"{agency.name} ({issued.certificate.serial_number % 10000})",
            seal_png=draw_seal(agency.name) if seal else None,
        )

    return make


def make_pdf(pages: int = 1, text: str = "KET QUA GIAI QUYET THU TUC HANH CHINH") -> bytes:
    """A small A4 PDF with a line of text on each page."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        }
    )
    for number in range(1, pages + 1):
        stream = generic.StreamObject(
            stream_data=f"BT /F1 14 Tf 85 760 Td ({text} - {number}) Tj ET".encode()
        )
        resources = generic.DictionaryObject(
            {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
        )
        writer.insert_page(
            PageObject(writer.add_object(stream), [0, 0, 595, 842], resources=resources)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def nss_database(dev_pki, directory) -> str:
    """An NSS database for pdfsig that trusts the development root (as a real user's would)."""
    directory.mkdir(exist_ok=True)
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{directory}",
            "-n",
            "egov-dev-root",
            "-t",
            "CT,C,C",
            "-i",
            str(dev_pki.directory / "root-ca.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return f"sql:{directory}"


def pdfsig(path, nssdir: str) -> str:
    result = subprocess.run(
        ["pdfsig", "-nssdir", nssdir, str(path)], capture_output=True, text=True, timeout=60
    )
    return result.stdout + result.stderr


def sign_directly(pdf: bytes, issued: Issued) -> bytes:
    """A PAdES B-B signature made by pyHanko alone, skipping the platform's checks: how a file
    signed elsewhere (with an expired or untrusted certificate) reaches the verification page."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            issued.certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(issued.key_pkcs8_der()),
        cert_registry=SimpleCertificateStore.from_certs(
            [
                asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                for c in issued.chain
            ]
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


@pytest.fixture(scope="session")
def foreign_pki(tmp_path_factory):
    """Another CA, which the platform does not trust (its responders are never reached)."""
    return DevelopmentPKI.create(
        tmp_path_factory.mktemp("foreign-pki"), "http://127.0.0.1:9", name="Unknown"
    )
