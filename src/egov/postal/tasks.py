import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from egov.postal import services
from egov.postal.operators import OperatorUnavailable, OrderRefused


@task()
def book_shipment(shipment_id: int, attempt: int = 1) -> str:
    """Books a shipment; while the operator cannot be reached, tries again with back-off (on
    backends that can defer), up to EGOV_POSTAL_BOOKING_MAX_ATTEMPTS."""
    try:
        shipment = services.book(shipment_id)
    except OrderRefused:
        return "refused"  # the desk sees the operator's reason on the dossier page
    except OperatorUnavailable:
        backend = book_shipment.get_backend()
        if attempt < settings.EGOV_POSTAL_BOOKING_MAX_ATTEMPTS and backend.supports_defer:
            delay = settings.EGOV_POSTAL_BOOKING_RETRY_SECONDS * 2 ** (attempt - 1)
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
            book_shipment.using(run_after=run_after).enqueue(shipment_id, attempt + 1)
        return "unavailable"
    return shipment.status
