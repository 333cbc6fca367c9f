"""Notifications: the delivery that empties the outbox.

Workers :func:`deliver_due`: they claim due rows (a status change plus a lease, under row locks),
hand each to its channel's adapter and record the outcome, retrying with exponential back-off
until the retry window ends. A worker that dies leaves claimed rows whose lease runs out; the next
worker takes them over and sends them again with the same Message-ID / request id, so the copy
can be recognised.
"""

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from egov.core.masking import mask_email, mask_phone, mask_text
from egov.notifications import conf
from egov.notifications.channels import (
    ChannelUnavailable,
    DeliveryError,
    PermanentError,
    RecipientUnreachable,
    TemporaryError,
    get_adapter,
)
from egov.notifications.models import (
    COPIED_ON_RESEND,
    Channel,
    DeliveryAttempt,
    Notification,
)

logger = logging.getLogger("egov.notifications")

ERASED = "[erased once sent]"
GAVE_UP = "the retry window ended before the message could be sent"


# ----------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0

    def add(self, other: "DeliveryReport") -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict:
        return asdict(self)


def retry_delay(attempt: int) -> float:
    """Exponential back-off (base · 2^(n-1), capped) with jitter so retries do not stampede."""
    base = conf.get("RETRY_BASE_SECONDS")
    ceiling = conf.get("RETRY_MAX_SECONDS")
    delay = min(ceiling, base * 2 ** max(attempt - 1, 0))
    return delay * random.uniform(0.5, 1.0)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_due(limit: int, lease_seconds: float) -> tuple[str, list[Notification]]:
    """Takes up to ``limit`` due notifications for this worker until the lease ends.

    Due means waiting and its time has come, or claimed by a worker whose lease ran out (it
    stopped mid-batch: the attempt it made is recorded as interrupted). On PostgreSQL, rows other
    workers are claiming are skipped (row locks); SQLite runs one writing transaction at a time.
    """
    token = f"{worker_name()}:{uuid.uuid4().hex[:12]}"[-64:]
    now = timezone.now()
    with transaction.atomic():
        due = Notification.objects.filter(
            status__in=[Notification.Status.QUEUED, Notification.Status.SENDING],
            next_attempt_at__lte=now,
        ).order_by("-priority", "next_attempt_at", "pk")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        if not rows:
            return token, []
        interrupted = [row for row in rows if row.status == Notification.Status.SENDING]
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                notification=row,
                number=row.attempts,
                started_at=row.next_attempt_at - timedelta(seconds=lease_seconds),
                finished_at=now,
                outcome=DeliveryAttempt.Outcome.INTERRUPTED,
                detail="the worker stopped before it recorded the outcome; sending again",
            )
            for row in interrupted
        )
        for row in rows:
            if row.deadline <= now:
                _finish(row, "", Result(DeliveryAttempt.Outcome.GAVE_UP, now, detail=GAVE_UP))
        claimed = [row for row in rows if row.deadline > now]
        Notification.objects.filter(pk__in=[row.pk for row in claimed]).update(
            status=Notification.Status.SENDING,
            claim=token,
            next_attempt_at=now + timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
        )
    for row in claimed:
        row.status = Notification.Status.SENDING
        row.claim = token
        row.attempts += 1
    if interrupted:
        logger.warning("took over %s notification(s) from a stopped worker", len(interrupted))
    return token, claimed


def deliver_due(
    *, limit: int | None = None, should_stop: Callable[[], bool] = lambda: False
) -> DeliveryReport:
    """Claims one batch of due notifications and delivers it."""
    lease = conf.get("LEASE_SECONDS")
    token, rows = claim_due(limit or conf.get("BATCH_SIZE"), lease)
    report = DeliveryReport(claimed=len(rows))
    # Stop well before the lease ends, so that no other worker takes over a message in hand.
    lease_ends = time.monotonic() + lease * 0.8

    def stop() -> bool:
        return should_stop() or time.monotonic() > lease_ends

    by_channel: dict[str, list[Notification]] = {}
    for row in rows:
        by_channel.setdefault(row.channel, []).append(row)
    for channel, group in by_channel.items():
        _deliver_group(channel, group, token, report, stop)
    return report


def _deliver_group(channel, rows, token, report: DeliveryReport, stop: Callable[[], bool]) -> None:
    unavailable: DeliveryError | None = None
    session = None
    try:
        session = get_adapter(channel).session()
    except Exception as exc:
        logger.exception("the %s channel cannot be used", channel)
        unavailable = TemporaryError(f"the {channel} channel cannot be used: {exc}")
    try:
        for row in rows:
            if stop():
                _release(row, token)
                report.released += 1
                continue
            started = timezone.now()
            if unavailable is not None:
                _record_error(row, token, unavailable, started, report)
                continue
            try:
                provider_id = session.send(row)
            except DeliveryError as exc:
                if isinstance(exc, ChannelUnavailable):
                    # The rest of the batch waits for the next attempt without trying.
                    unavailable = exc
                _record_error(row, token, exc, started, report)
            except Exception as exc:
                logger.exception("unexpected error sending notification %s", row.pk)
                error = TemporaryError(f"{type(exc).__name__}: {exc}")
                _record_error(row, token, error, started, report)
            else:
                sent = Result(DeliveryAttempt.Outcome.SENT, started, provider_id=provider_id)
                _finish(row, token, sent)
                report.sent += 1
    finally:
        if session is not None:
            session.__exit__(None, None, None)


