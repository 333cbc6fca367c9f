import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.national_portal import reconciliation
from egov.national_portal.client import PortalRefused, PortalUnavailable


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Compares the dossiers submitted from --from to --to (days, inclusive) with what the "
        "national portal holds: missing there, or at another status. Exit status 1 if any differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, type=_day)
        parser.add_argument("--to", dest="end", required=True, type=_day)

    def handle(self, *args: Any, start: datetime.date, end: datetime.date, **options: Any) -> None:
        if end < start:
            raise CommandError("--to is before --from")
        try:
            report = reconciliation.compare(start, end)
        except (PortalUnavailable, PortalRefused) as exc:
            raise CommandError(f"the national portal could not be asked: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.differences:
            raise SystemExit(1)
