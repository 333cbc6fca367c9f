import time

from django.conf import settings
from django.core.management.base import BaseCommand

from egov.documents import exchange
from egov.documents.axis import AxisRefused, AxisUnavailable


class Command(BaseCommand):
    help = (
        "Sends the document exchange outbox and takes what the axis holds for this platform "
        "(once, or every EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS with --loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, loop=False, **options):
        while True:
            sent = exchange.send_due()
            try:
                received = exchange.poll()
            except (AxisUnavailable, AxisRefused) as exc:
                received = {"error": str(exc)}
            self.stdout.write(f"sent {sent} received {received}")
            if not loop:
                return
            time.sleep(settings.EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS)
