from django.core.management.base import BaseCommand

from egov.organizations import services

EXPORTERS = {"units": services.export_units_csv, "agencies": services.export_agencies_csv}


class Command(BaseCommand):
    help = "Prints administrative units or agencies as CSV, in the format the import reads."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTERS))

    def handle(self, *args, kind, **options):
        self.stdout.write(EXPORTERS[kind](), ending="")
