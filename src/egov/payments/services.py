"""Operations on fees and payments: the only code that changes them. Each runs in one
transaction and writes the audit trail.

A payment changes state on the gateway's server-to-server notice (IPN) or when desk staff
record money taken at the counter; never on what the citizen's browser brings back.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.catalog import fees
from egov.core import audit, files
from egov.core.templatetags.egov import vnd
from egov.dossiers.models import Dossier
from egov.payments import signals
from egov.payments.gateways import Checkout, Gateway, InvalidSignature, Notice, Outcome
from egov.payments.models import Payment, PaymentOrder, ReceiptSequence, Refund

logger = logging.getLogger("egov.payments")
security_log = logging.getLogger("egov.security")

PAYMENT_AUDIT_FIELDS = ["amount", "method", "status", "gateway", "txn_ref", "receipt_number"]
# A dossier in these states is closed: nothing more is collected on it.
CLOSED = {Dossier.Status.DRAFT, Dossier.Status.REFUSED, Dossier.Status.WITHDRAWN}
COUNTER_ROLES = [Role.DESK_OFFICER]
REFUND_ROLES = [Role.DESK_OFFICER, Role.AGENCY_ADMIN]


def fee_lines(dossier: Dossier) -> list[fees.FeeLine]:
    version = dossier.procedure_version
    return fees.compute(version.fees.all(), dossier.form_data, version.form_schema)


def amount_owed(dossier: Dossier) -> int:
    """What is still to pay: the assessed order's balance, or what the fee rules say today."""
    order = PaymentOrder.objects.filter(dossier=dossier).first()
    if order is not None:
        return order.outstanding
    return sum(line.amount for line in fee_lines(dossier))


def assess(dossier: Dossier) -> PaymentOrder:
    """Sets the fees due from the fee rules and the dossier's answers, once per dossier.

    Runs inside the dossier service's transaction (a signal receiver)."""
    order = PaymentOrder.objects.filter(dossier=dossier).first()
    if order is not None:
        return order
    lines = fee_lines(dossier)
    total = sum(line.amount for line in lines)
    order = PaymentOrder.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        agency=dossier.receiving_agency,
        amount=total,
        lines=[
            {"name": line.name, "kind": line.kind, "amount": line.amount, "exempt": line.exempt}
            for line in lines
        ],
        status=PaymentOrder.Status.DUE if total else PaymentOrder.Status.NOTHING_DUE,
    )
    audit.record(
        actor=None,
        action="payments.assessed",
        obj=order,
        object_repr=str(dossier),
        agency_id=order.agency_id,
        after={"amount": order.amount, "status": order.status},
    )
    signals.fees_assessed.send(PaymentOrder, order=order)
    return order


def _payable_order(dossier: Dossier) -> PaymentOrder:
    if dossier.status in CLOSED:
        raise ValidationError(_("Nothing can be paid on a dossier in this state."))
    order = PaymentOrder.objects.select_for_update().filter(dossier=dossier).first()
    if order is None:
        raise ValidationError(
            _("The fees are set when the desk receives your dossier; you can pay them then.")
        )
    if order.outstanding == 0:
        raise ValidationError(_("The fees of this dossier are already paid."))
    return order


def _reference() -> str:
    """Unique for ever (VNPAY asks for unique within a day): the day, then 10 random hex digits."""
    return timezone.localdate().strftime("%y%m%d") + secrets.token_hex(5).upper()


