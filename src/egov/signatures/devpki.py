"""A development PKI for the demo and the tests: root CA → issuing CA → agency and personal
certificates, with a CRL, an OCSP responder and an RFC 3161 time-stamp authority.

Everything it makes names itself "not for production" (:data:`DEV_PKI_ORGANIZATION`), and the
trust store refuses it under production settings (:mod:`egov.signatures.trust`). Its state is a
folder of PEM files, so the responders (:meth:`DevelopmentPKI.wsgi_app`, ``serve_dev_pki``) and
the commands that issue or revoke certificates can run in different processes.
"""

import base64
import datetime
import functools
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

DEV_PKI_ORGANIZATION = "eGov development PKI (not for production)"
KEY_TYPES = ("rsa2048", "ec-p256")
UTC = datetime.UTC


def new_key(key_type: str):
    if key_type == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key type {key_type!r}; use one of {', '.join(KEY_TYPES)}")


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str, organization: str = DEV_PKI_ORGANIZATION, unit: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


@dataclass
class Issued:
    """A certificate with its private key, as the CA hands it to its holder."""

    certificate: x509.Certificate
    key: object
    chain: list[x509.Certificate]

    def pkcs12(self, password: str) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            name=self.certificate.subject.rfc4514_string().encode(),
            key=self.key,
            cert=self.certificate,
            cas=self.chain,
            encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
        )

    def key_pkcs8_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


