"""Runs the local population registry (demo data) that the gateway forwards look-ups to."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.exchange.registries import population


class Command(BaseCommand):
    help = "Serves the demo national population database on localhost (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8791)
        parser.add_argument("--data", default=str(population.DEMO_DATA), help="people, JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        httpd = population.server(port=options["port"], data=Path(options["data"]))
        self.stdout.write(f"population registry on http://127.0.0.1:{options['port']}/")
        httpd.serve_forever()
