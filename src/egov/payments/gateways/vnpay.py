"""VNPAY's payment URL protocol, version 2.1.0 (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/).

- The citizen is sent to ``VNPAY_URL?<query>&vnp_SecureHash=<hash>``: the ``vnp_`` parameters
  sorted by name, each value URL-encoded (space as ``+``), and the hash an HMAC-SHA512 of that
  encoded query with the merchant's secret, in hexadecimal.
- ``vnp_Amount`` is the amount in đồng × 100; dates are ``yyyyMMddHHmmss`` in GMT+7.
- VNPAY sends the result back twice, signed the same way: the browser to the return address (it
  only shows the result) and a server-to-server call to the IPN address (the only one that
  changes anything), which answers JSON ``{"RspCode", "Message"}``.
- Refunds go to the merchant API (``VNPAY_API_URL``, ``merchant_webapi/api/transaction``) as a
  JSON POST with ``vnp_Command=refund``; request and answer are each signed with an HMAC-SHA512
  of their fields joined by ``|`` in the order VNPAY's guide gives (``REFUND_SIGNED``,
  ``REFUND_ANSWER_SIGNED``), sandbox.vnpayment.vn/apis/docs/truy-van-hoan-tien/.
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
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    Notice,
    Outcome,
    RefundRequest,
    RefundResult,
    post_json,
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


# The merchant API's refund: the fields of the request and of the answer, in the order in which
# they are joined with "|" for the signature.
REFUND_SIGNED = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
REFUND_ANSWER_SIGNED = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
]
FULL_REFUND, PARTIAL_REFUND = "02", "03"
# 00 accepted; 94 a refund of this transaction was already asked for (our earlier request whose
# answer was lost); 99 VNPAY's own error, worth asking again. Others refuse (02 merchant, 03 data,
# 91 transaction not found, 95 the payment did not succeed at VNPAY, 97 checksum).
REFUND_ACCEPTED = {"00", "94"}
REFUND_RETRYABLE = {"99"}


def encode(params: Mapping[str, str]) -> str:
    return "&".join(f"{key}={quote_plus(str(params[key]))}" for key in sorted(params))


def sign(params: Mapping[str, str], secret: str) -> str:
    signed = {key: value for key, value in params.items() if key.startswith("vnp_")}
    for key in UNSIGNED:
        signed.pop(key, None)
    return hmac.new(secret.encode(), encode(signed).encode(), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, str], secret: str) -> str:
    return f"{encode(params)}&vnp_SecureHash={sign(params, secret)}"


def sign_fields(data: Mapping[str, object], fields: list[str], secret: str) -> str:
    """The merchant API's signature: HMAC-SHA512 of the fields' values joined by "|"."""
    joined = "|".join(str(data.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), joined.encode(), hashlib.sha512).hexdigest()


def has_valid_hash(data: Mapping[str, object], fields: list[str], secret: str) -> bool:
    given = str(data.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign_fields(data, fields, secret))


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

    def __init__(self, *, tmn_code: str, hash_secret: str, url: str, api_url: str = ""):
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.url = url
        self.api_url = api_url

    @classmethod
    def from_settings(cls) -> "VNPayGateway":
        url, api_url = settings.VNPAY_URL, settings.VNPAY_API_URL
        if settings.EGOV_PAYMENT_SIMULATOR:
            base = settings.EGOV_PUBLIC_BASE_URL.rstrip("/")
            url = url or base + reverse("payments_simulator:pay")
            api_url = api_url or base + reverse("payments_simulator:api")
        if not (settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and url):
            raise GatewayUnavailable("vnpay")
        return cls(
            tmn_code=settings.VNPAY_TMN_CODE,
            hash_secret=settings.VNPAY_HASH_SECRET,
            url=url,
            api_url=api_url,
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

    def refund_body(self, request: RefundRequest) -> dict:
        body = {
            "vnp_RequestId": request.request_id,
            "vnp_Version": VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": FULL_REFUND if request.full else PARTIAL_REFUND,
            "vnp_TxnRef": request.reference,
            "vnp_Amount": str(request.amount * 100),
            "vnp_TransactionNo": request.transaction_no,
            "vnp_TransactionDate": vnpay_time(request.paid_at),
            "vnp_CreateBy": request.created_by,
            "vnp_CreateDate": vnpay_time(request.created_at),
            "vnp_IpAddr": request.client_ip,
            "vnp_OrderInfo": request.description,
        }
        body["vnp_SecureHash"] = sign_fields(body, REFUND_SIGNED, self.hash_secret)
        return body

    def refund(self, request: RefundRequest) -> RefundResult:
        if not self.api_url:
            raise GatewayError("VNPAY's merchant API address (VNPAY_API_URL) is not set")
        return self.read_refund_answer(post_json(self.api_url, self.refund_body(request)), request)

    def read_refund_answer(self, answer: Mapping, request: RefundRequest) -> RefundResult:
        if not has_valid_hash(answer, REFUND_ANSWER_SIGNED, self.hash_secret):
            raise InvalidSignature
        if answer.get("vnp_TxnRef") != request.reference:
            raise GatewayError("the answer names another transaction")
        code = str(answer.get("vnp_ResponseCode", ""))[:10]
        return RefundResult(
            accepted=code in REFUND_ACCEPTED,
            retryable=code in REFUND_RETRYABLE,
            code=code,
            message=str(answer.get("vnp_Message", ""))[:300],
            transaction_no=str(answer.get("vnp_TransactionNo", ""))[:50],
            raw={key: str(value)[:500] for key, value in answer.items()},
        )
