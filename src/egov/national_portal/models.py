"""The connection to the National Public Service Portal (Cổng Dịch vụ công quốc gia).

``OutboxMessage`` rows are written in the transaction of the dossier change they report and sent
in order per dossier by the worker; ``StatusMapping`` says which of the portal's status codes a
change of ours is.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class PortalStatus(models.IntegerChoices):
    """The portal's dossier status codes (TrangThaiHoSo)."""

    NEW = 1, _("New (mới đăng ký)")
    RECEIVED = 2, _("Received (được tiếp nhận)")
    NOT_RECEIVED = 3, _("Not received (không được tiếp nhận)")
    PROCESSING = 4, _("Being processed (đang xử lý)")
    SUPPLEMENT = 5, _("Supplement requested (yêu cầu bổ sung)")
    FINANCIAL = 6, _("Financial obligation requested (yêu cầu nghĩa vụ tài chính)")
    WITHDRAWN = 7, _("Withdrawn by the applicant (công dân rút hồ sơ)")
    STOPPED = 8, _("Processing stopped (dừng xử lý)")
    PROCESSED = 9, _("Processed (đã xử lý xong)")
    RETURNED = 10, _("Result returned (đã trả kết quả)")


class StatusMapping(models.Model):
    """One of our statuses, reached by one transition (or by any: blank), and the portal's code
    for it. An administrator may change the code; the more specific row wins."""

    status = models.CharField(_("our status"), max_length=15, choices=Dossier.Status.choices)
    transition = models.CharField(
        _("reached by"),
        max_length=30,
        blank=True,
        help_text=_("Empty: whichever change led to the status."),
    )
    portal_code = models.PositiveSmallIntegerField(
        _("portal status code"), choices=PortalStatus.choices
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "transition"]
        verbose_name = _("portal status mapping")
        verbose_name_plural = _("portal status mappings")
        constraints = [
            models.UniqueConstraint(fields=["status", "transition"], name="portal_mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.status}/{self.transition or '*'} → {self.portal_code}"

    @property
    def transition_label(self) -> object:
        from egov.dossiers.transitions import TABLE

        found = TABLE.get(self.transition)
        return found.label if found else self.transition


class OutboxMessage(models.Model):
    """One call to the portal about one dossier, numbered in the dossier's order."""

    class Service(models.TextChoices):
        SYNC = "DongBoHoSoMC", _("Dossier record (DongBoHoSoMC)")
        PROGRESS = "CapNhatTienDoHoSoMC", _("Progress (CapNhatTienDoHoSoMC)")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Acknowledged by the portal")
        FAILED = "failed", _("Refused by the portal")

    province_code = models.CharField(max_length=3, default=_province)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    dossier_code = models.CharField(_("dossier code"), max_length=40)
    sequence = models.PositiveIntegerField(_("number in the dossier's order"))
    service = models.CharField(_("call"), max_length=30, choices=Service.choices)
    transition = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=15, choices=Dossier.Status.choices)
    portal_code = models.PositiveSmallIntegerField(choices=PortalStatus.choices)
    payload = models.JSONField()
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(_("portal error code"), max_length=30, blank=True)
    last_error = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["dossier_id", "sequence"]
        verbose_name = _("national portal message")
        verbose_name_plural = _("national portal messages")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="portal_outbox_order")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(state="pending"),
                name="portal_outbox_due",
            ),
            models.Index(fields=["state", "-acknowledged_at"], name="portal_outbox_state"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def idempotency_key(self) -> str:
        """The same change sent again is recognised by the portal, never a second dossier."""
        return f"{self.dossier_code}:{self.sequence}"
