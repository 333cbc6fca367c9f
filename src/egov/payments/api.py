"""Payments in the API: a citizen's fees and online payment, the gateway's IPN, the desk's counter
payment."""

import datetime
import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.core import nul
from egov.core.schemas import Problem
from egov.dossiers import reception
from egov.dossiers.services import visible_to
from egov.payments import gateways, services
from egov.payments.models import Payment, PaymentOrder

logger = logging.getLogger("egov.payments")

citizen_router = Router(tags=["payments"], auth=[TokenAuth(), django_auth])
gateway_router = Router(tags=["payment gateway"])
staff_router = Router(tags=["payments (staff)"], auth=[TokenAuth(), django_auth])


class FeeLineOut(Schema):
    name: str
    kind: str
    amount: int
    exempt: bool


class PaymentOut(Schema):
    id: uuid.UUID
    amount: int
    method: str
    status: str
    gateway: str
    paid_at: datetime.datetime | None
    receipt_number: str | None
    refunded: int


class FeesOut(Schema):
    status: str = Field(
        description="due, paid, nothing_due, or not_assessed (set when the desk receives it)"
    )
    payment_first: bool
    amount_due: int = Field(description="VND")
    paid: int = Field(description="VND")
    outstanding: int = Field(description="VND")
    lines: list[FeeLineOut]
    payments: list[PaymentOut]


def _payment_out(payment: Payment) -> dict:
    return {
        "id": payment.public_id,
        "amount": payment.amount,
        "method": payment.method,
        "status": payment.status,
        "gateway": payment.gateway,
        "paid_at": payment.paid_at,
        "receipt_number": payment.receipt_number,
        "refunded": payment.refunded_amount,
    }


def _fees_out(dossier) -> dict:
    order = PaymentOrder.objects.filter(dossier=dossier).first()
    if order is None:
        lines = [vars(line) for line in services.fee_lines(dossier)]
        total = sum(line["amount"] for line in lines)
        return {
            "status": "not_assessed",
            "payment_first": dossier.procedure_version.payment_first,
            "amount_due": total,
            "paid": 0,
            "outstanding": total,
            "lines": lines,
            "payments": [],
        }
    return {
        "status": order.status,
        "payment_first": dossier.procedure_version.payment_first,
        "amount_due": order.amount,
        "paid": order.paid_amount,
        "outstanding": order.outstanding,
        "lines": order.lines,
        "payments": [_payment_out(p) for p in order.payments.prefetch_related("refunds")],
    }


def _citizen_dossier(request, dossier_id):
    if request.auth.kind != "citizen":
        raise HttpError(403, _("Only citizens' accounts pay for their dossiers here."))
    return get_object_or_404(
        visible_to(request.auth).select_related("procedure_version"), public_id=dossier_id
    )


@citizen_router.get(
    "/dossiers/{dossier_id}/fees",
    response={200: FeesOut, 403: Problem, 404: Problem},
    summary="The fees and charges of one of my dossiers, what is paid and what is due (VND)",
)
def get_fees(request, dossier_id: uuid.UUID):
    return _fees_out(_citizen_dossier(request, dossier_id))


class PaymentStartIn(Schema):
    gateway: str = Field(
        "vnpay", pattern=r"^[a-z0-9_]{1,20}$", description="The installation's gateway"
    )


class PaymentStartOut(Schema):
    payment: PaymentOut
    pay_url: str = Field(description="Send the citizen's browser here to pay")


@citizen_router.post(
    "/dossiers/{dossier_id}/payments",
    response={201: PaymentStartOut, 403: Problem, 404: Problem, 422: Problem, 503: Problem},
    summary="Start paying the fees online: returns the gateway address; the payment settles "
    "only when the gateway notifies the platform (IPN)",
)
def start_payment(request, dossier_id: uuid.UUID, data: PaymentStartIn):
    dossier = _citizen_dossier(request, dossier_id)
    try:
        if data.gateway not in gateways.enabled():
            raise gateways.GatewayUnavailable(data.gateway)
        gateway = gateways.get(data.gateway)
    except gateways.GatewayUnavailable as exc:
        raise HttpError(503, _("Online payment is not available; pay at the desk.")) from exc
    try:
        payment, url = services.start_online_payment(
            dossier,
            applicant=request.auth,
            gateway=gateway,
            client_ip=request.META.get("REMOTE_ADDR", "127.0.0.1"),
            language=get_language(),
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201, {"payment": _payment_out(payment), "pay_url": url})


