from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from egov.core.loops import Loop
from egov.national_portal import outbox
from egov.national_portal.client import PortalClient


class Command(BaseCommand):
    help = (
        "Sends the national portal outbox in order per dossier (once, or with --loop until "
        "stopped: at once while calls are due, else every EGOV_NATIONAL_PORTAL_POLL_SECONDS; "
        "database outages are waited out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args: Any, loop: bool = False, **options: Any) -> None:
        client = PortalClient()

        def sync_round() -> bool:
            counts = outbox.send_due(client=client)
            if options["verbosity"] >= 2 or (options["verbosity"] >= 1 and not loop):
                self.stdout.write("sent {sent} retry {retry} failed {failed}".format(**counts))
            return counts["sent"] > 0  # more may be due at once (the next of each dossier)

        if loop:
            Loop("national-portal", settings.EGOV_NATIONAL_PORTAL_POLL_SECONDS).run(sync_round)
        else:
            sync_round()
