from django.conf import settings
from django.core.management.base import BaseCommand

from egov.core.loops import Loop
from egov.documents import exchange
from egov.documents.axis import AxisRefused, AxisUnavailable


class Command(BaseCommand):
    help = (
        "Sends the document exchange outbox and takes what the axis holds for this platform "
        "(once, or every EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS with --loop, which waits out "
        "database outages and carries on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, loop=False, **options):
        def exchange_round() -> bool:
            sent = exchange.send_due()
            try:
                received = exchange.poll()
            except (AxisUnavailable, AxisRefused) as exc:
                received = {"error": str(exc)}
            if options["verbosity"] >= 1:
                self.stdout.write(f"sent {sent} received {received}")
            return False  # one round per interval

        if loop:
            Loop("documents-exchange", settings.EGOV_DOCUMENTS_EXCHANGE_POLL_SECONDS).run(
                exchange_round
            )
        else:
            exchange_round()
