from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.personnel import spreadsheet


class Command(BaseCommand):
    help = (
        "Imports civil servant records from the provincial Excel workbook (sheets “Cán bộ” and "
        "“Diễn biến”), all or nothing, as the system (every agency); prints each wrong cell."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = spreadsheet.import_workbook(data, actor=None, filename=file.name)
        if not result.ok:
            for error in result.report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(result.report.errors)} cells to fix.")
        self.stdout.write(
            f"Imported: {result.people_created} records created, {result.people_updated} "
            f"updated, {result.events_created} events added."
        )
