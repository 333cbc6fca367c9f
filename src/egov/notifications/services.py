"""Notifications: the outbox that other apps write to, and the delivery that empties it.

Other apps call :func:`notify` inside the transaction that changes their state. It writes one
:class:`Notification` per channel the recipient chose, already rendered, and asks for a delivery
task when (and only when) the transaction commits. Workers then :func:`deliver_due`: they claim
due rows (a status change plus a lease, under row locks), hand each to its channel's adapter and
record the outcome, retrying with exponential back-off until the retry window ends. A worker that
dies leaves claimed rows whose lease runs out; the next worker takes them over and sends them
again with the same Message-ID / request id, so the copy can be recognised.
"""

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.core.masking import mask_email, mask_phone, mask_text
from egov.notifications import conf, defaults, events, rendering
from egov.notifications.channels import (
    ChannelUnavailable,
    DeliveryError,
    PermanentError,
    RecipientUnreachable,
    TemporaryError,
    enabled_channels,
    get_adapter,
)
from egov.notifications.models import (
    Channel,
    DeliveryAttempt,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)

logger = logging.getLogger("egov.notifications")

CHANNEL_ORDER = ("email", "sms", "zalo")
COPIED_ON_RESEND = [
    "event",
    "channel",
    "language",
    "recipient",
    "address",
    "object_type",
    "object_id",
    "agency",
    "province_code",
    "subject",
    "body",
    "data",
    "sensitive",
    "priority",
]
ERASED = "[erased once sent]"
GAVE_UP = "the retry window ended before the message could be sent"


@dataclass(frozen=True)
class Contact:
    """Someone to reach who is not (or not yet) an account: e.g. a phone number being verified."""

    email: str | None = None
    phone: str | None = None
    language: str = "vi"


# --- Preferences ---------------------------------------------------------------------------------


def default_channels(user) -> list[str]:
    """Without a choice of their own, people hear by e-mail, or by SMS when they have no e-mail."""
    if user.email:
        return ["email"]
    if user.phone:
        return ["sms"]
    return []


def preference_for(user) -> NotificationPreference:
    """The saved preference, or the default one (not saved)."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user, channels=default_channels(user), language="vi")


@transaction.atomic
def set_preferences(*, user, channels: Iterable[str], language: str) -> NotificationPreference:
    chosen = [channel for channel in CHANNEL_ORDER if channel in set(channels)]
    current = preference_for(user)
    before = {"channels": current.channels, "language": current.language}
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"channels": chosen, "language": language}
    )
    audit.record(
        actor=user,
        action="notifications.preferences_changed",
        obj=user,
        before=before,
        after={"channels": chosen, "language": language},
    )
    return preference


# --- Writing to the outbox -----------------------------------------------------------------------


def _address(recipient, channel: str) -> str:
    value = recipient.email if channel == Channel.EMAIL else recipient.phone
    return (value or "").strip()


def _about(about) -> tuple[str, str]:
    if about is None:
        return "", ""
    if isinstance(about, models.Model):
        return about._meta.label_lower, str(about.pk)
    object_type, object_id = about
    return str(object_type), str(object_id)


def template_for(event: str, channel: str, language: str) -> NotificationTemplate | None:
    """The administrators' template, else the shipped text; Vietnamese when a language lacks one."""
    for lang in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        found = NotificationTemplate.objects.filter(
            event=event, channel=channel, language=lang
        ).first()
        if found:
            return found
        text = defaults.default_text(event, channel, lang)
        if text:
            return NotificationTemplate(event=event, channel=channel, language=lang, **text)
    return None


def _usable_template(event: str, channel: str, recipient, language: str, enabled: list[str]):
    if channel not in enabled or not _address(recipient, channel):
        return None
    for lang in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        template = template_for(event, channel, lang)
        # Zalo sends only templates it approved: one without an ID cannot be used.
        if template and (channel != Channel.ZALO or template.zns_template_id):
            return template
    return None


