"""One budget of queue numbers per client address, shared by the kiosk page and the API, so
that nobody floods a desk's queue with tickets (settings.EGOV_QUEUE_ISSUE_RATE)."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def _rate(group, request) -> str:
    return settings.EGOV_QUEUE_ISSUE_RATE


def issue_limited(request) -> bool:
    """Counts this attempt and says whether the address went over its budget."""
    return is_ratelimited(request, group="queueing.issue", key="ip", rate=_rate, increment=True)