@dataclass
class Result:
    """The outcome of one attempt."""

    outcome: str
    started: datetime
    finished: datetime = field(default_factory=timezone.now)
    detail: str = ""
    code: str = ""
    provider_id: str = ""
    next_at: datetime | None = None
    fallback_sms: str = ""


def _record_error(row, token, error: DeliveryError, started, report: DeliveryReport) -> None:
    result = Result("", started, detail=error.detail, code=error.code)
    if isinstance(error, PermanentError):
        result.outcome = DeliveryAttempt.Outcome.FAILED
        if isinstance(error, RecipientUnreachable):
            result.fallback_sms = row.data.get("fallback_sms", "")
        report.failed += 1
    else:
        result.next_at = result.finished + timedelta(seconds=retry_delay(row.attempts))
        if result.next_at > row.deadline:
            result.outcome, result.next_at = DeliveryAttempt.Outcome.GAVE_UP, None
            report.failed += 1
        else:
            result.outcome = DeliveryAttempt.Outcome.RETRY
            report.retried += 1
    _finish(row, token, result)


def _finish(row, token: str, result: Result) -> None:
    """Records one attempt and the notification's new state in one short transaction."""
    detail = mask_text(result.detail)[:500]
    changes: dict = {"claim": "", "next_attempt_at": result.next_at}
    if result.outcome == DeliveryAttempt.Outcome.SENT:
        changes.update(status=Notification.Status.SENT, sent_at=result.finished, last_error="")
        changes["provider_message_id"] = result.provider_id[:128]
        if row.sensitive:
            changes.update(body=ERASED, data={})
    elif result.outcome == DeliveryAttempt.Outcome.RETRY:
        changes.update(status=Notification.Status.QUEUED, last_error=detail)
    else:
        changes.update(status=Notification.Status.FAILED, failed_at=result.finished)
        changes["last_error"] = detail
    current = Notification.objects.filter(pk=row.pk)
    if token:
        current = current.filter(claim=token, status=Notification.Status.SENDING)
    with transaction.atomic():
        updated = current.update(**changes)
        DeliveryAttempt.objects.create(
            notification_id=row.pk,
            number=row.attempts,
            started_at=result.started,
            finished_at=result.finished,
            outcome=result.outcome,
            code=result.code[:32],
            detail=detail,
            worker=token,
        )
        if result.fallback_sms and updated:
            _queue_fallback_sms(row, result)
    for name, value in changes.items():
        setattr(row, name, value)
    address = mask_email(row.address) if row.channel == Channel.EMAIL else mask_phone(row.address)
    log = logger.debug if result.outcome == DeliveryAttempt.Outcome.SENT else logger.warning
    log("notification %s (%s to %s): %s %s", row.pk, row.channel, address, result.outcome, detail)
    if token and not updated:
        logger.warning("notification %s was taken over by another worker meanwhile", row.pk)


def _queue_fallback_sms(row, result: Result) -> None:
    """The number has no Zalo: the SMS version of the message goes instead."""
    fields = {name: getattr(row, name) for name in COPIED_ON_RESEND}
    fields.update(channel=Channel.SMS, body=result.fallback_sms, data={}, resent_from_id=row.pk)
    Notification.objects.create(
        **fields,
        created_at=result.finished,
        next_attempt_at=result.finished,
        deadline=max(row.deadline, result.finished + timedelta(minutes=10)),
    )


def _release(row, token) -> None:
    """Gives an unsent claimed row back (the worker is stopping or its lease is nearly over)."""
    Notification.objects.filter(pk=row.pk, claim=token, status=Notification.Status.SENDING).update(
        status=Notification.Status.QUEUED,
        claim="",
        next_attempt_at=timezone.now(),
        attempts=F("attempts") - 1,
    )


def next_retry_at() -> datetime | None:
    """When the earliest waiting message falls due."""
    return (
        Notification.objects.filter(status=Notification.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def deliver_pending(
    *, max_seconds: float | None = None, should_stop: Callable[[], bool] = lambda: False
) -> DeliveryReport:
    """Delivers batch after batch until nothing is due (or time is up)."""
    total = DeliveryReport()
    until = time.monotonic() + max_seconds if max_seconds else None
    while not should_stop():
        report = deliver_due(should_stop=should_stop)
        total.add(report)
        if report.claimed == 0 or (until and time.monotonic() > until):
            break
    return total
