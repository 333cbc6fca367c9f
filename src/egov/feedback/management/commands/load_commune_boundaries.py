import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.feedback import services


class Command(BaseCommand):
    help = (
        "Loads commune boundaries from a GeoJSON FeatureCollection (WGS 84) whose features carry "
        "the commune's statistical code in the property 'code' (or 'ma'). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the GeoJSON file")

    def handle(self, *args, path, **options):
        try:
            collection = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list):
            raise CommandError("the file is not a GeoJSON FeatureCollection")
        try:
            count = services.load_boundaries(features, actor=None, source=Path(path).name)
        except ValidationError as exc:
            raise CommandError("nothing loaded:\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Boundaries loaded: {count}"))
