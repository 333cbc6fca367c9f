from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.organizations import services

IMPORTERS = {
    "units": services.import_units_csv,
    "agencies": services.import_agencies_csv,
    "successions": services.import_successions_csv,
}


class Command(BaseCommand):
    help = (
        "Imports administrative units, agencies or unit successions from a CSV file "
        "(format: docs/organizations.md). A file with any bad row imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind, file, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist")
        report = IMPORTERS[kind](file.read_bytes(), actor=None, filename=file.name)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(f"{kind}: {report.created} created, {report.updated} updated.")
        )