class VNPayNotice(Schema):
    """The parameters VNPAY sends (all are signed together with vnp_SecureHash)."""

    vnp_TmnCode: str | None = None
    vnp_Amount: str | None = Field(None, description="VND × 100")
    vnp_BankCode: str | None = None
    vnp_BankTranNo: str | None = None
    vnp_CardType: str | None = None
    vnp_PayDate: str | None = Field(None, description="yyyyMMddHHmmss, GMT+7")
    vnp_OrderInfo: str | None = None
    vnp_TransactionNo: str | None = None
    vnp_ResponseCode: str | None = None
    vnp_TransactionStatus: str | None = None
    vnp_TxnRef: str | None = None
    vnp_SecureHash: str | None = Field(None, description="HMAC-SHA512 of the sorted query")


class IpnAnswer(Schema):
    RspCode: str = Field(
        description="00 confirmed, 01 order not found, 02 already confirmed, 04 invalid amount, "
        "97 invalid signature, 99 unknown error"
    )
    Message: str


# VNPAY calls again until it gets an RspCode: a NUL in a notice is answered "97" (the signature).
nul.answered_by_the_view("api:vnpay_ipn")


@gateway_router.get(
    "/payments/vnpay/ipn",
    response={200: IpnAnswer},
    url_name="vnpay_ipn",
    summary="VNPAY's server-to-server payment notice (IPN), the only call that settles a payment",
    # VNPAY's protocol: every notice, however malformed, is answered 200 with an RspCode.
    openapi_extra={"x-answers-every-request": True},
)
def vnpay_ipn(request, notice: Query[VNPayNotice]):
    # The signature covers every vnp_ parameter received, declared above or not.
    try:
        gateway = gateways.get("vnpay")
    except gateways.GatewayUnavailable:
        logger.error("a VNPAY notice arrived but VNPAY is not configured")
        return {"RspCode": "99", "Message": "Unknown error"}
    try:
        outcome = services.handle_notice(
            gateway, request.GET.dict(), remote_addr=request.META.get("REMOTE_ADDR", "")
        )
    except Exception:
        logger.exception("payment notice failed")
        outcome = gateways.Outcome.ERROR
    return gateway.answer(outcome)


class PayGovAnswer(Schema):
    MaLoi: str = Field(
        description="00 confirmed, 01 not found, 02 already confirmed, 04 invalid amount, "
        "97 invalid MaXacThuc, 99 unknown error"
    )
    MoTa: str


nul.answered_by_the_view("api:paygov_notify")


@gateway_router.post(
    "/payments/paygov/notify",
    response={200: PayGovAnswer},
    url_name="paygov_notify",
    summary="PayGov's server-to-server result notice (a form POST carrying MaXacThuc), the only "
    "PayGov call that settles a payment",
    openapi_extra={"x-answers-every-request": True},
)
def paygov_notify(request):
    try:
        gateway = gateways.get("paygov")
    except gateways.GatewayUnavailable:
        logger.error("a PayGov notice arrived but PayGov is not configured")
        return {"MaLoi": "99", "MoTa": "Loi khong xac dinh"}
    try:
        outcome = services.handle_notice(
            gateway, request.POST.dict(), remote_addr=request.META.get("REMOTE_ADDR", "")
        )
    except Exception:
        logger.exception("payment notice failed")
        outcome = gateways.Outcome.ERROR
    return gateway.answer(outcome)


class CounterPaymentIn(Schema):
    method: Payment.Method = Field(description="cash or card (terminal at the desk)")
    amount: int = Field(..., ge=1, le=10**13, description="VND: the whole balance due")
    reference: str = Field("", max_length=100, pattern=r"^[^\x00-\x1f]*$")


@staff_router.post(
    "/staff/dossiers/{dossier_id}/counter-payments",
    response={201: PaymentOut, 403: Problem, 404: Problem, 422: Problem},
    summary="Record fees paid at the one-stop desk (cash or card terminal); issues the e-receipt",
)
def record_counter_payment(request, dossier_id: uuid.UUID, data: CounterPaymentIn):
    if request.auth.kind != "staff":
        raise HttpError(403, _("Only staff record payments taken at the desk."))
    dossier = get_object_or_404(reception.at_desk(request.auth), public_id=dossier_id)
    try:
        payment = services.record_counter_payment(
            dossier,
            officer=request.auth,
            method=data.method,
            amount=data.amount,
            reference=data.reference,
        )
    except PermissionDenied as exc:
        raise HttpError(403, _("Only the receiving desk's officers record payments.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201, _payment_out(payment))
