"""Recounts the statistics from scratch and compares with the stored aggregates; exits with
status 1 when they disagree (to run from a monitoring job)."""

from django.core.management.base import BaseCommand, CommandError

from egov.reports import satisfaction, tallies


class Command(BaseCommand):
    help = "Check that the statistics' aggregates agree with a recount of the dossiers."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--show", type=int, default=20, help="Differences to print.")

    def handle(self, *args, batch_size, show, **options):
        problems = tallies.differences(batch_size=batch_size, limit=0)
        problems += satisfaction.differences()
        for problem in problems[:show]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} differences between the aggregates and a recount; "
                "run rebuild_reports to repair them."
            )
        self.stdout.write(self.style.SUCCESS("The aggregates agree with a recount."))
