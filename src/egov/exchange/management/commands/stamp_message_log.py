"""Time-stamps the new records of the message log: once, or with --loop as a supervised loop
(egov.core.loops) that waits out database outages and leaves a heartbeat for /healthz."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.core.loops import Loop
from egov.exchange import messagelog


class Command(BaseCommand):
    help = (
        "Asks the RFC 3161 time-stamp authority (EGOV_TSA_URL) for one token over the newest "
        "message log record, which the hash chain ties to every record before it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="run every EGOV_EXCHANGE_TIMESTAMP_INTERVAL seconds until stopped",
        )

    def _once(self) -> None:
        stamp = messagelog.stamp_pending()
        if stamp is not None:
            self.stdout.write(f"time-stamped up to record #{stamp.up_to_seq}")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            try:
                self._once()
            except messagelog.LogError as exc:
                raise CommandError(str(exc)) from exc
            return

        def stamp() -> bool:
            try:
                self._once()
            except messagelog.LogError as exc:
                # The authority is away: keep asking; the gateway fails closed meanwhile.
                self.stderr.write(str(exc))
            return False

        Loop("message-log-stamps", settings.EGOV_EXCHANGE_TIMESTAMP_INTERVAL).run(stamp)
