import sys

from django.core.management.base import BaseCommand

from egov.payments import services
from egov.payments.models import Refund


class Command(BaseCommand):
    help = (
        "Sends every refund still waiting for the gateway (those whose task gave up or was "
        "lost) and lists those the gateway refused; exits with status 1 when any is left."
    )

    def handle(self, *args, **options):
        left = 0
        for refund in services.refunds_waiting():
            if refund.status == Refund.Status.PENDING:
                refund = services.send_refund(refund.pk)
            self.stdout.write(
                f"{refund.payment.txn_ref}\t{refund.amount}\t{refund.status}\t{refund.last_error}"
            )
            left += refund.status != Refund.Status.DONE
        self.stdout.write(f"{left} refunds left")
        if left:
            sys.exit(1)
