from django.core.management.base import BaseCommand

from egov.notifications.channels import zalo_token


class Command(BaseCommand):
    help = (
        "Stores a Zalo OA refresh token (after authorising the app on the Official Account); "
        "the next Zalo message renews the access token with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("refresh_token")

    def handle(self, *args, refresh_token: str, **options):
        zalo_token.set_refresh_token(refresh_token.strip())
        self.stdout.write("Zalo refresh token stored.")