class DevelopmentPKI:
    ROOT = "root-ca"
    ISSUING = "issuing-ca"
    TSA = "tsa"
    OCSP = "ocsp"
    PARTS = (ROOT, ISSUING, TSA, OCSP)

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        meta = json.loads((self.directory / "pki.json").read_text())
        self.base_url = meta["base_url"].rstrip("/")

    # --- Creation -------------------------------------------------------------------------------

    @staticmethod
    def exists(directory: Path | str) -> bool:
        return (Path(directory) / "pki.json").exists()

    @classmethod
    def is_complete(cls, directory: Path | str, base_url: str | None = None) -> bool:
        """Whether every file of a PKI is in ``directory`` (a run that died while making it leaves
        some out) and, when ``base_url`` is given, its certificates name those responders."""
        directory = Path(directory)
        names = [f"{name}{suffix}" for name in cls.PARTS for suffix in (".pem", ".key.pem")]
        if not all((directory / name).is_file() for name in ["pki.json", "revoked.json", *names]):
            return False
        try:
            meta = json.loads((directory / "pki.json").read_text())
        except ValueError:
            return False
        return base_url is None or meta.get("base_url") == base_url.rstrip("/")

    @classmethod
    def create(
        cls, directory: Path | str, base_url: str, name: str = "eGov Development"
    ) -> "DevelopmentPKI":
        """A new root and issuing CA, a TSA and an OCSP responder; replaces any previous one."""
        directory = Path(directory)
        (directory / "issued").mkdir(parents=True, exist_ok=True)
        for old in (directory / "issued").glob("*.pem"):
            old.unlink()
        for part in cls.PARTS:  # a half-made PKI's files must not pass for this one's
            for suffix in (".pem", ".key.pem"):
                (directory / f"{part}{suffix}").unlink(missing_ok=True)
        base_url = base_url.rstrip("/")
        now = datetime.datetime.now(UTC) - datetime.timedelta(minutes=5)

        root_key = new_key("rsa2048")
        root_name = _name(f"{name} Root CA")
        root = (
            cls._builder(root_name, root_name, root_key.public_key(), now, 3650)
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
            )
            .sign(root_key, hashes.SHA256())
        )
        issuing_key = new_key("rsa2048")
        issuing = (
            cls._builder(
                _name(f"{name} Issuing CA"), root_name, issuing_key.public_key(), now, 1825
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(issuing_key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .add_extension(_crl_points(f"{base_url}/crl/{cls.ROOT}.crl"), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        directory.joinpath("pki.json").write_text(
            json.dumps({"base_url": base_url, "created": now.isoformat()}, indent=2)
        )
        for name, cert, key in [(cls.ROOT, root, root_key), (cls.ISSUING, issuing, issuing_key)]:
            (directory / f"{name}.pem").write_bytes(_pem(cert))
            (directory / f"{name}.key.pem").write_bytes(_key_pem(key))
        (directory / "revoked.json").write_text("{}")
        pki = cls(directory)
        tsa = pki.issue(
            f"{name} Time-Stamp Authority",
            organization=DEV_PKI_ORGANIZATION,
            ocsp=False,
            extended_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
            valid_days=1825,
        )
        responder = pki.issue(
            f"{name} OCSP Responder",
            organization=DEV_PKI_ORGANIZATION,
            crl=False,
            ocsp=False,
            extended_usage=[ExtendedKeyUsageOID.OCSP_SIGNING],
            valid_days=1825,
        )
        for name, issued in [(cls.TSA, tsa), (cls.OCSP, responder)]:
            (directory / f"{name}.pem").write_bytes(_pem(issued.certificate))
            (directory / f"{name}.key.pem").write_bytes(_key_pem(issued.key))
        return pki

    @staticmethod
    def _builder(subject, issuer, public_key, not_before, days, serial=None):
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(serial or x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_before + datetime.timedelta(days=days))
        )

    # --- Loading --------------------------------------------------------------------------------

    def certificate(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / f"{name}.pem").read_bytes())

    def _key(self, name: str):
        path = self.directory / f"{name}.key.pem"
        return _load_key(str(path), path.stat().st_mtime_ns)

    @property
    def root(self) -> x509.Certificate:
        return self.certificate(self.ROOT)

    @property
    def issuing(self) -> x509.Certificate:
        return self.certificate(self.ISSUING)

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    # --- Issuing and revoking -------------------------------------------------------------------

    def issue(
        self,
        common_name: str,
        *,
        organization: str,
        key_type: str = "rsa2048",
        valid_days: int = 730,
        not_before: datetime.datetime | None = None,
        crl: bool = True,
        ocsp: bool = True,
        extended_usage=None,
        email: str = "",
    ) -> Issued:
        """An end-entity certificate from the issuing CA, with a key of ``key_type``."""
        key = new_key(key_type)
        issuing, issuing_key = self.issuing, self._key(self.ISSUING)
        not_before = not_before or datetime.datetime.now(UTC) - datetime.timedelta(minutes=5)
        builder = (
            self._builder(
                _name(common_name, organization, DEV_PKI_ORGANIZATION),
                issuing.subject,
                key.public_key(),
                not_before,
                valid_days,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuing.public_key()), False
            )
        )
        if extended_usage:
            builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=True)
        if ExtendedKeyUsageOID.OCSP_SIGNING in (extended_usage or []):
            builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
        if crl:
            builder = builder.add_extension(
                _crl_points(f"{self.base_url}/crl/{self.ISSUING}.crl"), critical=False
            )
        access = [
            x509.AccessDescription(
                x509.AuthorityInformationAccessOID.CA_ISSUERS,
                x509.UniformResourceIdentifier(f"{self.base_url}/certs/{self.ISSUING}.crt"),
            )
        ]
        if ocsp:
            access.append(
                x509.AccessDescription(
                    x509.AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(f"{self.base_url}/ocsp"),
                )
            )
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
        certificate = builder.sign(issuing_key, hashes.SHA256())
        (self.directory / "issued" / f"{certificate.serial_number:x}.pem").write_bytes(
            _pem(certificate)
        )
        return Issued(certificate, key, [issuing, self.root])

    def was_issued(self, certificate: x509.Certificate) -> bool:
        """Whether this PKI issued ``certificate`` (it keeps a copy of each it issues)."""
        path = self.directory / "issued" / f"{certificate.serial_number:x}.pem"
        return path.is_file() and path.read_bytes() == _pem(certificate)

    def _revocations(self) -> dict[str, dict]:
        return json.loads((self.directory / "revoked.json").read_text())

    def revoke(
        self,
        serial: int,
        *,
        reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise,
        when: datetime.datetime | None = None,
    ) -> None:
        revocations = self._revocations()
        when = when or datetime.datetime.now(UTC).replace(microsecond=0)
        revocations[f"{serial:x}"] = {"date": when.isoformat(), "reason": reason.value}
        (self.directory / "revoked.json").write_text(json.dumps(revocations, indent=2))

    def revocation(self, serial: int) -> tuple[datetime.datetime, x509.ReasonFlags] | None:
        entry = self._revocations().get(f"{serial:x}")
        if entry is None:
            return None
        return datetime.datetime.fromisoformat(entry["date"]), x509.ReasonFlags(entry["reason"])

    # --- Responders -----------------------------------------------------------------------------

    def crl(self, name: str = ISSUING) -> bytes:
        """The current CRL of the root or the issuing CA (DER), valid for one day."""
        now = datetime.datetime.now(UTC) - datetime.timedelta(seconds=30)
        issuer, key = self.certificate(name), self._key(name)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.subject)
            .last_update(now)
            .next_update(now + datetime.timedelta(days=1))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()), False
            )
        )
        if name == self.ISSUING:
            for serial, entry in self._revocations().items():
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder()
                    .serial_number(int(serial, 16))
                    .revocation_date(datetime.datetime.fromisoformat(entry["date"]))
                    .add_extension(x509.CRLReason(x509.ReasonFlags(entry["reason"])), False)
                    .build()
                )
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_response(self, request_der: bytes) -> bytes:
        """Answers an OCSP request about a certificate of the issuing CA (RFC 6960)."""
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        issuing_key = asn1_x509.Certificate.load(
            self.issuing.public_bytes(serialization.Encoding.DER)
        ).public_key
        key_hashes = {"sha1": issuing_key.sha1, "sha256": issuing_key.sha256}
        if request.issuer_key_hash != key_hashes.get(request.hash_algorithm.name):
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        serial = request.serial_number
        now = datetime.datetime.now(UTC) - datetime.timedelta(seconds=30)
        revoked = self.revocation(serial)
        if revoked:
            status, when, reason = ocsp.OCSPCertStatus.REVOKED, revoked[0], revoked[1]
        elif (self.directory / "issued" / f"{serial:x}.pem").exists():
            status, when, reason = ocsp.OCSPCertStatus.GOOD, None, None
        else:
            status, when, reason = ocsp.OCSPCertStatus.UNKNOWN, None, None
        responder = self.certificate(self.OCSP)
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=request.issuer_name_hash,
                issuer_key_hash=request.issuer_key_hash,
                serial_number=serial,
                algorithm=request.hash_algorithm,
                cert_status=status,
                this_update=now,
                next_update=now + datetime.timedelta(hours=1),
                revocation_time=when,
                revocation_reason=reason,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
            .certificates([responder])
        )
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self._key(self.OCSP), hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def timestamp_response(self, request_der: bytes) -> bytes:
        """Answers an RFC 3161 time-stamp request with a token signed by the development TSA."""
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(
                self.certificate(self.TSA).public_bytes(serialization.Encoding.DER)
            ),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                self._key(self.TSA).private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            certs_to_embed=[
                asn1_x509.Certificate.load(self.issuing.public_bytes(serialization.Encoding.DER))
            ],
        )
        request = tsp.TimeStampReq.load(request_der)
        return stamper.request_tsa_response(request).dump()

    def handle(self, method: str, path: str, body: bytes) -> tuple[str, str, bytes]:
        ok = "200 OK"
        for name in (self.ROOT, self.ISSUING):
            if path == f"/crl/{name}.crl":
                return ok, "application/pkix-crl", self.crl(name)
            if path == f"/certs/{name}.crt":
                der = self.certificate(name).public_bytes(serialization.Encoding.DER)
                return ok, "application/pkix-cert", der
        if path == "/ocsp" and method == "POST":
            return ok, "application/ocsp-response", self.ocsp_response(body)
        if path.startswith("/ocsp/") and method == "GET":
            request = base64.b64decode(unquote(path.removeprefix("/ocsp/")))
            return ok, "application/ocsp-response", self.ocsp_response(request)
        if path == "/tsa" and method == "POST":
            return ok, "application/timestamp-reply", self.timestamp_response(body)
        return "404 Not Found", "text/plain", b"not found"


def responder(directory: Path | str):
    """The responders as a WSGI app: /crl/<ca>.crl, /certs/<ca>.crt, /ocsp and /tsa. It reads the
    PKI from its folder on every request, so revocations made elsewhere show at once."""

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            status, content_type, payload = DevelopmentPKI(directory).handle(
                environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""), body
            )
        except Exception:  # a broken request must not stop the responder
            status, content_type, payload = "500 Internal Server Error", "text/plain", b""
        start_response(
            status, [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
        )
        return [payload]

    return app


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def http_server(directory: Path | str, host: str = "127.0.0.1", port: int = 0, quiet=True):
    """A threaded HTTP server for :func:`responder`; port 0 picks a free one."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(
        host, port, responder(directory), server_class=_ThreadingServer, handler_class=handler
    )


@functools.lru_cache(maxsize=32)
def _load_key(path: str, _mtime_ns: int):
    """Keys are read once per process: loading (and checking) an RSA key costs ~20 ms."""
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _crl_points(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


def random_password() -> str:
    return secrets.token_urlsafe(12)
