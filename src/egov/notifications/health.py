"""The outbox's part of /healthz: messages due and not taken by any sender."""

from django.db.models import Min
from django.utils import timezone

from egov.core import health, outage


def outbox_health() -> dict:
    from egov.notifications.models import Notification

    now = timezone.now()
    try:
        # Due: waiting and its time has come, or claimed by a sender whose lease ran out.
        due = Notification.objects.filter(
            status__in=[Notification.Status.QUEUED, Notification.Status.SENDING],
            next_attempt_at__lte=now,
        )
        summary = due.aggregate(oldest=Min("next_attempt_at"))
        waiting = due.count()
    except outage.UNAVAILABLE as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    age = (now - summary["oldest"]).total_seconds() if summary["oldest"] else 0.0
    return {
        "status": health.queue_status(age),
        "waiting": waiting,
        "oldest_due_seconds": round(max(age, 0.0), 1),
    }
