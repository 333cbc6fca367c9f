"""VNPAY's payment URL protocol, version 2.1.0 (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/).

- The citizen is sent to ``VNPAY_URL?<query>&vnp_SecureHash=<hash>``: the ``vnp_`` parameters
  sorted by name, each value URL-encoded (space as ``+``), and the hash an HMAC-SHA512 of that
  encoded query with the merchant's secret, in hexadecimal.
- ``vnp_Amount`` is the amount in đồng × 100; dates are ``yyyyMMddHHmmss`` in GMT+7.
- VNPAY sends the result back twice, signed the same way: the browser to the return address (it
  only shows the result) and a server-to-server call to the IPN address (the only one that
  changes anything), which answers JSON ``{"RspCode", "Message"}``.
"""

import datetime
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from egov.payments.gateways import (
    Checkout,
    Gateway,
    GatewayUnavailable,
    InvalidSignature,
    Notice,
    Outcome,
)

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"
# Parameters that travel with the data but are not part of what is signed.
UNSIGNED = {"vnp_SecureHash", "vnp_SecureHashType"}
ANSWERS = {
    Outcome.CONFIRMED: ("00", "Confirm Success"),
    Outcome.NOT_FOUND: ("01", "Order not found"),
    Outcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    Outcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    Outcome.INVALID_SIGNATURE: ("97", "Invalid signature"),
    Outcome.ERROR: ("99", "Unknown error"),
}


def encode(params: Mapping[str, str]) -> str:
    return "&".join(f"{key}={quote_plus(str(params[key]))}" for key in sorted(params))


def sign(params: Mapping[str, str], secret: str) -> str:
    signed = {key: value for key, value in params.items() if key.startswith("vnp_")}
    for key in UNSIGNED:
        signed.pop(key, None)
    return hmac.new(secret.encode(), encode(signed).encode(), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, str], secret: str) -> str:
    return f"{encode(params)}&vnp_SecureHash={sign(params, secret)}"


def vnpay_time(moment: datetime.datetime) -> str:
    return moment.astimezone(GMT7).strftime(TIME_FORMAT)


def parse_time(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=GMT7)
    except ValueError:
        return None


def vnd(minor_units: str) -> int | None:
    """``vnp_Amount`` back in đồng; None unless it is a whole number of đồng."""
    if not minor_units.isdigit() or int(minor_units) % 100:
        return None
    return int(minor_units) // 100


class VNPayGateway(Gateway):
    code = "vnpay"
    name = "VNPAY"

    def __init__(self, *, tmn_code: str, hash_secret: str, url: str):
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.url = url

    @classmethod
    def from_settings(cls) -> "VNPayGateway":
        url = settings.VNPAY_URL
        if not url and settings.EGOV_PAYMENT_SIMULATOR:
            url = settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + reverse("payments_simulator:pay")
        if not (settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and url):
            raise GatewayUnavailable("vnpay")
        return cls(
            tmn_code=settings.VNPAY_TMN_CODE, hash_secret=settings.VNPAY_HASH_SECRET, url=url
        )

    def payment_url(self, checkout: Checkout) -> str:
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(checkout.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": checkout.reference,
            "vnp_OrderInfo": checkout.description,
            "vnp_OrderType": "other",
            "vnp_Locale": "en" if checkout.language == "en" else "vn",
            "vnp_ReturnUrl": checkout.return_url,
            "vnp_IpAddr": checkout.client_ip,
            "vnp_CreateDate": vnpay_time(checkout.created_at),
            "vnp_ExpireDate": vnpay_time(checkout.expires_at),
        }
        return f"{self.url}?{signed_query(params, self.hash_secret)}"

    def verify(self, params: Mapping[str, str]) -> Notice:
        given = str(params.get("vnp_SecureHash", "")).lower()
        if not given or not hmac.compare_digest(given, sign(params, self.hash_secret)):
            raise InvalidSignature
        return Notice(
            reference=params.get("vnp_TxnRef", ""),
            amount=vnd(params.get("vnp_Amount", "")),
            succeeded=params.get("vnp_ResponseCode") == "00"
            and params.get("vnp_TransactionStatus") == "00",
            transaction_no=params.get("vnp_TransactionNo", "")[:50],
            bank_code=params.get("vnp_BankCode", "")[:20],
            response_code=params.get("vnp_ResponseCode", "")[:10],
            paid_at=parse_time(params.get("vnp_PayDate", "")),
            raw={key: str(value)[:500] for key, value in params.items()},
        )

    def answer(self, outcome: Outcome) -> dict:
        code, message = ANSWERS[outcome]
        return {"RspCode": code, "Message": message}
