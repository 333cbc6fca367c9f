from django.core.management.base import BaseCommand

from egov.notifications import services


class Command(BaseCommand):
    help = "Adds the shipped notification texts that the template table lacks (never overwrites)."

    def handle(self, *args, **options):
        added = services.load_default_templates()
        self.stdout.write(f"Notification templates added: {added}")
