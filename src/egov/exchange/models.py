"""The data sharing platform (LGSP): members, their client systems, the services they publish,
the access rights between them, and the signed, hash-chained message log of every exchange."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.organizations.models import Agency


class Member(models.Model):
    """An organisation on the platform: one of the city's agencies or an outside system owner
    (a ministry's national database, a business)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency of the city")
        OUTSIDE = "outside", _("Outside organisation")

    code = models.SlugField(_("member code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name


class ClientSystem(models.Model):
    """A system of a member that calls services, identified by a certificate that chains to the
    operator's trust store; it signs every call with that certificate's key."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="clients"
    )
    code = models.SlugField(_("client code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    certificate_pem = models.TextField(_("certificate"))
    fingerprint = models.CharField(_("certificate fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("certificate subject"), max_length=500)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    rate_per_minute = models.PositiveIntegerField(_("calls per minute"), default=600)
    daily_quota = models.PositiveIntegerField(_("calls per day"), default=100_000)
    suspended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("client system")
        verbose_name_plural = _("client systems")

    def __str__(self) -> str:
        return f"{self.member.code}/{self.code}"


class Service(models.Model):
    """A service a provider publishes; the gateway forwards calls to ``base_url``."""

    provider = models.ForeignKey(
        Member, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(_("service code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    base_url = models.URLField(_("provider address"))
    openapi_url = models.URLField(_("OpenAPI description address"), blank=True)
    openapi_document = models.JSONField(_("OpenAPI description"), null=True, blank=True)
    keep_bodies = models.BooleanField(
        _("keep message bodies in the log"),
        default=False,
        help_text=_(
            "Off for services that carry personal data: the log then keeps only the bodies' hashes."
        ),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    healthy = models.BooleanField(null=True)
    health_detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("shared service")
        verbose_name_plural = _("shared services")

    def __str__(self) -> str:
        return self.name


class AccessRight(models.Model):
    """A client system's right to call a service, for a stated purpose on a legal basis."""

    client = models.ForeignKey(
        ClientSystem,
        verbose_name=_("client system"),
        on_delete=models.PROTECT,
        related_name="rights",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="rights"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.CharField(max_length=200)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=200, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("access right")
        verbose_name_plural = _("access rights")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "service"],
                condition=models.Q(revoked_at__isnull=True),
                name="exchange_one_live_right",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.service.code}"


class UsedNonce(models.Model):
    """Nonces seen within the clock window: a second call with one is a replay."""

    client = models.ForeignKey(ClientSystem, on_delete=models.CASCADE)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "nonce"], name="exchange_nonce_once")
        ]

    def __str__(self) -> str:
        return self.nonce


class PlatformKey(models.Model):
    """The platform's signing key for the message log: a certificate and its sealed key
    (egov.signatures.keystore)."""

    certificate_pem = models.TextField()
    fingerprint = models.CharField(max_length=64, unique=True)
    sealed_key = models.BinaryField()
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-installed_at"]

    def __str__(self) -> str:
        return self.fingerprint


class LogHead(models.Model):
    """The one row every append locks: the last record's sequence number and hash."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class LogTimestamp(models.Model):
    """An RFC 3161 time-stamp over the hash of record ``up_to_seq``, which the chain ties to
    every record before it."""

    up_to_seq = models.PositiveBigIntegerField(unique=True)
    record_hash = models.CharField(max_length=64)
    token = models.BinaryField()
    stamped_at = models.DateTimeField()

    class Meta:
        ordering = ["up_to_seq"]

    def __str__(self) -> str:
        return f"≤ #{self.up_to_seq}"


class MessageRecord(models.Model):
    """One exchange through the gateway, as the log proves it."""

    seq = models.PositiveBigIntegerField(unique=True)
    message_id = models.UUIDField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    client_code = models.CharField(max_length=130, db_index=True)
    service_code = models.CharField(max_length=60, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    purpose = models.CharField(max_length=300)
    subject_ref = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Keyed hash of the person the call is about (who looked up my data).",
    )
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=40)
    request_hash = models.CharField(max_length=64)
    response_hash = models.CharField(max_length=64)
    request_body = models.BinaryField(null=True)
    response_body = models.BinaryField(null=True)
    client_signature = models.TextField()
    duration_ms = models.PositiveIntegerField()
    prev_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64)
    key_fingerprint = models.CharField(max_length=64)
    platform_signature = models.TextField()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("message log record")
        verbose_name_plural = _("message log")

    def __str__(self) -> str:
        return f"#{self.seq} {self.client_code} → {self.service_code}"


class Subscription(models.Model):
    """A client system's webhook: the platform POSTs the events it names to ``url``, signed
    with HMAC-SHA256 under a secret shown once when the subscription is made."""

    client = models.ForeignKey(
        ClientSystem,
        verbose_name=_("client system"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    url = models.URLField(_("delivery address"))
    events = models.JSONField(_("events"), default=list)
    sealed_secret = models.BinaryField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event subscription")
        verbose_name_plural = _("event subscriptions")

    def __str__(self) -> str:
        return f"{self.client} → {self.url}"


class OutboxMessage(models.Model):
    """One event for one subscription, written in the transaction of the change it tells of,
    delivered (and retried with backoff) by ``deliver_webhooks``."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="messages"
    )
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["delivered_at", "failed_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"
