"""The postal operator, behind one interface: the platform books parcels and reads the status
webhooks through an adapter, so another operator's API is one more adapter, chosen by
EGOV_POSTAL_OPERATOR, without touching the services."""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Party:
    name: str
    phone: str
    address: str
    commune_code: str = ""
    province_code: str = ""


@dataclass(frozen=True)
class Order:
    reference: str  # the shipment's public id: the operator books it once however often it is sent
    direction: str
    sender: Party
    recipient: Party
    weight_class: str
    dossier_code: str
    callback_url: str


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    booked_at: datetime.datetime


@dataclass(frozen=True)
class StatusReport:
    event_id: str
    tracking_number: str
    status: str
    occurred_at: datetime.datetime
    note: str = ""


class OperatorUnavailable(Exception):
    """The operator did not answer or answered that it cannot now: try again later."""


class OrderRefused(Exception):
    """The operator refused the order itself: sending it again cannot help."""


class WebhookRefused(Exception):
    """The webhook is not from the operator (bad or missing signature, stale timestamp)."""


class WebhookInvalid(Exception):
    """The webhook is signed but its body is not a status report."""


class PostalOperator(ABC):
    @abstractmethod
    def book(self, order: Order) -> Booking: ...

    @abstractmethod
    def read_webhook(self, body: bytes, headers: Mapping[str, str]) -> StatusReport:
        """Checks that the operator sent it, then parses it."""


def operator() -> PostalOperator:
    return import_string(settings.EGOV_POSTAL_OPERATOR)()
