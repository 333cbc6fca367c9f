"""Notifications: the outbox that other apps write to.

Other apps call :func:`notify` inside the transaction that changes their state. It writes one
:class:`Notification` per channel the recipient chose, already rendered, and asks for a delivery
task when (and only when) the transaction commits; :mod:`egov.notifications.delivery` empties
the outbox. Administrators resend a message and edit the texts here.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.notifications import conf, defaults, events, rendering
from egov.notifications.channels import (
    enabled_channels,
    get_adapter,
)
from egov.notifications.models import (
    COPIED_ON_RESEND,
    Channel,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)

logger = logging.getLogger("egov.notifications")

CHANNEL_ORDER = ("email", "sms", "zalo")


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


def messages_of(user):
    """The messages sent to ``user`` (a citizen's own, for their inbox page), newest first; one-
    time codes are left out: their text is erased once sent and they are worth nothing after."""
    return Notification.objects.filter(recipient=user, sensitive=False).order_by(
        "-created_at", "-pk"
    )


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
        if template.channel == Channel.SMS and user is not None and not event_type.sensitive:
            planned = {t.channel for t in plan}
            fallbacks = _fallbacks(event, recipient, language, context, planned)
            if fallbacks:
                rendered.data["fallbacks"] = fallbacks
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
        schedule_delivery(urgent=event_type.priority > 0)
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


def _fallbacks(event, recipient, language, context, planned: set[str]) -> dict[str, dict]:
    """The other channels' versions of an SMS, sent instead if the SMS is reported undelivered.

    Rendered now (the context is not kept), for each channel the person has an address on that
    is not already carrying this message. One-time codes get none: their text is erased once
    sent, and a code for a number being verified must not go elsewhere.
    """
    fallbacks: dict[str, dict] = {}
    for channel in CHANNEL_ORDER:
        if channel == Channel.SMS or channel in planned:
            continue
        template = _usable_template(event, channel, recipient, language, enabled_channels())
        if template is None:
            continue
        try:
            rendered = render_for(template, context)
        except Exception:
            logger.exception("the %s fallback of %s could not be rendered", channel, event)
            continue
        fallbacks[channel] = {
            "address": _address(recipient, channel),
            "language": template.language,
            "subject": rendered.subject,
            "body": rendered.body,
            "data": rendered.data,
        }
    return fallbacks


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


def schedule_delivery(*, urgent: bool) -> None:
    """One delivery task per committed transaction, however many notifications it wrote."""
    callback = _enqueue_urgent_delivery if urgent else _enqueue_delivery
    connection = transaction.get_connection()
    if not any(func is callback for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(callback, robust=True)


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
    schedule_delivery(urgent=False)
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
