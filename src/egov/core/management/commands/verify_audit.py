from django.core.management.base import BaseCommand, CommandError

from egov.core.audit import verify_chain
from egov.core.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "Recomputes the audit trail's hash chains; exits non-zero at the first broken record."

    def handle(self, *args, **options):
        for problem in verify_chain():
            raise CommandError(
                f"Audit chain {problem.chain} broken at record #{problem.seq}: {problem.reason}"
            )
        count = AuditEvent.objects.count()
        chains = AuditChainHead.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {count} records verified in {chains} chain(s)."
            )
        )
