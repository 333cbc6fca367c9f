import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.catalog import exchange


class Command(BaseCommand):
    help = "Adds the versions of a catalogue bundle (export_catalog) that this installation lacks."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            bundle = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file} cannot be read as JSON: {exc}") from exc
        report = exchange.import_bundle(bundle, actor=None)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{report.created} versions added."))
