"""The national payment platform (Nền tảng thanh toán trực tuyến của Cổng Dịch vụ công quốc gia,
PayGov).

- The citizen is sent to ``PAYGOV_URL?<query>``: the payment request with its receipt
  information (``ThongTinBienLai``, JSON: payer, dossier code, what is paid) and ``MaXacThuc``.
- ``MaXacThuc`` (our recipe, docs/payments.md): HMAC-SHA256, keyed with the merchant secret, of
  the values of ``REQUEST_SIGNED`` joined by ``|`` in that order, in lowercase hexadecimal. The
  result notice (``NOTICE_SIGNED``) is checked the same way. The field names and their order
  follow the published description of PayGov's connection and MUST be checked against the
  specification PayGov hands to the province before production.
- ``SoTien`` is whole đồng; times are ``yyyyMMddHHmmss`` in GMT+7.
- PayGov sends the result twice, as VNPAY does: the browser to the return address (shown only)
  and a server-to-server notice (the only one that changes anything), answered JSON
  ``{"MaLoi", "MoTa"}``.
- Refunds (hoàn tiền) go to ``PAYGOV_API_URL`` as a JSON POST carrying ``MaXacThuc`` over
  ``REFUND_SIGNED``; the answer is believed only with a valid ``MaXacThuc`` over
  ``REFUND_ANSWER_SIGNED`` naming the same request and payment. Same recipe, same caveat: our
  assumption until PayGov's specification is at hand (docs/payments.md).
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from urllib.parse import urlencode

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
from egov.payments.gateways.vnpay import parse_time, vnpay_time

VERSION = "1.0"
REQUEST_SIGNED = [
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "ThongTinGiaoDich",
    "ThongTinBienLai",
    "ThoiGianGD",
    "ThoiGianHetHan",
    "UrlTraVe",
    "DiaChiIP",
    "NgonNgu",
]
NOTICE_SIGNED = [
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaGiaoDich",
    "MaNganHang",
    "MaKetQua",
    "ThoiGianThanhToan",
]
PAID = "00"
# The refund call: the request's and the answer's fields, in the order in which their values are
# joined with "|" for MaXacThuc.
REFUND_SIGNED = [
    "PhienBan",
    "MaDoiTac",
    "MaYeuCau",
    "MaThamChieu",
    "MaGiaoDich",
    "LoaiHoanTien",
    "SoTien",
    "NoiDung",
    "NguoiYeuCau",
    "ThoiGianYeuCau",
    "DiaChiIP",
]
REFUND_ANSWER_SIGNED = [
    "MaDoiTac",
    "MaYeuCau",
    "MaThamChieu",
    "SoTien",
    "MaKetQua",
    "MoTa",
    "MaGiaoDichHoanTien",
    "ThoiGianHoanTien",
]
FULL_REFUND, PARTIAL_REFUND = "1", "2"
# 00 accepted; 94 this payment was already refunded at our earlier request (whose answer was
# lost): taken as accepted; 99 PayGov's own error, worth asking again. Others refuse (01 payment
# not found, 02 merchant, 03 data, 95 the payment did not succeed, 97 MaXacThuc).
REFUND_ACCEPTED = {"00", "94"}
REFUND_RETRYABLE = {"99"}
ANSWERS = {
    Outcome.CONFIRMED: ("00", "Xac nhan thanh cong"),
    Outcome.NOT_FOUND: ("01", "Khong tim thay giao dich"),
    Outcome.ALREADY_CONFIRMED: ("02", "Giao dich da duoc xac nhan"),
    Outcome.INVALID_AMOUNT: ("04", "So tien khong hop le"),
    Outcome.INVALID_SIGNATURE: ("97", "Ma xac thuc khong hop le"),
    Outcome.ERROR: ("99", "Loi khong xac dinh"),
}


def checksum(data: Mapping[str, object], fields: list[str], secret: str) -> str:
    joined = "|".join(str(data.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), joined.encode(), hashlib.sha256).hexdigest()


def has_valid_checksum(data: Mapping[str, object], fields: list[str], secret: str) -> bool:
    given = str(data.get("MaXacThuc", "")).lower()
    return bool(given) and hmac.compare_digest(given, checksum(data, fields, secret))


def whole_dong(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class PayGovGateway(Gateway):
    code = "paygov"
    name = "PayGov"

    def __init__(self, *, merchant_code: str, secret: str, url: str, api_url: str = ""):
        self.merchant_code = merchant_code
        self.secret = secret
        self.url = url
        self.api_url = api_url

    @classmethod
    def from_settings(cls) -> "PayGovGateway":
        url, api_url = settings.PAYGOV_URL, settings.PAYGOV_API_URL
        if settings.EGOV_PAYMENT_SIMULATOR:
            base = settings.EGOV_PUBLIC_BASE_URL.rstrip("/")
            url = url or base + reverse("paygov_simulator:pay")
            api_url = api_url or base + reverse("paygov_simulator:refund")
        if not (settings.PAYGOV_MERCHANT_CODE and settings.PAYGOV_SECRET and url):
            raise GatewayUnavailable("paygov")
        return cls(
            merchant_code=settings.PAYGOV_MERCHANT_CODE,
            secret=settings.PAYGOV_SECRET,
            url=url,
            api_url=api_url,
        )

    def request_fields(self, checkout: Checkout) -> dict[str, str]:
        receipt = {
            "NguoiNop": checkout.payer_name,
            "MaHoSo": checkout.dossier_code,
            "NoiDung": checkout.description,
            "SoTien": checkout.amount,
        }
        fields = {
            "PhienBan": VERSION,
            "MaDoiTac": self.merchant_code,
            "MaThamChieu": checkout.reference,
            "SoTien": str(checkout.amount),
            "MaTienTe": "VND",
            "ThongTinGiaoDich": checkout.description,
            "ThongTinBienLai": json.dumps(receipt, ensure_ascii=False, separators=(",", ":")),
            "ThoiGianGD": vnpay_time(checkout.created_at),
            "ThoiGianHetHan": vnpay_time(checkout.expires_at),
            # The shared return page learns from this which gateway's result it shows.
            "UrlTraVe": f"{checkout.return_url}?cong={self.code}",
            "DiaChiIP": checkout.client_ip,
            "NgonNgu": "en" if checkout.language == "en" else "vi",
        }
        fields["MaXacThuc"] = checksum(fields, REQUEST_SIGNED, self.secret)
        return fields

    def payment_url(self, checkout: Checkout) -> str:
        return f"{self.url}?{urlencode(self.request_fields(checkout))}"

    def verify(self, params: Mapping[str, str]) -> Notice:
        if not has_valid_checksum(params, NOTICE_SIGNED, self.secret):
            raise InvalidSignature
        if params.get("MaDoiTac") != self.merchant_code:
            raise InvalidSignature
        return Notice(
            reference=params.get("MaThamChieu", ""),
            amount=whole_dong(params.get("SoTien", "")),
            succeeded=params.get("MaKetQua") == PAID,
            transaction_no=params.get("MaGiaoDich", "")[:50],
            bank_code=params.get("MaNganHang", "")[:20],
            response_code=params.get("MaKetQua", "")[:10],
            paid_at=parse_time(params.get("ThoiGianThanhToan", "")),
            raw={key: str(value)[:500] for key, value in params.items()},
        )

    def answer(self, outcome: Outcome) -> dict:
        code, message = ANSWERS[outcome]
        return {"MaLoi": code, "MoTa": message}

    def refund_body(self, request: RefundRequest) -> dict[str, str]:
        body = {
            "PhienBan": VERSION,
            "MaDoiTac": self.merchant_code,
            "MaYeuCau": request.request_id,
            "MaThamChieu": request.reference,
            "MaGiaoDich": request.transaction_no,
            "LoaiHoanTien": FULL_REFUND if request.full else PARTIAL_REFUND,
            "SoTien": str(request.amount),
            "NoiDung": request.description,
            "NguoiYeuCau": request.created_by,
            "ThoiGianYeuCau": vnpay_time(request.created_at),
            "DiaChiIP": request.client_ip,
        }
        body["MaXacThuc"] = checksum(body, REFUND_SIGNED, self.secret)
        return body

    def refund(self, request: RefundRequest) -> RefundResult:
        if not self.api_url:
            raise GatewayError("PayGov's refund address (PAYGOV_API_URL) is not set")
        return self.read_refund_answer(post_json(self.api_url, self.refund_body(request)), request)

    def read_refund_answer(self, answer: Mapping, request: RefundRequest) -> RefundResult:
        if not has_valid_checksum(answer, REFUND_ANSWER_SIGNED, self.secret):
            raise InvalidSignature
        if answer.get("MaDoiTac") != self.merchant_code:
            raise InvalidSignature
        if (answer.get("MaThamChieu"), answer.get("MaYeuCau")) != (
            request.reference,
            request.request_id,
        ):
            raise GatewayError("the answer names another payment or request")
        code = str(answer.get("MaKetQua", ""))[:10]
        return RefundResult(
            accepted=code in REFUND_ACCEPTED,
            retryable=code in REFUND_RETRYABLE,
            code=code,
            message=str(answer.get("MoTa", ""))[:300],
            transaction_no=str(answer.get("MaGiaoDichHoanTien", ""))[:50],
            raw={key: str(value)[:500] for key, value in answer.items()},
        )
