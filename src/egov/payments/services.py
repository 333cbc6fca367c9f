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
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.catalog import fees
from egov.core import audit, events, files
from egov.core.templatetags.egov import vnd
from egov.dossiers.models import Dossier
from egov.payments import gateways, signals
from egov.payments.gateways import (
    Checkout,
    Gateway,
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    Notice,
    Outcome,
    RefundRequest,
)
from egov.payments.models import Payment, PaymentOrder, ReceiptSequence, Refund

logger = logging.getLogger("egov.payments")
security_log = logging.getLogger("egov.security")

PAYMENT_AUDIT_FIELDS = [
    "amount",
    "method",
    "status",
    "gateway",
    "txn_ref",
    "receipt_number",
    "duplicate",
]
REFUND_AUDIT_FIELDS = ["amount", "status", "gateway", "gateway_transaction_no", "response_code"]
# A worker waiting this long for the gateway's refund answer is presumed gone.
SENDING_CLAIM = datetime.timedelta(minutes=5)
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
    events.publish("payments.fees_assessed", order=order, dossier=dossier)
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
    reference = _reference()
    _replace_waiting(order, actor=applicant, replaced_by=reference)
    payment = Payment.objects.create(
        order=order,
        province_code=order.province_code,
        amount=order.outstanding,
        method=Payment.Method.ONLINE,
        gateway=gateway.code,
        txn_ref=reference,
        expires_at=now + datetime.timedelta(minutes=settings.EGOV_PAYMENT_EXPIRY_MINUTES),
    )
    audit.record(
        actor=applicant,
        action="payments.started",
        obj=payment,
        agency_id=order.agency_id,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    transaction.on_commit(lambda: _schedule_expiry(payment))
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
            payer_name=str(applicant),
            dossier_code=dossier.code or "",
        )
    )
    return payment, url


def _replace_waiting(order: PaymentOrder, *, actor, replaced_by: str) -> None:
    """At most one payment of an order waits for the gateway: the one waiting is replaced.

    A fresh reference rather than the old one again: VNPAY takes a vnp_TxnRef once, and the old
    payment page may still be open in another tab. If that page is paid all the same, its notice
    is recorded and the money refunded (handle_notice). The caller holds the order's lock."""
    for old in Payment.objects.select_for_update().filter(
        order=order, status=Payment.Status.PENDING
    ):
        before = audit.snapshot(old, PAYMENT_AUDIT_FIELDS)
        old.status = Payment.Status.REPLACED
        old.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="payments.replaced",
            obj=old,
            agency_id=order.agency_id,
            before=before,
            after={**audit.snapshot(old, PAYMENT_AUDIT_FIELDS), "replaced_by": replaced_by},
        )


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
        payment = _locked_for_notice(gateway, notice)
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
        if notice.succeeded and _nothing_due(payment):
            _receive_unwanted(payment, notice)
            return Outcome.CONFIRMED
        if notice.succeeded and payment.status == Payment.Status.EXPIRED:
            _settle_late(payment, notice)
            return Outcome.CONFIRMED
        if payment.status != Payment.Status.PENDING:
            return _refused(payment, notice, Outcome.ALREADY_CONFIRMED, remote_addr)
        _settle(payment, notice)
    return Outcome.CONFIRMED


def _locked_for_notice(gateway: Gateway, notice: Notice) -> Payment | None:
    """The payment a notice names, locked after its order (the order first, as when a payment
    starts, so that the two never wait on each other)."""
    if not notice.reference:
        return None
    found = Payment.objects.filter(gateway=gateway.code, txn_ref=notice.reference)
    order_id = found.values_list("order_id", flat=True).first()
    if order_id is None:
        return None
    order = PaymentOrder.objects.select_for_update().get(pk=order_id)
    payment = found.select_for_update().get()
    payment.order = order
    return payment


def _nothing_due(payment: Payment) -> bool:
    """The money of this payment is not wanted: it was replaced, or the fees are already paid."""
    if payment.status == Payment.Status.REPLACED:
        return True
    waiting = (Payment.Status.PENDING, Payment.Status.EXPIRED)
    return payment.status in waiting and payment.order.outstanding == 0


def _settle_late(payment: Payment, notice: Notice) -> None:
    """The gateway took the money of a payment we had given up on (the citizen paid at the last
    moment, or its notice was late): the fees are still due, so it pays them, as if it had come
    in time. A payment the citizen started since is replaced: paid too, it would be refunded."""
    _replace_waiting(payment.order, actor=None, replaced_by=payment.txn_ref or "")
    _settle(payment, notice)


# -- Abandoned payments ------------------------------------------------------------------------


