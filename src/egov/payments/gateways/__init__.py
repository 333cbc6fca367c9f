"""Payment gateways behind one interface.

The payment services speak only to :class:`Gateway`; adding another gateway (the national
payment platform, a bank) is one subclass registered in ``GATEWAYS``, without touching dossiers
or the services. A gateway turns a :class:`Checkout` into the address the citizen is sent to,
verifies what it sends back (:class:`Notice`), words the answer it expects to its
server-to-server notice from an :class:`Outcome`, and gives money back through its merchant API
(:meth:`Gateway.refund`, a :class:`RefundRequest` answered by a verified :class:`RefundResult`).
"""

import datetime
import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.utils.module_loading import import_string

GATEWAYS = {
    "vnpay": "egov.payments.gateways.vnpay.VNPayGateway",
    "paygov": "egov.payments.gateways.paygov.PayGovGateway",
}


class GatewayUnavailable(Exception):
    """The gateway is not configured on this installation."""


class InvalidSignature(Exception):
    """The data does not carry the gateway's valid signature."""


class GatewayError(Exception):
    """The gateway could not be reached, or its answer could not be read: try again later."""


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    NOT_FOUND = "not_found"
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SIGNATURE = "invalid_signature"
    ERROR = "error"


@dataclass(frozen=True)
class Checkout:
    reference: str
    amount: int  # VND
    description: str
    client_ip: str
    return_url: str
    language: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    # The e-receipt's information some gateways carry (PayGov's ThongTinBienLai).
    payer_name: str = ""
    dossier_code: str = ""


@dataclass(frozen=True)
class Notice:
    """A verified result sent by the gateway, on the return address or server to server."""

    reference: str
    amount: int | None  # VND; None when the gateway's figure is not a whole number of đồng
    succeeded: bool
    transaction_no: str = ""
    bank_code: str = ""
    response_code: str = ""
    paid_at: datetime.datetime | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundRequest:
    request_id: str  # unique per request
    reference: str  # our reference of the payment (vnp_TxnRef)
    amount: int  # VND
    full: bool  # the whole payment, or a part of it
    transaction_no: str  # the gateway's number of the payment
    paid_at: datetime.datetime
    description: str
    created_by: str
    created_at: datetime.datetime
    client_ip: str


@dataclass(frozen=True)
class RefundResult:
    """The gateway's verified answer to a refund request: accepted (the money goes back), worth
    asking again later (the gateway's own failure), or refused."""

    accepted: bool
    retryable: bool
    code: str
    message: str = ""
    transaction_no: str = ""
    raw: dict = field(default_factory=dict)


class Gateway(ABC):
    code: str
    name: str

    @classmethod
    @abstractmethod
    def from_settings(cls) -> "Gateway":
        """Raises GatewayUnavailable when the installation lacks its settings."""

    @abstractmethod
    def payment_url(self, checkout: Checkout) -> str: ...

    @abstractmethod
    def verify(self, params: Mapping[str, str]) -> Notice:
        """Raises InvalidSignature unless ``params`` carry the gateway's valid signature."""

    @abstractmethod
    def answer(self, outcome: Outcome) -> dict:
        """The body the gateway expects in reply to its server-to-server notice."""

    @abstractmethod
    def refund(self, request: RefundRequest) -> RefundResult:
        """Asks the gateway to give money back. Raises GatewayError when it cannot be reached or
        answers something unreadable, InvalidSignature when its answer is not signed by it."""


def post_json(url: str, body: dict) -> dict:
    """POSTs a gateway's server-to-server call and returns its JSON answer. Raises GatewayError
    when the gateway cannot be reached or answers something that is not a JSON object."""
    try:
        response = requests.post(
            url, json=body, timeout=settings.EGOV_PAYMENT_GATEWAY_TIMEOUT_SECONDS
        )
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise GatewayError(str(exc)[:300]) from exc
    if not isinstance(answer, dict):
        raise GatewayError(f"unreadable answer (HTTP {response.status_code})")
    return answer


def enabled() -> list[str]:
    """The gateways a citizen may choose, the installation's main one first."""
    codes = [settings.EGOV_PAYMENT_GATEWAY, *settings.EGOV_PAYMENT_GATEWAYS]
    return [code for i, code in enumerate(codes) if code in GATEWAYS and code not in codes[:i]]


def get(code: str | None = None) -> Gateway:
    code = code or settings.EGOV_PAYMENT_GATEWAY
    if code not in GATEWAYS:  # including "": online payment is off
        raise GatewayUnavailable(code)
    return import_string(GATEWAYS[code]).from_settings()
