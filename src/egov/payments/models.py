"""Fees due on a dossier (phí, lệ phí), the payments against them, refunds, and the gateway's
daily statements. Amounts are integer đồng everywhere; only the VNPAY wire format multiplies
them by 100.

Every row carries the province code, like the dossier it belongs to (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier
from egov.organizations.models import Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class PaymentOrder(models.Model):
    """What a dossier owes, computed once from its procedure version's fee rules and answers."""

    class Status(models.TextChoices):
        DUE = "due", _("To be paid")
        PAID = "paid", _("Paid")
        NOTHING_DUE = "nothing_due", _("Nothing to pay")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="payment_order")
    province_code = models.CharField(max_length=3, default=_province, db_index=True)
    # The agency that collects the fees and issues the receipts: the dossier's receiving agency.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("amount due (VND)"))
    paid_amount = models.PositiveBigIntegerField(_("amount paid (VND)"), default=0)
    lines = models.JSONField(_("fees"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fees due")
        verbose_name_plural = _("fees due")
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.dossier} {self.amount}"

    @property
    def outstanding(self) -> int:
        return max(self.amount - self.paid_amount, 0)


def receipt_path(instance, filename: str) -> str:
    return f"payments/{instance.public_id}/{uuid.uuid4().hex}.pdf"


class Payment(models.Model):
    """One payment, online through a gateway or at the desk, with its e-receipt."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        CASH = "cash", _("Cash at the desk")
        CARD = "card", _("Card terminal at the desk")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the gateway")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Not paid")
        # The citizen started another payment while this one waited: at most one payment of an
        # order waits for the gateway at a time (docs/payments.md).
        REPLACED = "replaced", _("Replaced by a newer payment")
        # Still waiting well past the gateway's own expiry: abandoned (docs/payments.md). A late
        # successful notice is still honoured.
        EXPIRED = "expired", _("Expired: not paid in time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="payments")
    province_code = models.CharField(max_length=3, default=_province, db_index=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    gateway = models.CharField(_("gateway"), max_length=20, blank=True)
    # Our reference sent to the gateway (vnp_TxnRef); the gateway knows the payment by it.
    txn_ref = models.CharField(max_length=100, unique=True, null=True, blank=True)
    gateway_transaction_no = models.CharField(
        _("gateway transaction no."), max_length=50, blank=True
    )
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    response_code = models.CharField(max_length=10, blank=True)
    # The slip number of the card terminal, or the desk's own note for cash.
    counter_reference = models.CharField(_("reference"), max_length=100, blank=True)
    # The gateway's notice (IPN) that settled the payment, as received.
    gateway_data = models.JSONField(default=dict, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # Money the gateway took when nothing more was due (a replaced payment completed in another
    # tab, or the fees were already paid): it has its e-receipt, does not count against the
    # fees, and is refunded through the gateway.
    duplicate = models.BooleanField(_("received when nothing was due"), default=False)
    receipt_number = models.CharField(
        _("e-receipt number"), max_length=60, unique=True, null=True, blank=True
    )
    receipt = models.FileField(upload_to=receipt_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [
            models.Index(fields=["gateway", "status", "paid_at"]),
            # The sweep of abandoned payments reads the few waiting ones only.
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status="pending"),
                name="payment_waiting_expiry",
            ),
            # The operations dashboard's payments of today (count, amount, online), read from
            # the index alone: at 20 million dossiers a year the table holds about ten million
            # payments a year, and the (gateway, status, paid_at) index does not serve a day
            # of every gateway (docs/index.md).
            models.Index(
                fields=["paid_at"],
                include=["method", "amount", "order"],
                condition=models.Q(status="paid"),
                name="payment_paid_at",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status="pending"),
                name="one_waiting_payment_per_order",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number or self.txn_ref or str(self.public_id)

    @property
    def refunded_amount(self) -> int:
        return sum(refund.amount for refund in self.refunds.all())


class Refund(models.Model):
    """Money given back on a payment (overpayment, a refused dossier), with the reason.

    Desk staff record a refund made by hand (done at once). A payment received when nothing was
    due is refunded automatically through the gateway's refund call: the refund is recorded as
    waiting in the transaction that records the money, and is done once the gateway accepts it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the gateway")
        DONE = "done", _("Refunded")
        FAILED = "failed", _("Refused by the gateway: to be refunded by hand")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    province_code = models.CharField(max_length=3, default=_province)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reason = models.CharField(_("reason"), max_length=500)
    reference = models.CharField(_("transfer or voucher reference"), max_length=100, blank=True)
    # None for a refund the platform made by itself through the gateway.
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    # The gateway through which the money goes back ("" when refunded by hand).
    gateway = models.CharField(_("gateway"), max_length=20, blank=True)
    # The last request sent (vnp_RequestId) and the gateway's answer.
    request_id = models.CharField(max_length=32, blank=True)
    gateway_transaction_no = models.CharField(
        _("gateway transaction no."), max_length=50, blank=True
    )
    response_code = models.CharField(max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # Set while a worker waits for the gateway's answer, so that no other sends it meanwhile.
    sending_since = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["refunded_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        indexes = [models.Index(fields=["gateway", "status"])]

    def __str__(self) -> str:
        return f"{self.payment} −{self.amount}"


class ReceiptSequence(models.Model):
    """The last e-receipt number an agency gave in a year: numbers run without gaps."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="receipt_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.last}"


class Statement(models.Model):
    """A gateway's daily statement (file đối soát) as imported."""

    gateway = models.CharField(_("gateway"), max_length=20)
    day = models.DateField(_("day covered"))
    province_code = models.CharField(max_length=3, default=_province)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-imported_at"]
        verbose_name = _("gateway statement")
        verbose_name_plural = _("gateway statements")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "day", "sha256"], name="statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.day}"


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField()
    txn_ref = models.CharField(max_length=100, db_index=True)
    transaction_no = models.CharField(max_length=50, blank=True)
    amount = models.PositiveBigIntegerField()
    bank_code = models.CharField(max_length=20, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    transaction_type = models.CharField(max_length=2, default="01")
    transaction_status = models.CharField(max_length=2)

    class Meta:
        ordering = ["statement", "line"]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.amount}"

    @property
    def succeeded(self) -> bool:
        return self.transaction_status == "00"
