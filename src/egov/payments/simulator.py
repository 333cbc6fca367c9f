"""A stand-in for VNPAY's payment page, for development and the demo (docs/payments.md).

It speaks the gateway's side of the protocol with the merchant's own settings: it checks the
signed payment address, shows a payment page, then, as VNPAY does, calls the platform's IPN
address server to server with a signed result (one direct HTTP call, answered before the browser
moves on) and sends the browser to the return address with the same signed result. So the
platform's real adapter and IPN handling run end to end. It is mounted only when
EGOV_PAYMENT_SIMULATOR is on, which production settings never allow, and each view checks the
setting again.

It also answers VNPAY's merchant API refund call (``vnp_Command=refund``, a signed JSON POST),
checking the signature, the terminal, the payment (one VNPAY took: a paid payment through VNPAY
here) and what is left of it to refund, and answers signed as VNPAY does.
"""

import json
import logging
import secrets
import urllib.error
import urllib.request
from functools import wraps

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from egov.payments.gateways import InvalidSignature
from egov.payments.gateways.vnpay import (
    FULL_REFUND,
    PARTIAL_REFUND,
    REFUND_ANSWER_SIGNED,
    REFUND_SIGNED,
    VERSION,
    VNPayGateway,
    has_valid_hash,
    parse_time,
    sign_fields,
    signed_query,
    vnpay_time,
)
from egov.payments.gateways.vnpay import vnd as vnd_amount
from egov.payments.models import Payment, Refund

logger = logging.getLogger("egov.payments.simulator")

BANKS = [("NCB", "NCB"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"), ("VNPAYQR", "VNPAY-QR")]


def simulator_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.EGOV_PAYMENT_SIMULATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _problem(gateway: VNPayGateway, params: dict) -> str | None:
    """What VNPAY would refuse in the payment address (its error page), or None."""
    try:
        gateway.verify(params)
    except InvalidSignature:
        return _("Invalid signature (code 70): the payment address was changed or not signed.")
    if params.get("vnp_TmnCode") != gateway.tmn_code:
        return _("Unknown merchant terminal code (code 02).")
    if params.get("vnp_Version") != VERSION or params.get("vnp_Command") != "pay":
        return _("Unsupported version or command.")
    if not vnd_amount(params.get("vnp_Amount", "")):
        return _("Invalid amount (code 03).")
    expires = parse_time(params.get("vnp_ExpireDate", ""))
    if expires is None or expires < timezone.now():
        return _("The time allowed for this payment is over (code 11).")
    return None


def _result(params: dict, *, paid: bool, bank: str) -> dict:
    transaction_no = f"{secrets.randbelow(10**8):08d}" if paid else "0"
    result = {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": bank,
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnpay_time(timezone.now()),
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": params["vnp_TxnRef"],
    }
    if paid:
        result.update(vnp_BankTranNo=f"VNP{transaction_no}", vnp_CardType="ATM")
    return result


def ipn_url() -> str:
    return settings.EGOV_PAYMENT_SIMULATOR_IPN_URL or (
        settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + reverse("api:vnpay_ipn")
    )


def notify(query: str) -> dict:
    """The server-to-server call VNPAY makes; returns the platform's answer (or the failure)."""
    try:
        with urllib.request.urlopen(f"{ipn_url()}?{query}", timeout=10) as response:  # noqa: S310 - our own IPN address from settings
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        logger.warning("the simulator could not deliver the IPN: %s", exc)
        return {"RspCode": "", "Message": str(exc)}


@simulator_only
@require_http_methods(["GET", "POST"])
def pay(request):
    gateway = VNPayGateway.from_settings()
    params = request.GET.dict()
    problem = _problem(gateway, params)
    if problem:
        return render(request, "payments/simulator/error.html", {"problem": problem}, status=400)
    if request.method == "POST":
        banks = dict(BANKS)
        bank = request.POST.get("bank") if request.POST.get("bank") in banks else "NCB"
        result = _result(params, paid=request.POST.get("choice") == "pay", bank=bank)
        query = signed_query(result, gateway.hash_secret)
        answer = notify(query)
        logger.info("simulated payment %s: IPN answered %s", params["vnp_TxnRef"], answer)
        return redirect(f"{params['vnp_ReturnUrl']}?{query}")
    return render(
        request,
        "payments/simulator/pay.html",
        {
            "amount": vnd_amount(params["vnp_Amount"]),
            "params": params,
            "banks": BANKS,
            "query": request.GET.urlencode(),
        },
    )


# The merchant API's answers to a refund request (VNPAY's guide).
REFUND_ANSWERS = {
    "00": "Refund success",
    "02": "Invalid merchant (TmnCode)",
    "03": "Invalid data format",
    "91": "Transaction not found",
    "94": "A refund of this transaction was already requested",
    "95": "The transaction did not succeed at VNPAY; refund refused",
    "97": "Invalid checksum",
    "99": "Unknown error",
}


def _refund_code(gateway: VNPayGateway, body) -> str:
    if not isinstance(body, dict) or not all(isinstance(body.get(f), str) for f in REFUND_SIGNED):
        return "03"
    if not has_valid_hash(body, REFUND_SIGNED, gateway.hash_secret):
        return "97"
    if body["vnp_TmnCode"] != gateway.tmn_code:
        return "02"
    if (
        body["vnp_Command"] != "refund"
        or body["vnp_Version"] != VERSION
        or body["vnp_TransactionType"] not in (FULL_REFUND, PARTIAL_REFUND)
        or not vnd_amount(body["vnp_Amount"])
        or parse_time(body["vnp_CreateDate"]) is None
    ):
        return "03"
    payment = Payment.objects.filter(gateway=gateway.code, txn_ref=body["vnp_TxnRef"]).first()
    if payment is None:
        return "91"
    if payment.status != Payment.Status.PAID:
        return "95"
    refunded = sum(
        refund.amount
        for refund in payment.refunds.filter(gateway=gateway.code, status=Refund.Status.DONE)
    )
    amount = vnd_amount(body["vnp_Amount"])
    if amount is None:
        return "03"
    if refunded and refunded + amount > payment.amount:
        return "94"
    if amount > payment.amount - refunded or (
        body["vnp_TransactionType"] == FULL_REFUND and amount != payment.amount
    ):
        return "03"
    return "00"


@simulator_only
@csrf_exempt
@require_POST
def api(request):
    """VNPAY's merchant API (merchant_webapi/api/transaction), refund only."""
    gateway = VNPayGateway.from_settings()
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    code = _refund_code(gateway, body)
    body = body if isinstance(body, dict) else {}
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "refund",
        "vnp_ResponseCode": code,
        "vnp_Message": REFUND_ANSWERS[code],
        "vnp_TmnCode": gateway.tmn_code,
        "vnp_TxnRef": str(body.get("vnp_TxnRef", "")),
        "vnp_Amount": str(body.get("vnp_Amount", "")),
        "vnp_BankCode": "NCB",
        "vnp_PayDate": vnpay_time(timezone.now()),
        "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}" if code == "00" else "",
        "vnp_TransactionType": str(body.get("vnp_TransactionType", "")),
        # 05: VNPAY is refunding (the money goes back to the card or account within days).
        "vnp_TransactionStatus": "05" if code == "00" else "",
        "vnp_OrderInfo": str(body.get("vnp_OrderInfo", "")),
    }
    answer["vnp_SecureHash"] = sign_fields(answer, REFUND_ANSWER_SIGNED, gateway.hash_secret)
    logger.info("simulated refund of %s: %s", answer["vnp_TxnRef"], code)
    return JsonResponse(answer)
