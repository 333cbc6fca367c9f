import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from egov.payments import services
from egov.payments.models import Payment, Refund


@task()
def render_receipt(payment_id: int) -> str:
    """Draws the e-receipt after the payment committed, away from the gateway's notice (which
    must answer quickly)."""
    payment = services.ensure_receipt(Payment.objects.get(pk=payment_id))
    return payment.receipt.name


@task()
def send_refund(refund_id: int, attempt: int = 1) -> str:
    """Sends a refund through the gateway; while the gateway cannot be reached (or answers
    unsigned or with its own error), tries again with back-off on backends that can defer, up to
    EGOV_PAYMENT_REFUND_MAX_ATTEMPTS. What is still waiting then shows on the desk's page and in
    `manage.py send_refunds`."""
    refund = services.send_refund(refund_id)
    if refund.status == Refund.Status.PENDING:
        backend = send_refund.get_backend()
        if attempt < settings.EGOV_PAYMENT_REFUND_MAX_ATTEMPTS and backend.supports_defer:
            delay = settings.EGOV_PAYMENT_REFUND_RETRY_SECONDS * 2 ** (attempt - 1)
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
            send_refund.using(run_after=run_after).enqueue(refund_id, attempt + 1)
    return refund.status


@task()
def expire_payments() -> int:
    """Expires the payments abandoned at the gateway (queued, deferred, when each payment
    starts: see services.expire_abandoned)."""
    return services.expire_abandoned()
