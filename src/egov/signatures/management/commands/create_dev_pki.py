import contextlib
import threading
from pathlib import Path
from urllib.parse import urlsplit

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
        url = options["url"] or settings.EGOV_DEV_PKI_URL
        if DevelopmentPKI.exists(directory) and not options["force"]:
            if options["if_missing"]:
                self.stdout.write(f"Development PKI already in {directory}.")
                return
            raise CommandError(
                f"A development PKI exists in {directory}; use --force to replace it."
            )
        pki = DevelopmentPKI.create(directory, url)
        self.stdout.write(f"Development PKI created in {directory} (responders at {url}).")
        self.stdout.write(f"Root CA: {directory / 'root-ca.pem'} — never trust it in production.")
        if options["demo"]:
            with _responders(directory, url):
                self._demo(pki, directory)

    def _demo(self, pki: DevelopmentPKI, directory: Path):
        out = directory / "demo"
        out.mkdir(exist_ok=True)
        for code, key_type in DEMO_AGENCIES:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                continue
            issued = pki.issue(agency.name, organization=agency.name, key_type=key_type)
            self._import(issued, out / f"{code}.p12", agency=agency, seal=draw_seal(agency.name))
        for username, key_type in DEMO_PEOPLE:
            user = User.objects.filter(username=username, agency__isnull=False).first()
            if user is None:
                continue
            issued = pki.issue(str(user), organization=user.agency.name, key_type=key_type)
            self._import(issued, out / f"{username}.p12", user=user)

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
def _responders(directory: Path, url: str):
    """Runs the responders while the demo certificates are imported (their CRL and OCSP are
    checked), unless ``serve_dev_pki`` already answers on that port."""
    parts = urlsplit(url)
    try:
        server = http_server(directory, parts.hostname or "127.0.0.1", parts.port or 80)
    except OSError:
        yield
        return
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
