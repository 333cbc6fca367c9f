"""Payment gateways behind one interface.

The payment services speak only to :class:`Gateway`; adding another gateway (the national
payment platform, a bank) is one subclass registered in ``GATEWAYS``, without touching dossiers
or the services. A gateway turns a :class:`Checkout` into the address the citizen is sent to,
verifies what it sends back (:class:`Notice`), and words the answer it expects to its
server-to-server notice from an :class:`Outcome`.
"""

import datetime
import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

GATEWAYS = {"vnpay": "egov.payments.gateways.vnpay.VNPayGateway"}


class GatewayUnavailable(Exception):
    """The gateway is not configured on this installation."""


class InvalidSignature(Exception):
    """The data does not carry the gateway's valid signature."""


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


def get(code: str | None = None) -> Gateway:
    code = code or settings.EGOV_PAYMENT_GATEWAY
    if code not in GATEWAYS:  # including "": online payment is off
        raise GatewayUnavailable(code)
    return import_string(GATEWAYS[code]).from_settings()
