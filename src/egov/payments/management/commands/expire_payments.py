from django.core.management.base import BaseCommand

from egov.core.loops import Loop
from egov.payments import services


class Command(BaseCommand):
    help = (
        "Marks expired the online payments still waiting for the gateway "
        "EGOV_PAYMENT_EXPIRE_AFTER_MINUTES after the gateway's own expiry, so that the citizen's "
        "and the desk's pages stop saying 'waiting for the gateway'. Each payment start also "
        "queues this for its own time; run it from cron every 10 minutes, or with --loop, to "
        "catch what the queue missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument("--interval", type=float, default=600.0, help="seconds between sweeps")

    def handle(self, *args, loop: bool, interval: float, **options):
        def sweep() -> bool:
            expired = services.expire_abandoned()
            if expired and options["verbosity"] >= 1:
                self.stdout.write(f"expired {expired} payment(s)")
            return False  # one sweep per interval

        if loop:
            Loop("payment_expiry", interval).run(sweep)
        else:
            sweep()
