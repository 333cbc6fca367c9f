import contextlib
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.models import User
from egov.organizations.models import Agency
from egov.signatures import services
from egov.signatures.devpki import DevelopmentPKI, http_server, random_password
from egov.signatures.models import SigningCertificate
from egov.signatures.seal import draw_seal

# Demo certificates: the city's People's Committee and the Department of Justice sign as agencies,
# the leaders as persons of their own agency (agency code or user name, key type): the Department
# of Justice's for official documents, and the leader of each agency deciding demo procedures
# (the demo ward, the city police, the departments) for the results they approve.
DEMO_AGENCIES = [("000.00.00.H13", "rsa2048"), ("000.00.03.H13", "ec-p256")]
DEMO_PEOPLE = [
    ("lanhdao", "ec-p256"),
    ("lanhdao.ninhkieu", "ec-p256"),
    ("lanhdao.congan", "ec-p256"),
    ("lanhdao.snnmt", "ec-p256"),
    ("lanhdao.sxd", "ec-p256"),
    ("lanhdao.syt", "ec-p256"),
    ("lanhdao.sgddt", "ec-p256"),
]


class Command(BaseCommand):
    help = (
        "Creates a development PKI (root CA, issuing CA, CRL, OCSP responder, time-stamp "
        "authority) under EGOV_DEV_PKI_DIR, for the demo and the tests. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="default: EGOV_DEV_PKI_DIR")
        parser.add_argument("--url", default=None, help="responders' address (EGOV_DEV_PKI_URL)")
        parser.add_argument("--force", action="store_true", help="replace an existing PKI")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when a PKI already exists"
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="issue and import certificates for the demo agencies and leader",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The development PKI is for development and tests only; "
                "it is refused under DJANGO_ENV=production."
            )
        directory = options["dir"] or Path(settings.EGOV_DEV_PKI_DIR)
        url = (options["url"] or settings.EGOV_DEV_PKI_URL).rstrip("/")
        if DevelopmentPKI.exists(directory) and not options["force"] and not options["if_missing"]:
            raise CommandError(
                f"A development PKI exists in {directory}; use --force to replace it."
            )
        if (
            options["if_missing"]
            and not options["force"]
            and DevelopmentPKI.is_complete(directory, url)
        ):
            pki = DevelopmentPKI(directory)
            self.stdout.write(f"Development PKI already in {directory}.")
        else:
            if DevelopmentPKI.exists(directory) and not options["force"]:
                self.stdout.write(
                    f"The development PKI in {directory} is incomplete or names other "
                    f"responders than {url}: making it again."
                )
            pki = DevelopmentPKI.create(directory, url)
            self.stdout.write(f"Development PKI created in {directory} (responders at {url}).")
            self.stdout.write(
                f"Root CA: {directory / 'root-ca.pem'} — never trust it in production."
            )
        if options["demo"]:
            missing = self._missing_demo(pki, directory / "demo")
            if missing:
                with responders(pki, url):
                    self._demo(pki, directory / "demo", missing)

    def _holders(self):
        """The demo agencies and people that exist here, as (file name, agency, user, key type)."""
        for code, key_type in DEMO_AGENCIES:
            agency = Agency.objects.filter(code=code).first()
            if agency is not None:
                yield code, agency, None, key_type
        for username, key_type in DEMO_PEOPLE:
            user = User.objects.filter(username=username, agency__isnull=False).first()
            if user is not None:
                yield username, None, user, key_type

    def _missing_demo(self, pki: DevelopmentPKI, out: Path) -> list:
        """The demo holders without an active certificate of this PKI and its PKCS#12 file (a run
        that died half-way leaves some without)."""
        issuing = pki.issuing.subject
        missing = []
        for holder in self._holders():
            name, agency, user, _key_type = holder
            active = SigningCertificate.objects.filter(
                agency=agency or user.agency, user=user, status=SigningCertificate.Status.ACTIVE
            )
            ours = False
            for der in active.values_list("certificate_der", flat=True):
                certificate = x509.load_der_x509_certificate(bytes(der))
                ours = ours or (certificate.issuer == issuing and pki.was_issued(certificate))
            if not ours or not (out / f"{name}.p12").is_file():
                missing.append(holder)
        return missing

    def _demo(self, pki: DevelopmentPKI, out: Path, holders: list):
        out.mkdir(exist_ok=True)
        for name, agency, user, key_type in holders:
            if agency is not None:
                issued = pki.issue(agency.name, organization=agency.name, key_type=key_type)
                seal = draw_seal(agency.name)
                self._import(issued, out / f"{name}.p12", agency=agency, seal=seal)
            else:
                issued = pki.issue(str(user), organization=user.agency.name, key_type=key_type)
                self._import(issued, out / f"{name}.p12", user=user)

    def _import(self, issued, path: Path, *, agency=None, user=None, seal=None):
        password = random_password()
        data = issued.pkcs12(password)
        path.write_bytes(data)
        SigningCertificate.objects.filter(
            agency=agency or user.agency, user=user, status=SigningCertificate.Status.ACTIVE
        ).update(status=SigningCertificate.Status.REVOKED, revocation_reason="replaced")
        certificate = services.import_pkcs12(
            data, password, actor=None, agency=agency, user=user, seal_png=seal
        )
        self.stdout.write(f"  {certificate.label}: {path} (password {password})")


@contextlib.contextmanager
def responders(pki: DevelopmentPKI, url: str):
    """Runs the responders while the demo certificates are imported (their CRL and OCSP are
    checked), unless ``serve_dev_pki`` already answers on that port for this very PKI; another
    program or another instance's PKI there is refused with what to do."""
    parts = urlsplit(url)
    try:
        server = http_server(pki.directory, parts.hostname or "127.0.0.1", parts.port or 80)
    except OSError as exc:
        if not _serves(pki, url):
            raise CommandError(
                f"Port {parts.port} is taken by another program (another instance's development "
                f"PKI?): run with another PORT (make run PORT=…) or set EGOV_DEV_PKI_URL."
            ) from exc
        yield
        return
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def _serves(pki: DevelopmentPKI, url: str) -> bool:
    """Whether the responders at ``url`` are this PKI's (they hand out its root certificate)."""
    try:
        with urllib.request.urlopen(f"{url}/certs/{pki.ROOT}.crt", timeout=5) as answer:  # noqa: S310
            served = answer.read()
    except (OSError, ValueError):
        return False
    return served == pki.root.public_bytes(serialization.Encoding.DER)
