"""The management commands that run a registry's local provider share this."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def command(module: Any, name: str, port_setting: str) -> type[BaseCommand]:
    """A command serving ``module.server`` (demo data by default) on the port the setting names
    (the platform's port + 795 … + 798, so that `make run PORT=…` moves them too)."""

    class Command(BaseCommand):
        help = f"Serves the demo {name} on localhost (development only)."

        def add_arguments(self, parser: CommandParser) -> None:
            parser.add_argument("--port", type=int, default=getattr(settings, port_setting))
            parser.add_argument("--data", default=str(module.DEMO_DATA), help="records, JSON")

        def handle(self, *args: Any, **options: Any) -> None:
            httpd = module.server(port=options["port"], data=Path(options["data"]))
            self.stdout.write(f"{name} on http://127.0.0.1:{httpd.server_address[1]}/")
            self.stdout.flush()
            httpd.serve_forever()

    return Command
