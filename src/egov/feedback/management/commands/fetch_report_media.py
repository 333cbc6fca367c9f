from django.core.management.base import BaseCommand

from egov.feedback import services


class Command(BaseCommand):
    help = (
        "Fetches the photos that Open311 client applications named by media_url and keeps "
        "checked copies without metadata; tries unreachable servers again later. The task "
        "egov.feedback.tasks.fetch_report_media does it when a report arrives: run this every "
        "few minutes (cron) as the net for lost tasks."
    )

    def handle(self, *args, **options):
        counts = services.fetch_media_urls()
        self.stdout.write(
            "Photos fetched: {fetched}; to try again: {retried}; given up: {failed}".format(
                **counts
            )
        )