def render_for(template, context: dict) -> rendering.Rendered:
    adapter = get_adapter(template.channel)
    return rendering.render(
        template,
        {"site_name": settings.EGOV_SITE_NAME, **context},
        template.language,
        strip_diacritics=adapter.strip_diacritics,
        max_segments=conf.get("SMS_MAX_SEGMENTS"),
    )


def notify(
    event: str,
    *,
    recipient,
    context: dict,
    about=None,
    agency_id: int | None = None,
    channels: Iterable[str] | None = None,
    language: str | None = None,
) -> list[Notification]:
    """Queues ``event`` for ``recipient`` (a User or a :class:`Contact`) in the caller's
    transaction.

    ``about`` is what the message concerns (a model instance or ``(object_type, object_id)``,
    e.g. the dossier): the delivery log is kept per object and scoped by ``agency_id``.
    ``channels`` overrides the recipient's choice (a code sent to the number being verified).
    When none of the chosen channels can carry the message, the first that can is used; when
    none can, a failed notification says so to administrators. Nothing here raises for content:
    the caller's change must not fail because a message cannot be written.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must be called inside the transaction that makes the change")
    event_type = events.get(event)
    if isinstance(recipient, Contact):
        user = None
        language = language or recipient.language
        # Without a choice, the first channel that can reach the address (see below).
        wanted = list(channels or [])
    else:
        user = recipient
        preference = preference_for(recipient)
        language = language or preference.language
        wanted = list(channels if channels is not None else preference.channels)
    enabled = enabled_channels()
    plan = []
    for channel in CHANNEL_ORDER:
        if channel in wanted:
            template = _usable_template(event, channel, recipient, language, enabled)
            if template:
                plan.append(template)
    if not plan:
        for channel in CHANNEL_ORDER:
            template = _usable_template(event, channel, recipient, language, enabled)
            if template:
                plan = [template]
                break

    now = timezone.now()
    horizon = event_type.expires_after or timedelta(seconds=conf.get("RETRY_HORIZON_SECONDS"))
    object_type, object_id = _about(about)
    common = {
        "event": event,
        "recipient": user,
        "object_type": object_type,
        "object_id": object_id,
        "agency_id": agency_id,
        "province_code": settings.EGOV_PROVINCE_CODE,
        "sensitive": event_type.sensitive,
        "priority": event_type.priority,
        "created_at": now,
        "deadline": now + horizon,
        "next_attempt_at": now,
    }
    rows = []
    for template in plan:
        try:
            rendered = render_for(template, context)
        except Exception as exc:
            logger.exception("notification %s/%s could not be rendered", event, template.channel)
            rows.append(
                _undeliverable(common, template.channel, recipient, language, f"template: {exc}")
            )
            continue
        if template.channel == Channel.ZALO and all(t.channel != Channel.SMS for t in plan):
            rendered.data["fallback_sms"] = _fallback_sms(event, recipient, language, context)
        rows.append(
            Notification(
                **common,
                channel=template.channel,
                language=template.language,
                address=_address(recipient, template.channel),
                subject=rendered.subject,
                body=rendered.body,
                data=rendered.data,
            )
        )
    if not plan:
        channel = next((c for c in CHANNEL_ORDER if c in wanted), Channel.EMAIL)
        rows.append(
            _undeliverable(
                common, channel, recipient, language, "no enabled channel can reach the recipient"
            )
        )
    Notification.objects.bulk_create(rows)
    if any(row.status == Notification.Status.QUEUED for row in rows):
        _schedule_delivery(urgent=event_type.priority > 0)
    return rows


def _fallback_sms(event, recipient, language, context) -> str:
    """The SMS to send instead when the number turns out to have no Zalo account."""
    template = _usable_template(event, Channel.SMS, recipient, language, enabled_channels())
    if template is None:
        return ""
    try:
        return render_for(template, context).body
    except Exception:
        logger.exception("the SMS fallback of %s could not be rendered", event)
        return ""


def _undeliverable(common: dict, channel, recipient, language, reason: str) -> Notification:
    logger.warning("notification %s for %s cannot be sent: %s", common["event"], channel, reason)
    return Notification(
        **{**common, "next_attempt_at": None},
        channel=channel,
        language=language,
        address=_address(recipient, channel),
        status=Notification.Status.FAILED,
        failed_at=common["created_at"],
        last_error=reason[:500],
    )


def _enqueue_delivery(urgent: bool = False) -> None:
    from egov.notifications.tasks import deliver_notifications

    task = deliver_notifications.using(priority=10) if urgent else deliver_notifications
    try:
        task.enqueue()
    except Exception:
        # The sweeper (manage.py deliver_notifications) delivers what is due anyway.
        logger.exception("could not enqueue the notification delivery task")


def _enqueue_urgent_delivery() -> None:
    _enqueue_delivery(urgent=True)


def _schedule_delivery(*, urgent: bool) -> None:
    """One delivery task per committed transaction, however many notifications it wrote."""
    callback = _enqueue_urgent_delivery if urgent else _enqueue_delivery
    connection = transaction.get_connection()
    if not any(func is callback for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(callback, robust=True)


# --- Delivering ----------------------------------------------------------------------------------


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


# --- Administrators ------------------------------------------------------------------------------


@transaction.atomic
def resend(notification: Notification, *, actor) -> Notification:
    """A failed message is queued again with a fresh retry window; a sent one is copied anew."""
    now = timezone.now()
    horizon = timedelta(seconds=conf.get("RETRY_HORIZON_SECONDS"))
    before = {"status": notification.status, "attempts": notification.attempts}
    if notification.status == Notification.Status.FAILED:
        if not notification.body:
            raise ValueError(_("This notification has no text to send."))
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.QUEUED,
            next_attempt_at=now,
            deadline=now + horizon,
            failed_at=None,
        )
        notification.refresh_from_db()
        queued = notification
    elif notification.status == Notification.Status.SENT:
        if notification.sensitive:
            raise ValueError(_("A one-time code is not sent twice; ask for a new one."))
        queued = Notification.objects.create(
            **{name: getattr(notification, name) for name in COPIED_ON_RESEND},
            status=Notification.Status.QUEUED,
            next_attempt_at=now,
            created_at=now,
            deadline=now + horizon,
            resent_from=notification,
        )
    else:
        raise ValueError(_("This notification is already waiting to be sent."))
    audit.record(
        actor=actor,
        action="notifications.resent",
        obj=notification,
        agency_id=notification.agency_id,
        before=before,
        after={"queued": queued.pk, "status": queued.status},
    )
    _schedule_delivery(urgent=False)
    return queued


@transaction.atomic
def save_template(
    *, actor, event: str, channel: str, language: str, subject: str, body: str, zns_template_id: str
) -> NotificationTemplate:
    template = NotificationTemplate.objects.filter(
        event=event, channel=channel, language=language
    ).first()
    fields = ["subject", "body", "zns_template_id"]
    before = audit.snapshot(template, fields) if template else None
    if template is None:
        template = NotificationTemplate(event=event, channel=channel, language=language)
    template.subject = subject if channel == Channel.EMAIL else ""
    template.body = body
    template.zns_template_id = zns_template_id if channel == Channel.ZALO else ""
    template.updated_by = actor
    template.save()
    audit.record(
        actor=actor,
        action="notifications.template_changed",
        obj=template,
        before=before,
        after=audit.snapshot(template, fields),
    )
    return template


def load_default_templates() -> int:
    """Adds the shipped texts for every (event, channel, language) the table lacks."""
    existing = set(NotificationTemplate.objects.values_list("event", "channel", "language"))
    missing = [
        NotificationTemplate(event=event, channel=channel, language=language, **text)
        for (event, channel, language), text in defaults.TEXTS.items()
        if (event, channel, language) not in existing
    ]
    NotificationTemplate.objects.bulk_create(missing)
    return len(missing)
