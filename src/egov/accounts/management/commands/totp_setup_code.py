from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.accounts import enrolment
from egov.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a one-time setup code with which a staff member enrols an authenticator app "
        "(two-step sign-in). For operators on the server; agency administrators issue codes "
        "on the staff site's People page. The code is printed once and recorded in the audit "
        "trail as issued by the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not enrolment.may_issue(None, user):
            raise CommandError(f"{options['username']}: no active staff member has this user name")
        record, code = enrolment.issue(actor=None, user=user)
        until = timezone.localtime(record.expires_at)
        self.stdout.write(
            f"Setup code for {user.username}: {code} (once, until {until:%Y-%m-%d %H:%M})"
        )