@transaction.atomic
def start_online_payment(
    dossier: Dossier, *, applicant, gateway: Gateway, client_ip: str, language: str
) -> tuple[Payment, str]:
    """A pending payment of the whole balance, and the gateway address to send the citizen to."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
    order = _payable_order(dossier)
    now = timezone.now()
    payment = Payment.objects.create(
        order=order,
        province_code=order.province_code,
        amount=order.outstanding,
        method=Payment.Method.ONLINE,
        gateway=gateway.code,
        txn_ref=_reference(),
        expires_at=now + datetime.timedelta(minutes=settings.EGOV_PAYMENT_EXPIRY_MINUTES),
    )
    audit.record(
        actor=applicant,
        action="payments.started",
        obj=payment,
        agency_id=order.agency_id,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    url = gateway.payment_url(
        Checkout(
            reference=payment.txn_ref,
            amount=payment.amount,
            # VNPAY asks for text without Vietnamese accents here.
            description=f"Thanh toan phi, le phi ho so {dossier.code}",
            client_ip=client_ip,
            return_url=settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + reverse("payments:return"),
            language=language,
            created_at=now,
            expires_at=payment.expires_at,
        )
    )
    return payment, url


def handle_notice(gateway: Gateway, params: dict, *, remote_addr: str = "") -> Outcome:
    """The gateway's server-to-server notice (IPN): the only way an online payment settles.

    Checked in the order VNPAY's integration guide gives: signature, order, amount, state.
    Forged and replayed notices change nothing; they are logged, and those that name one of our
    payments are also written to the audit trail.
    """
    try:
        notice = gateway.verify(params)
    except InvalidSignature:
        security_log.warning(
            "payment notice refused: invalid signature (gateway %s, reference %r, from %s)",
            gateway.code,
            str(params.get("vnp_TxnRef", ""))[:100],
            remote_addr,
        )
        return Outcome.INVALID_SIGNATURE
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("order")
            .filter(gateway=gateway.code, txn_ref=notice.reference)
            .first()
            if notice.reference
            else None
        )
        if payment is None:
            security_log.warning(
                "payment notice refused: unknown reference %r (gateway %s, from %s)",
                notice.reference[:100],
                gateway.code,
                remote_addr,
            )
            return Outcome.NOT_FOUND
        if notice.amount != payment.amount:
            return _refused(payment, notice, Outcome.INVALID_AMOUNT, remote_addr)
        if payment.status != Payment.Status.PENDING:
            return _refused(payment, notice, Outcome.ALREADY_CONFIRMED, remote_addr)
        _settle(payment, notice)
    return Outcome.CONFIRMED


def _refused(payment: Payment, notice: Notice, outcome: Outcome, remote_addr: str) -> Outcome:
    security_log.warning(
        "payment notice refused: %s (reference %s, from %s)",
        outcome.value,
        payment.txn_ref,
        remote_addr,
    )
    audit.record(
        actor=None,
        action="payments.notice_refused",
        obj=payment,
        agency_id=payment.order.agency_id,
        after={
            "outcome": outcome.value,
            "amount_sent": notice.amount,
            "transaction_no": notice.transaction_no,
            "from": remote_addr,
        },
    )
    return outcome


def _settle(payment: Payment, notice: Notice) -> None:
    before = audit.snapshot(payment, PAYMENT_AUDIT_FIELDS)
    payment.gateway_transaction_no = notice.transaction_no
    payment.bank_code = notice.bank_code
    payment.response_code = notice.response_code
    payment.gateway_data = notice.raw
    if notice.succeeded:
        payment.status = Payment.Status.PAID
        payment.paid_at = notice.paid_at or timezone.now()
        _credit(payment)
    else:
        payment.status = Payment.Status.FAILED
    payment.save()
    audit.record(
        actor=None,
        action="payments.paid" if notice.succeeded else "payments.failed",
        obj=payment,
        agency_id=payment.order.agency_id,
        before=before,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    if notice.succeeded:
        signals.payment_settled.send(Payment, payment=payment, order=payment.order)


def _credit(payment: Payment) -> None:
    """Numbers the e-receipt and counts the money against the order (caller saves payment)."""
    order = PaymentOrder.objects.select_for_update().get(pk=payment.order_id)
    payment.order = order
    year = timezone.localdate(payment.paid_at).year
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(
        agency_id=order.agency_id, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    payment.receipt_number = f"BL{year % 100:02d}-{order.agency.code}-{sequence.last:07d}"
    order.paid_amount += payment.amount
    if order.paid_amount >= order.amount and order.status == PaymentOrder.Status.DUE:
        order.status = PaymentOrder.Status.PAID
        order.paid_at = payment.paid_at
    order.save(update_fields=["paid_amount", "status", "paid_at"])
    transaction.on_commit(lambda: _enqueue_receipt(payment.pk))


def _enqueue_receipt(payment_id: int) -> None:
    from egov.payments.tasks import render_receipt

    try:
        render_receipt.enqueue(payment_id)
    except Exception:  # the receipt is drawn on first download if the queue is down
        logger.exception("could not enqueue the e-receipt of payment %s", payment_id)


@transaction.atomic
def record_counter_payment(
    dossier: Dossier, *, officer, method: str, amount: int, reference: str = ""
) -> Payment:
    """Money taken at the desk (cash or card terminal), by an officer of the receiving agency."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_agency")
        .get(pk=dossier.pk)
    )
    if not scoping.has_role(officer, Role.DESK_OFFICER, dossier.receiving_agency):
        raise PermissionDenied
    if method not in {Payment.Method.CASH, Payment.Method.CARD}:
        raise ValidationError(_("Choose cash or the card terminal."))
    if method == Payment.Method.CARD and not reference.strip():
        raise ValidationError(_("Give the slip number printed by the card terminal."))
    order = _payable_order(dossier)
    if amount != order.outstanding:
        raise ValidationError(
            _("The amount must be the fees still due: %(amount)s.")
            % {"amount": vnd(order.outstanding)}
        )
    payment = Payment(
        order=order,
        province_code=order.province_code,
        amount=amount,
        method=method,
        status=Payment.Status.PAID,
        counter_reference=reference.strip()[:100],
        paid_at=timezone.now(),
        recorded_by=officer,
    )
    _credit(payment)
    payment.save()
    audit.record(
        actor=officer,
        action="payments.counter_recorded",
        obj=payment,
        agency_id=order.agency_id,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    signals.payment_settled.send(Payment, payment=payment, order=payment.order)
    return payment


@transaction.atomic
def refund(payment: Payment, *, officer, amount: int, reason: str, reference: str = "") -> Refund:
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("order__agency")
        .get(pk=payment.pk)
    )
    if not any(scoping.has_role(officer, role, payment.order.agency) for role in REFUND_ROLES):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the refund."))
    if payment.status != Payment.Status.PAID:
        raise ValidationError(_("Only a payment that was received can be refunded."))
    refundable = payment.amount - payment.refunded_amount
    if not 0 < amount <= refundable:
        raise ValidationError(
            _("The refund must be more than 0 and at most %(amount)s.")
            % {"amount": vnd(refundable)}
        )
    made = Refund.objects.create(
        payment=payment,
        province_code=payment.province_code,
        amount=amount,
        reason=reason[:500],
        reference=reference.strip()[:100],
        refunded_by=officer,
    )
    audit.record(
        actor=officer,
        action="payments.refunded",
        obj=payment,
        agency_id=payment.order.agency_id,
        after={"refund": amount, "reason": made.reason, "reference": made.reference},
    )
    return made


def ensure_receipt(payment: Payment) -> Payment:
    """Draws and stores the e-receipt of a paid payment once; later calls return it as is."""
    from egov.payments.receipts import receipt_pdf

    if payment.receipt or payment.status != Payment.Status.PAID:
        return payment
    pdf = receipt_pdf(payment)
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if not locked.receipt:
            files.save(locked.receipt, f"{locked.receipt_number}.pdf", pdf)
            locked.save(update_fields=["receipt"])
    return locked
