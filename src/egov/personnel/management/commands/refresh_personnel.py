from django.core.management.base import BaseCommand

from egov.personnel import services


class Command(BaseCommand):
    help = (
        "Brings the stored current state of civil servants up to today: those whose recorded "
        "events change it by today (run daily from cron, after midnight), or everyone with --all "
        "(after a change of the legal rules in egov.personnel.rules)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every record")

    def handle(self, *args, all=False, **options):
        done = services.refresh_all() if all else services.refresh_due()
        self.stdout.write(f"Personnel states recomputed: {done}")
