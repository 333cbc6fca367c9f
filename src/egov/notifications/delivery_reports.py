"""Notifications: what the providers report after they accepted a message.

"Sent" means the provider accepted the message. A delivery report (eSMS's callback, Zalo's
``user_received_message`` webhook, an e-mail bounce) later says whether it reached the person:
:func:`record` matches it to the notification by the provider's message id and records
``delivered`` or ``undelivered`` once. An SMS reported undelivered is followed by the same
message on the next channel the person has and has not had it on (rendered when it was queued).
The callback views (``callbacks.py``) check each provider's signature before calling this.
"""

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from egov.core.masking import mask_text
from egov.notifications import conf, services
from egov.notifications.models import COPIED_ON_RESEND, Channel, Notification

logger = logging.getLogger("egov.notifications")
security_log = logging.getLogger("egov.security")

# Statuses in which a message is on its way to, or reached, its channel.
UNDER_WAY = {Notification.Status.QUEUED, Notification.Status.SENDING, Notification.Status.SENT}


class Outcome(enum.StrEnum):
    RECORDED = "recorded"
    REPEATED = "repeated"  # already reported: nothing changes
    UNKNOWN = "unknown"  # no sent message of ours has this id


@dataclass
class Report:
    """One provider's report about one message."""

    channel: str
    provider_ids: list[str]  # the ids the message may be stored under (first wins)
    delivered: bool
    reason: str = ""
    reported_at: datetime = field(default_factory=timezone.now)


def record(report: Report, *, source: str = "") -> Outcome:
    """Records a delivery report once; repeated or conflicting later reports change nothing."""
    ids = [value[:128] for value in report.provider_ids if value]
    delivery = Notification.Delivery
    state = delivery.DELIVERED if report.delivered else delivery.UNDELIVERED
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .filter(
                channel=report.channel,
                provider_message_id__in=ids,
                status=Notification.Status.SENT,
            )
            .order_by("pk")
            .first()
            if ids
            else None
        )
        if row is None:
            security_log.warning(
                "delivery report refused: unknown %s message id %r (from %s)",
                report.channel,
                ids[0][:100] if ids else "",
                source,
            )
            return Outcome.UNKNOWN
        if row.delivery:
            if row.delivery != state:
                logger.warning(
                    "notification %s: %s report after %s ignored", row.pk, state, row.delivery
                )
            return Outcome.REPEATED
        row.delivery = state
        row.delivery_reported_at = report.reported_at
        row.delivery_detail = mask_text(report.reason)[:500]
        row.save(update_fields=["delivery", "delivery_reported_at", "delivery_detail"])
        fallback = None
        if state == Notification.Delivery.UNDELIVERED and row.channel == Channel.SMS:
            fallback = queue_fallback(row)
    logger.info(
        "notification %s (%s): %s%s",
        row.pk,
        row.channel,
        state,
        f", sent again as notification {fallback.pk} ({fallback.channel})" if fallback else "",
    )
    return Outcome.RECORDED


def queue_fallback(row: Notification) -> Notification | None:
    """The next channel's version of an undelivered SMS, unless the person has (or is getting)
    this message on every other channel they have. Call inside the report's transaction."""
    fallbacks: dict = (row.data or {}).get("fallbacks") or {}
    if row.sensitive or not fallbacks:
        return None
    covered = {
        member.channel
        for member in _family(row)
        if member.status in UNDER_WAY and member.delivery != Notification.Delivery.UNDELIVERED
    }
    channel = next((c for c in services.CHANNEL_ORDER if c in fallbacks and c not in covered), None)
    if channel is None:
        return None
    version = fallbacks[channel]
    now = timezone.now()
    horizon = timedelta(seconds=conf.get("RETRY_HORIZON_SECONDS"))
    fields = {name: getattr(row, name) for name in COPIED_ON_RESEND}
    fields.update(
        channel=channel,
        address=version.get("address", ""),
        language=version.get("language") or row.language,
        subject=version.get("subject", ""),
        body=version.get("body", ""),
        data=version.get("data") or {},
    )
    queued = Notification.objects.create(
        **fields,
        resent_from=row,
        created_at=now,
        next_attempt_at=now,
        deadline=max(row.deadline, now + horizon),
    )
    services.schedule_delivery(urgent=row.priority > 0)
    return queued


def _family(row: Notification) -> list[Notification]:
    """Every copy of one message: what one notify() call wrote, and the copies made of them."""
    root = row
    seen = {row.pk}
    while root.resent_from_id and root.resent_from_id not in seen:
        parent = Notification.objects.filter(pk=root.resent_from_id).first()
        if parent is None:
            break
        seen.add(parent.pk)
        root = parent
    members = list(
        Notification.objects.filter(
            recipient_id=root.recipient_id,
            event=root.event,
            object_type=root.object_type,
            object_id=root.object_id,
            created_at=root.created_at,
        )
    )
    known = {member.pk for member in members} | {root.pk}
    if root.pk not in {member.pk for member in members}:
        members.append(root)
    frontier: Iterable[int] = set(known)
    while frontier:
        copies = list(
            Notification.objects.filter(resent_from_id__in=frontier).exclude(pk__in=known)
        )
        members.extend(copies)
        frontier = {copy.pk for copy in copies}
        known |= frontier
    return members
