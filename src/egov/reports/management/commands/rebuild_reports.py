"""Recounts every aggregate of the statistics from the dossiers and ratings.

Needed once after installing or upgrading to a version that adds figures, and after loading
dossiers without the platform's services (the benchmark generator writes with COPY).
"""

from django.core.management.base import BaseCommand

from egov.reports import satisfaction, tallies


class Command(BaseCommand):
    help = "Rebuild the statistics' aggregates from the dossiers and ratings."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size, **options):
        def progress(count):
            if count % (batch_size * 20) == 0:
                self.stdout.write(f"{count} dossiers counted")

        dossiers = tallies.rebuild(batch_size=batch_size, progress=progress)
        ratings = satisfaction.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Aggregates rebuilt from {dossiers} dossiers and {ratings} ratings."
            )
        )
