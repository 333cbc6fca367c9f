from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditEvent(models.Model):
    """One state change, chained to the previous record of its chain by a SHA-256 hash.

    The trail is split into chains so that agencies do not wait for each other's appends: chain 0
    holds the records with no agency (and every record written before the split), chain N the
    records of transactions whose first record was about agency N (``egov.core.audit``).
    ``seq`` is gapless within a chain (it is taken from the chain's :class:`AuditChainHead`
    under a row lock), so a deleted record shows as a break in the chain, unlike an
    auto-increment id, which has gaps whenever a transaction rolls back. The actor is stored as
    plain values, not a foreign key, so that no later change to a user row can touch an audit
    record.
    """

    chain = models.BigIntegerField(_("chain"), default=0)
    seq = models.BigIntegerField(_("sequence"))
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        # Newest first across chains: ids follow the order of the appends closely enough for
        # reading, while each chain's own order is its sequence.
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")
        ]

    def __str__(self) -> str:
        return f"{self.chain}/{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """One per chain, serialising that chain's appends: the last sequence number and hash."""

    chain = models.BigIntegerField(unique=True, default=0)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.chain}/{self.last_seq} {self.last_hash[:12]}"


class CalendarDay(models.Model):
    """A day the city declares off (ngày nghỉ) or working (ngày làm bù) beyond the national
    calendar, e.g. a day moved by a Prime Minister's notice after the holidays package shipped."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Day off")
        WORKING_DAY = "working", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one long-running process (task worker, notification sender,
    deadline checker, outboxes), so that /healthz can tell a stopped worker from an idle one."""

    name = models.CharField(_("process"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        ordering = ["kind", "-beat_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
