"""A stand-in for PayGov's payment page, for development and the demo (docs/payments.md).

As the VNPAY simulator does, it speaks PayGov's side with the merchant's own settings: it checks
the payment request's ``MaXacThuc``, shows a payment page, calls the platform's notice address
server to server with a result carrying its ``MaXacThuc`` (answered before the browser moves on),
then sends the browser to the return address with the same result. Mounted only when
EGOV_PAYMENT_SIMULATOR is on; each view checks the setting again.

It also answers PayGov's refund call (hoàn tiền, a JSON POST with ``MaXacThuc``): it checks the
checksum, the merchant, the payment (one PayGov took: a paid payment through PayGov here) and what
is left of it to refund, and answers with its own ``MaXacThuc``.
"""

import json
import logging
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from egov.payments.gateways.paygov import (
    FULL_REFUND,
    NOTICE_SIGNED,
    PAID,
    PARTIAL_REFUND,
    REFUND_ANSWER_SIGNED,
    REFUND_SIGNED,
    REQUEST_SIGNED,
    VERSION,
    PayGovGateway,
    checksum,
    has_valid_checksum,
    whole_dong,
)
from egov.payments.gateways.vnpay import parse_time, vnpay_time
from egov.payments.models import Payment, Refund
from egov.payments.simulator import BANKS, simulator_only

logger = logging.getLogger("egov.payments.simulator")


def _problem(gateway: PayGovGateway, params: dict) -> str | None:
    if not has_valid_checksum(params, REQUEST_SIGNED, gateway.secret):
        return _("Invalid MaXacThuc: the payment request was changed or not signed.")
    if params.get("MaDoiTac") != gateway.merchant_code:
        return _("Unknown merchant code.")
    if not whole_dong(params.get("SoTien", "")):
        return _("Invalid amount.")
    expires = parse_time(params.get("ThoiGianHetHan", ""))
    if expires is None or expires < timezone.now():
        return _("The time allowed for this payment is over.")
    return None


def result(gateway: PayGovGateway, params: dict, *, paid: bool, bank: str) -> dict:
    notice = {
        "MaDoiTac": params["MaDoiTac"],
        "MaThamChieu": params["MaThamChieu"],
        "SoTien": params["SoTien"],
        "MaGiaoDich": f"PG{secrets.randbelow(10**10):010d}" if paid else "",
        "MaNganHang": bank,
        "MaKetQua": PAID if paid else "24",
        "ThoiGianThanhToan": vnpay_time(timezone.now()),
    }
    notice["MaXacThuc"] = checksum(notice, NOTICE_SIGNED, gateway.secret)
    return notice


def notice_url() -> str:
    return settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + reverse("api:paygov_notify")


def notify(notice: dict) -> dict:
    """The server-to-server notice PayGov sends (a form POST); the platform's answer."""
    request = urllib.request.Request(notice_url(), data=urlencode(notice).encode(), method="POST")  # noqa: S310 - our own address
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own address
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        logger.warning("the PayGov simulator could not deliver the notice: %s", exc)
        return {"MaLoi": "", "MoTa": str(exc)}


@simulator_only
@require_http_methods(["GET", "POST"])
def pay(request):
    gateway = PayGovGateway.from_settings()
    params = request.GET.dict()
    problem = _problem(gateway, params)
    if problem:
        return render(request, "payments/simulator/error.html", {"problem": problem}, status=400)
    if request.method == "POST":
        banks = dict(BANKS)
        bank = request.POST.get("bank") if request.POST.get("bank") in banks else "VCB"
        notice = result(gateway, params, paid=request.POST.get("choice") == "pay", bank=bank)
        answer = notify(notice)
        logger.info("simulated PayGov payment %s: answered %s", params["MaThamChieu"], answer)
        separator = "&" if "?" in params["UrlTraVe"] else "?"
        return redirect(f"{params['UrlTraVe']}{separator}{urlencode(notice)}")
    try:
        receipt = json.loads(params.get("ThongTinBienLai", "{}"))
    except ValueError:
        receipt = {}
    return render(
        request,
        "payments/simulator/paygov_pay.html",
        {
            "amount": whole_dong(params["SoTien"]),
            "params": params,
            "receipt": receipt if isinstance(receipt, dict) else {},
            "banks": BANKS,
            "query": request.GET.urlencode(),
        },
    )


REFUND_ANSWERS = {
    "00": "Hoan tien thanh cong",
    "01": "Khong tim thay giao dich",
    "02": "Ma doi tac khong hop le",
    "03": "Du lieu khong hop le",
    "94": "Giao dich da duoc hoan tien",
    "95": "Giao dich khong thanh cong, khong the hoan tien",
    "97": "Ma xac thuc khong hop le",
}


def _refund_code(gateway: PayGovGateway, body) -> str:
    if not isinstance(body, dict) or not all(isinstance(body.get(f), str) for f in REFUND_SIGNED):
        return "03"
    if not has_valid_checksum(body, REFUND_SIGNED, gateway.secret):
        return "97"
    if body["MaDoiTac"] != gateway.merchant_code:
        return "02"
    amount = whole_dong(body["SoTien"])
    if (
        body["PhienBan"] != VERSION
        or body["LoaiHoanTien"] not in (FULL_REFUND, PARTIAL_REFUND)
        or not amount
        or parse_time(body["ThoiGianYeuCau"]) is None
    ):
        return "03"
    payment = Payment.objects.filter(gateway=gateway.code, txn_ref=body["MaThamChieu"]).first()
    if payment is None:
        return "01"
    if payment.status != Payment.Status.PAID or body["MaGiaoDich"] != (
        payment.gateway_transaction_no
    ):
        return "95"
    refunded = sum(
        refund.amount
        for refund in payment.refunds.filter(gateway=gateway.code, status=Refund.Status.DONE)
    )
    if refunded and refunded + amount > payment.amount:
        return "94"
    if amount > payment.amount - refunded or (
        body["LoaiHoanTien"] == FULL_REFUND and amount != payment.amount
    ):
        return "03"
    return "00"


@simulator_only
@csrf_exempt
@require_POST
def refund(request):
    """PayGov's refund call (hoàn tiền)."""
    gateway = PayGovGateway.from_settings()
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    code = _refund_code(gateway, body)
    body = body if isinstance(body, dict) else {}
    answer = {
        "MaDoiTac": gateway.merchant_code,
        "MaYeuCau": str(body.get("MaYeuCau", "")),
        "MaThamChieu": str(body.get("MaThamChieu", "")),
        "SoTien": str(body.get("SoTien", "")),
        "MaKetQua": code,
        "MoTa": REFUND_ANSWERS[code],
        "MaGiaoDichHoanTien": f"PGHT{secrets.randbelow(10**10):010d}" if code == "00" else "",
        "ThoiGianHoanTien": vnpay_time(timezone.now()) if code == "00" else "",
    }
    answer["MaXacThuc"] = checksum(answer, REFUND_ANSWER_SIGNED, gateway.secret)
    logger.info("simulated PayGov refund of %s: %s", answer["MaThamChieu"], code)
    return JsonResponse(answer)
