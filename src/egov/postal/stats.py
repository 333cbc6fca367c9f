"""Counts of the public postal service for the statistics reports.

A dossier is *received by post* when its papers came by post (submitted through the postal
channel, or picked up by the post) and the desk received it in the period; its result is
*returned by post* when the desk handed the result to the post in the period. *Both ways*
counts, among the latter, the dossiers that also came in by post (counted when the two-way
journey ends, so no dossier is counted twice in one period).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from egov.dossiers.models import Channel, Dossier
from egov.postal.models import Shipment


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """Local days ``start`` to ``end`` inclusive, as aware datetimes [from, until)."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    return since, until


def _came_by_post():
    picked_up = Shipment.objects.filter(
        dossier=OuterRef("pk"), direction=Shipment.Direction.PICK_UP
    )
    return Q(channel=Channel.POST) | Q(Exists(picked_up))


def counts(
    period_start: datetime.date,
    period_end: datetime.date,
    agency_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """``received_by_post``, ``returned_by_post`` and ``both_ways`` for the receiving agencies
    ``agency_ids`` (all agencies when None) between two dates, both included."""
    since, until = _bounds(period_start, period_end)
    dossiers = Dossier.objects.filter(province_code=settings.EGOV_PROVINCE_CODE)
    if agency_ids is not None:
        dossiers = dossiers.filter(receiving_agency_id__in=list(agency_ids))
    received = dossiers.filter(_came_by_post(), received_at__gte=since, received_at__lt=until)
    handed_over = Shipment.objects.filter(
        dossier=OuterRef("pk"),
        direction=Shipment.Direction.DELIVERY,
        created_at__gte=since,
        created_at__lt=until,
    )
    returned = dossiers.filter(Exists(handed_over))
    return {
        "received_by_post": received.count(),
        "returned_by_post": returned.count(),
        "both_ways": returned.filter(_came_by_post()).count(),
    }
