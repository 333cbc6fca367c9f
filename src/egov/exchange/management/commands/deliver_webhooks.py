"""Delivers the event subscriptions' outbox: once (for cron), or with --loop as a supervised
loop (egov.core.loops) that waits out database outages and leaves a heartbeat for /healthz."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.core.loops import Loop
from egov.exchange import webhooks


class Command(BaseCommand):
    help = "POSTs due webhook messages to their subscribers, retrying failures with backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between rounds when idle"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def deliver() -> bool:
            counts = webhooks.deliver_due()
            if any(counts.values()) and options["verbosity"] >= 1:
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            # A full batch: more may be due, go again at once.
            return sum(counts.values()) >= webhooks.BATCH

        if not options["loop"]:
            deliver()
            return
        Loop("webhooks", options["interval"]).run(deliver)
