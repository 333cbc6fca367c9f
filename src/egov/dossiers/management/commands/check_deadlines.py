from django.core.management.base import BaseCommand

from egov.core.loops import Loop
from egov.dossiers import apologies


class Command(BaseCommand):
    help = (
        "Warns each agency's leaders about dossiers whose appointment is near, once per dossier, "
        "so an apology letter (form 04) can still be sent in time. Run it from cron every 15 "
        "minutes, or with --loop (which waits out database outages and carries on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until stopped")
        parser.add_argument("--interval", type=float, default=900.0, help="seconds between checks")

    def handle(self, *args, loop: bool, interval: float, **options):
        def check() -> bool:
            warned = apologies.warn_agencies()
            if warned and options["verbosity"] >= 1:
                self.stdout.write(f"warned about {warned} dossier(s)")
            return False  # one check per interval, whatever it found

        if loop:
            Loop("deadlines", interval).run(check)
        else:
            check()
