"""Checks that each published service's provider answers (shown on the operator page)."""

from typing import Any

from django.core.management.base import BaseCommand

from egov.exchange import health


class Command(BaseCommand):
    help = "Asks every published service's provider whether it answers; run every few minutes."

    def handle(self, *args: Any, **options: Any) -> None:
        for code, healthy in health.check_all().items():
            self.stdout.write(f"{code}: {'up' if healthy else 'DOWN'}")
