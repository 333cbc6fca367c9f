from axes.utils import reset as axes_reset
from django.core.management.base import BaseCommand

from egov.accounts import lockout


class Command(BaseCommand):
    help = (
        "Lift the sign-in lock-out of client addresses: the limit per address across accounts "
        "and django-axes's per-account attempts from them."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="+")

    def handle(self, *args, **options):
        for address in options["address"]:
            lockout.reset(address)
            removed = axes_reset(ip=address)
            self.stdout.write(f"{address}: unlocked ({removed} per-account attempts removed)")
