"""A stand-in for VNPAY's payment page, for development and the demo (docs/payments.md).

It speaks the gateway's side of the protocol with the merchant's own settings: it checks the
signed payment address, shows a payment page, then, as VNPAY does, calls the platform's IPN
address server to server with a signed result (one direct HTTP call, answered before the browser
moves on) and sends the browser to the return address with the same signed result. So the
platform's real adapter and IPN handling run end to end. It is mounted only when
EGOV_PAYMENT_SIMULATOR is on, which production settings never allow, and each view checks the
setting again.
"""

import json
import logging
import secrets
import urllib.error
import urllib.request
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.payments.gateways import InvalidSignature
from egov.payments.gateways.vnpay import VERSION, VNPayGateway, parse_time, signed_query, vnpay_time
from egov.payments.gateways.vnpay import vnd as vnd_amount

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
