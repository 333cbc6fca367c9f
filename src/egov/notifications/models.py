import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.core.masking import mask_email, mask_phone, mask_text
from egov.notifications import events
from egov.organizations.models import Agency


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class NotificationPreference(models.Model):
    """How a person wants to hear from the platform: which channels, in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    channels = models.JSONField(_("channels"), default=list)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {', '.join(self.channels) or '-'} · {self.language}"


class NotificationTemplate(models.Model):
    """What one event says on one channel in one language; administrators edit it."""

    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(
        _("subject"), max_length=250, blank=True, help_text=_("E-mail only.")
    )
    body = models.TextField(_("text"))
    zns_template_id = models.CharField(
        _("ZNS template ID"),
        max_length=32,
        blank=True,
        help_text=_("Zalo only: the ID Zalo gave the approved template."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="one_template_per_event_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel} · {self.language}"


class Notification(models.Model):
    """One message to one address on one channel: the outbox row and its delivery record.

    It is written in the transaction of the change it reports, then delivered by workers that
    claim it (status ``sending`` with a lease in ``next_attempt_at``), so nothing is sent for a
    change that rolled back and nothing is lost when a worker or a provider stops.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Delivery(models.TextChoices):
        """What the provider reported later about a sent message (its delivery report)."""

        DELIVERED = "delivered", _("Reached the recipient")
        UNDELIVERED = "undelivered", _("Did not reach the recipient")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    object_type = models.CharField(_("about (type)"), max_length=100, blank=True)
    object_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    province_code = models.CharField(_("province code"), max_length=6)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("provider data"), default=dict, blank=True)
    sensitive = models.BooleanField(default=False)
    priority = models.SmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Queued: when to try next. Sending: when the claiming worker's lease ends.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    deadline = models.DateTimeField(_("give up after"))
    claim = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Empty until the provider reports (sent = accepted by the provider; this = what became of it).
    delivery = models.CharField(
        _("delivery report"), max_length=12, choices=Delivery.choices, blank=True
    )
    delivery_reported_at = models.DateTimeField(_("delivery reported"), null=True, blank=True)
    delivery_detail = models.CharField(_("provider's reason"), max_length=500, blank=True)
    resent_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="notification_due_idx",
            ),
            models.Index(fields=["object_type", "object_id"], name="notification_about_idx"),
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
            models.Index(
                fields=["channel", "provider_message_id"], name="notification_provider_id_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel} · {self.masked_address}"

    @property
    def event_label(self) -> str | Promise:
        try:
            return events.get(self.event).label
        except ValueError:
            return self.event

    @property
    def masked_address(self) -> str:
        if self.channel == Channel.EMAIL:
            return mask_email(self.address)
        return mask_phone(self.address)

    @property
    def masked_body(self) -> str:
        if self.sensitive:
            return "••••••"
        return mask_text(self.body)

    @property
    def message_id(self) -> str:
        return self.uuid.hex


class DeliveryAttempt(models.Model):
    """One try to hand a notification to its provider, and what came of it."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Accepted by the provider")
        RETRY = "retry", _("Temporary error, will retry")
        FAILED = "failed", _("Permanent error")
        INTERRUPTED = "interrupted", _("Worker stopped; outcome unknown, sent again")
        GAVE_UP = "gave_up", _("Temporary error, retry window over")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    code = models.CharField(_("provider code"), max_length=32, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    worker = models.CharField(_("worker"), max_length=64, blank=True)

    class Meta:
        ordering = ["notification", "number", "finished_at"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


class ZaloToken(models.Model):
    """The Zalo OA access token and the refresh token that replaces it.

    Refresh tokens are single-use (each refresh returns a new one), so they live in the database
    where every worker finds the current one; one row, locked while it is renewed.
    """

    access_token = models.TextField()
    refresh_token = models.TextField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zalo OA token")

    def __str__(self) -> str:
        return f"Zalo OA token until {self.expires_at:%Y-%m-%d %H:%M}"


# What a resent copy (or an SMS instead of a Zalo message) takes over from the original.
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
