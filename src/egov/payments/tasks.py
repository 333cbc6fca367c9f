from django_tasks import task

from egov.payments import services
from egov.payments.models import Payment


@task()
def render_receipt(payment_id: int) -> str:
    """Draws the e-receipt after the payment committed, away from the gateway's notice (which
    must answer quickly)."""
    payment = services.ensure_receipt(Payment.objects.get(pk=payment_id))
    return payment.receipt.name
