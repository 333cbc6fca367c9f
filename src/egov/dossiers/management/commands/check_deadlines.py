import signal
import time

from django.core.management.base import BaseCommand

from egov.dossiers import apologies


class Command(BaseCommand):
    help = (
        "Warns each agency's leaders about dossiers whose appointment is near, once per dossier, "
        "so an apology letter (form 04) can still be sent in time. Run it from cron every 15 "
        "minutes, or with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument("--interval", type=float, default=900.0, help="seconds between checks")

    def handle(self, *args, loop: bool, interval: float, **options):
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            warned = apologies.warn_agencies()
            if warned and options["verbosity"] >= 1:
                self.stdout.write(f"warned about {warned} dossier(s)")
            if not loop or self.stopping:
                return
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(1)
                slept += 1

    def _stop(self, *args):
        self.stopping = True
