from django.core.management.base import BaseCommand

from egov.feedback import services


class Command(BaseCommand):
    help = (
        "Closes the answered citizen reports whose time to rate or reopen has passed "
        "(EGOV_FEEDBACK_REOPEN_DAYS). Run daily (cron or the task in egov.feedback.tasks)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Reports closed: {services.close_answered()}")
