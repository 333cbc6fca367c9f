from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.queueing import services


class Command(BaseCommand):
    help = (
        "Deletes queue tickets of days older than N days (default EGOV_QUEUE_RETENTION_DAYS). "
        "Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = settings.EGOV_QUEUE_RETENTION_DAYS if days is None else days
        try:
            deleted = services.purge(older_than_days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Queue tickets deleted: {deleted} (kept the last {days} days)")
