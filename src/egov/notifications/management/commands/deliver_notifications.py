import signal
import time

from django.core.management.base import BaseCommand

from egov.notifications import services


class Command(BaseCommand):
    help = (
        "Delivers due notifications: once (for cron), or with --loop as a long-running sweeper "
        "that also sends retries when they fall due and takes over what stopped workers left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between sweeps when idle"
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(f"Delivering notifications as {services.worker_name()}.")
            self.stdout.flush()
        while True:
            report = services.deliver_pending(should_stop=lambda: self.stopping)
            if report.claimed and options["verbosity"] >= 1:
                self.stdout.write(
                    "claimed {claimed}, sent {sent}, retrying {retried}, failed {failed}".format(
                        **report.as_dict()
                    )
                )
            if not loop or self.stopping:
                return
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(min(0.1, interval))
                slept += min(0.1, interval)

    def _stop(self, signum, frame):
        # Finish the message in hand; give the rest of the batch back for others.
        self.stopping = True
