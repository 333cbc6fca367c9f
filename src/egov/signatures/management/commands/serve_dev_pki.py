from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.signatures.devpki import DevelopmentPKI, http_server


class Command(BaseCommand):
    help = "Serves the development PKI's CRLs, OCSP responder and time-stamp authority."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The development PKI is refused under DJANGO_ENV=production.")
        directory = Path(settings.EGOV_DEV_PKI_DIR)
        if not DevelopmentPKI.exists(directory):
            raise CommandError(f"No development PKI in {directory}: run create_dev_pki first.")
        parts = urlsplit(settings.EGOV_DEV_PKI_URL)
        server = http_server(directory, parts.hostname, parts.port or 80, quiet=False)
        self.stdout.write(f"Development PKI responders on {settings.EGOV_DEV_PKI_URL}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
