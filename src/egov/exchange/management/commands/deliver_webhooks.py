"""Delivers the event subscriptions' outbox; with --loop, keeps doing so."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.exchange import webhooks


class Command(BaseCommand):
    help = "POSTs due webhook messages to their subscribers, retrying failures with backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="run every few seconds")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = webhooks.deliver_due()
            if any(counts.values()):
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            if not options["loop"]:
                return
            time.sleep(options["interval"])