def expiry_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Payments whose gateway expiry is before this are abandoned."""
    grace = datetime.timedelta(minutes=settings.EGOV_PAYMENT_EXPIRE_AFTER_MINUTES)
    return (now or timezone.now()) - grace


def expire_abandoned(now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Marks expired the online payments still waiting ``EGOV_PAYMENT_EXPIRE_AFTER_MINUTES``
    after the gateway's own expiry (``Payment.expires_at``), each in its own short transaction
    (the order locked first, then the payment, as a notice does: a notice arriving meanwhile
    either settles it first or finds it expired). Returns how many were expired."""
    cutoff = expiry_cutoff(now)
    ids = list(
        Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lt=cutoff)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(_expire(pk, cutoff) for pk in ids)


@transaction.atomic
def _expire(payment_id: int, cutoff: datetime.datetime) -> bool:
    order_id = Payment.objects.filter(pk=payment_id).values_list("order_id", flat=True).first()
    if order_id is None:
        return False
    order = PaymentOrder.objects.select_for_update().get(pk=order_id)
    payment = (
        Payment.objects.select_for_update()
        .filter(pk=payment_id, status=Payment.Status.PENDING, expires_at__lt=cutoff)
        .first()
    )
    if payment is None:  # settled, replaced or expired meanwhile
        return False
    before = audit.snapshot(payment, PAYMENT_AUDIT_FIELDS)
    payment.status = Payment.Status.EXPIRED
    payment.save(update_fields=["status"])
    audit.record(
        actor=None,
        action="payments.expired",
        obj=payment,
        agency_id=order.agency_id,
        before=before,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    return True


def _schedule_expiry(payment: Payment) -> None:
    """Asks the task queue to expire the payment when its time comes, on backends that can
    defer; `manage.py expire_payments` (cron or --loop) sweeps whatever the queue missed."""
    from egov.payments.tasks import expire_payments

    try:
        backend = expire_payments.get_backend()
        if not backend.supports_defer or payment.expires_at is None:
            return
        grace = datetime.timedelta(minutes=settings.EGOV_PAYMENT_EXPIRE_AFTER_MINUTES)
        expire_payments.using(run_after=payment.expires_at + grace).enqueue()
    except Exception:  # the sweep expires it all the same
        logger.exception("could not schedule the expiry of payment %s", payment.pk)


def _receive_unwanted(payment: Payment, notice: Notice) -> None:
    """The gateway took money that was not due: it is recorded as received (the e-receipt
    numbering runs on, the money is in the merchant account) without counting against the
    fees, and a refund of all of it through the gateway is recorded and sent."""
    replaced = payment.status == Payment.Status.REPLACED
    before = audit.snapshot(payment, PAYMENT_AUDIT_FIELDS)
    _take_notice(payment, notice)
    payment.status = Payment.Status.PAID
    payment.paid_at = notice.paid_at or timezone.now()
    payment.duplicate = True
    _number_receipt(payment, payment.order)
    payment.save()
    audit.record(
        actor=None,
        action="payments.received_unwanted",
        obj=payment,
        agency_id=payment.order.agency_id,
        before=before,
        after=audit.snapshot(payment, PAYMENT_AUDIT_FIELDS),
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = (
            _("Paid on a payment replaced by a newer one: the fees were not due twice.")
            if replaced
            else _("Paid after the fees had already been paid.")
        )
    _request_refund(payment, reason)


def _request_refund(payment: Payment, reason: str) -> Refund:
    """Records a refund of the whole payment through its gateway and sends it once the
    transaction commits (a task that tries again while the gateway cannot be reached)."""
    made = Refund.objects.create(
        payment=payment,
        province_code=payment.province_code,
        amount=payment.amount,
        reason=reason[:500],
        status=Refund.Status.PENDING,
        gateway=payment.gateway,
    )
    audit.record(
        actor=None,
        action="payments.refund_requested",
        obj=payment,
        agency_id=payment.order.agency_id,
        after={"refund": made.amount, "reason": made.reason, "gateway": made.gateway},
    )
    transaction.on_commit(lambda: _enqueue_refund(made.pk))
    return made


def _enqueue_refund(refund_id: int) -> None:
    from egov.payments.tasks import send_refund as send_refund_task

    try:
        send_refund_task.enqueue(refund_id)
    except Exception:  # the refund waits; `manage.py send_refunds` and the desk's page see it
        logger.exception("could not enqueue refund %s", refund_id)


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


def _take_notice(payment: Payment, notice: Notice) -> None:
    payment.gateway_transaction_no = notice.transaction_no
    payment.bank_code = notice.bank_code
    payment.response_code = notice.response_code
    payment.gateway_data = notice.raw


def _settle(payment: Payment, notice: Notice) -> None:
    before = audit.snapshot(payment, PAYMENT_AUDIT_FIELDS)
    _take_notice(payment, notice)
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
        _settled(payment)


def _settled(payment: Payment) -> None:
    signals.payment_settled.send(Payment, payment=payment, order=payment.order)
    events.publish(
        "payments.settled", payment=payment, order=payment.order, dossier=payment.order.dossier
    )


def _credit(payment: Payment) -> None:
    """Numbers the e-receipt and counts the money against the order (caller saves payment)."""
    order = PaymentOrder.objects.select_for_update().get(pk=payment.order_id)
    payment.order = order
    _number_receipt(payment, order)
    order.paid_amount += payment.amount
    if order.paid_amount >= order.amount and order.status == PaymentOrder.Status.DUE:
        order.status = PaymentOrder.Status.PAID
        order.paid_at = payment.paid_at
    order.save(update_fields=["paid_amount", "status", "paid_at"])


def _number_receipt(payment: Payment, order: PaymentOrder) -> None:
    """The next e-receipt number of the collecting agency's year, without gaps (row lock)."""
    year = timezone.localdate(payment.paid_at).year
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(
        agency_id=order.agency_id, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    payment.receipt_number = f"BL{year % 100:02d}-{order.agency.code}-{sequence.last:07d}"
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
    _replace_waiting(order, actor=officer, replaced_by=method)
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
    _settled(payment)
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


def send_refund(refund_id: int) -> Refund:
    """Asks the gateway to give back a refund waiting for it; returns the refund as it now is.

    The gateway is called outside any transaction (a worker claims the refund first, so that no
    other sends it meanwhile). Accepted: the refund is done and the citizen told. Not reached,
    an unreadable answer, an answer not signed by the gateway, or the gateway's own error: the
    refund keeps waiting, to be tried again. Refused: staff must give the money back by hand.
    """
    now = timezone.now()
    claimed = (
        Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING)
        .exclude(gateway="")
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_CLAIM))
        .update(sending_since=now, last_attempt_at=now, attempts=F("attempts") + 1)
    )
    refund = Refund.objects.select_related("payment__order__dossier").get(pk=refund_id)
    if not claimed:
        return refund
    payment = refund.payment
    request = RefundRequest(
        request_id=secrets.token_hex(16),
        reference=payment.txn_ref or "",
        amount=refund.amount,
        full=refund.amount == payment.amount,
        transaction_no=payment.gateway_transaction_no,
        paid_at=payment.paid_at or payment.created_at,
        # Without accents, as for the payment.
        description=f"Hoan tien ho so {payment.order.dossier.code}",
        created_by="egov",
        created_at=now,
        client_ip=settings.EGOV_PAYMENT_SERVER_IP,
    )
    try:
        result = gateways.get(refund.gateway).refund(request)
    except InvalidSignature:
        security_log.warning(
            "refund answer refused: invalid signature (gateway %s, reference %s)",
            refund.gateway,
            payment.txn_ref,
        )
        return _refund_not_sent(refund, request, "the gateway's answer is not signed by it")
    except (GatewayError, GatewayUnavailable) as exc:
        return _refund_not_sent(refund, request, str(exc) or type(exc).__name__)
    if result.retryable:
        return _refund_not_sent(refund, request, f"{result.code} {result.message}")
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__order__dossier")
            .get(pk=refund_id)
        )
        before = audit.snapshot(refund, REFUND_AUDIT_FIELDS)
        refund.request_id = request.request_id
        refund.response_code = result.code
        refund.sending_since = None
        if result.accepted:
            refund.status = Refund.Status.DONE
            refund.done_at = timezone.now()
            refund.gateway_transaction_no = result.transaction_no
            refund.last_error = ""
        else:
            refund.status = Refund.Status.FAILED
            refund.last_error = f"{result.code} {result.message}"[:500]
            logger.error("the gateway refused refund %s: %s", refund.pk, refund.last_error)
        refund.save()
        audit.record(
            actor=None,
            action="payments.refund_confirmed" if result.accepted else "payments.refund_refused",
            obj=refund.payment,
            agency_id=refund.payment.order.agency_id,
            before=before,
            after={**audit.snapshot(refund, REFUND_AUDIT_FIELDS), "message": result.message},
        )
        if result.accepted:
            events.publish(
                "payments.refunded",
                refund=refund,
                payment=refund.payment,
                dossier=refund.payment.order.dossier,
            )
    return refund


def _refund_not_sent(refund: Refund, request: RefundRequest, error: str) -> Refund:
    logger.warning("refund %s not sent to the gateway: %s", refund.pk, error)
    Refund.objects.filter(pk=refund.pk).update(
        sending_since=None, request_id=request.request_id, last_error=error[:500]
    )
    refund.refresh_from_db()
    return refund


def refunds_waiting() -> list[Refund]:
    """Gateway refunds not done: waiting to be sent again, or refused (staff act)."""
    return list(
        Refund.objects.filter(status__in=[Refund.Status.PENDING, Refund.Status.FAILED])
        .exclude(gateway="")
        .select_related("payment__order__dossier", "payment__order__agency")
    )


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
