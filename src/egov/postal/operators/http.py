"""The postal operator's JSON API over HTTPS (docs/postal.md, "Operator protocol").

Booking: ``POST {EGOV_POSTAL_API_URL}/v1/orders`` with ``Authorization: Bearer <key>`` and
``Idempotency-Key: <shipment id>``; the answer (201, or 200 for an order already booked under
that key) carries ``tracking_number`` and ``booked_at``. Status changes come back as webhooks
signed with the shared secret (signing.py). The local simulator speaks the same protocol, so
this module is what the tests run.
"""

import dataclasses
import datetime
import json
from collections.abc import Mapping

import requests
from django.conf import settings
from django.utils.dateparse import parse_datetime

from egov.postal.operators import (
    Booking,
    OperatorUnavailable,
    Order,
    OrderRefused,
    PostalOperator,
    StatusReport,
    WebhookInvalid,
    signing,
)

STATUSES = {"booked", "picked_up", "in_transit", "delivered", "failed", "returned"}


def _aware(value) -> datetime.datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


class HttpOperator(PostalOperator):
    def __init__(self):
        self.base_url = settings.EGOV_POSTAL_API_URL.rstrip("/")
        self.api_key = settings.EGOV_POSTAL_API_KEY
        self.secret = settings.EGOV_POSTAL_WEBHOOK_SECRET
        self.timeout = settings.EGOV_POSTAL_TIMEOUT_SECONDS

    def book(self, order: Order) -> Booking:
        if not self.base_url:
            raise OrderRefused("no postal operator is configured (EGOV_POSTAL_API_URL)")
        payload = dataclasses.asdict(order)
        try:
            response = requests.post(
                f"{self.base_url}/v1/orders",
                json=payload,
                headers={
                    "Authorization": f"Bearer {self.api_key}",
                    "Idempotency-Key": order.reference,
                    "Accept": "application/json",
                },
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            # Timed out or cut: the order may exist; the retry carries the same key.
            raise OperatorUnavailable(f"cannot reach the postal operator: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise OperatorUnavailable(f"HTTP {response.status_code} from the postal operator")
        if response.status_code not in (200, 201):
            raise OrderRefused(
                f"HTTP {response.status_code} from the postal operator: {response.text[:200]}"
            )
        try:
            body = response.json()
            tracking_number = str(body["tracking_number"]).strip()
        except (ValueError, KeyError, TypeError) as exc:
            raise OperatorUnavailable("the postal operator's answer is not a booking") from exc
        booked_at = _aware(body.get("booked_at"))
        if not tracking_number or booked_at is None:
            raise OperatorUnavailable("the postal operator's answer is not a booking")
        return Booking(tracking_number=tracking_number, booked_at=booked_at)

    def read_webhook(self, body: bytes, headers: Mapping[str, str]) -> StatusReport:
        signing.verify(
            self.secret, body, headers, tolerance=settings.EGOV_POSTAL_WEBHOOK_TOLERANCE_SECONDS
        )
        try:
            data = json.loads(body)
            report = StatusReport(
                event_id=str(data["event_id"]).strip()[:100],
                tracking_number=str(data["tracking_number"]).strip()[:40],
                status=str(data["status"]),
                occurred_at=_aware(data["occurred_at"]),
                note=str(data.get("note") or "")[:300],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookInvalid("the body is not a status report") from exc
        if not report.event_id or not report.tracking_number:
            raise WebhookInvalid("event_id and tracking_number are required")
        if report.status not in STATUSES:
            raise WebhookInvalid(f"unknown status {report.status!r}")
        if report.occurred_at is None:
            raise WebhookInvalid("occurred_at must be a date and time with its offset")
        return report
