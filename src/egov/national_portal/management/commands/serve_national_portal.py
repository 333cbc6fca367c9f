from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.national_portal import portal_server


class Command(BaseCommand):
    help = (
        "Runs the local National Public Service Portal (development and demo only), accepting "
        "this platform's user name and password for its session token "
        "(EGOV_NATIONAL_PORTAL_USERNAME/_PASSWORD)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=urlsplit(settings.EGOV_NATIONAL_PORTAL_URL).port or 8792,
            help="default: the port of EGOV_NATIONAL_PORTAL_URL",
        )
        parser.add_argument("--data", default=str(settings.VAR_DIR / "national_portal"))
        parser.add_argument("--procedures", help="JSON file of national procedures (LayThuTuc)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The local national portal is for development and the demo only.")
        import json

        procedures = (
            json.loads(Path(options["procedures"]).read_text(encoding="utf-8"))
            if options["procedures"]
            else []
        )
        server, _state = portal_server.make_server(
            Path(options["data"]),
            accounts={
                settings.EGOV_NATIONAL_PORTAL_USERNAME: settings.EGOV_NATIONAL_PORTAL_PASSWORD
            },
            procedures=procedures,
            port=options["port"],
        )
        self.stdout.write(f"National portal on http://127.0.0.1:{server.server_address[1]}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
