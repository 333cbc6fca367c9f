import json

from django.core.management.base import BaseCommand

from egov.catalog import exchange


class Command(BaseCommand):
    help = "Prints the whole catalogue (every version, with template files) as a JSON bundle."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(exchange.export_bundle(), ensure_ascii=False, indent=1))
