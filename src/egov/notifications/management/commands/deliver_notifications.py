from django.core.management.base import BaseCommand

from egov.core.loops import Loop
from egov.notifications import delivery


class Command(BaseCommand):
    help = (
        "Delivers due notifications: once (for cron), or with --loop as a long-running sweeper "
        "that also sends retries when they fall due and takes over what stopped workers left. "
        "The sweeper waits out database outages and carries on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between sweeps when idle"
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        sweeper = Loop("notifications", interval)

        def sweep() -> bool:
            # Finish the message in hand on SIGTERM; give the rest of the batch back for others.
            report = delivery.deliver_pending(should_stop=lambda: sweeper.stopping)
            if report.claimed and options["verbosity"] >= 1:
                self.stdout.write(
                    "claimed {claimed}, sent {sent}, retrying {retried}, failed {failed}".format(
                        **report.as_dict()
                    )
                )
            return False  # deliver_pending sends until nothing is due: sleep until the next sweep

        if not loop:
            sweep()
            return
        self.stdout.write(f"Delivering notifications as {delivery.worker_name()}.")
        self.stdout.flush()
        sweeper.run(sweep)
