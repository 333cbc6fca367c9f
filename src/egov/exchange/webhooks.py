"""Event subscriptions: other systems learn of events (a dossier was received, a result
issued) without polling. :func:`publish` writes one outbox row per subscription in the caller's
transaction, so an event is sent if and only if its change committed; :func:`deliver_due` POSTs
them, signed, and retries with exponential backoff through an outage of the subscriber.

A delivery carries ``X-Exchange-Event``, ``X-Exchange-Delivery`` (the outbox id: the subscriber
drops a repeat), ``X-Exchange-Timestamp`` (Unix time) and ``X-Exchange-Signature: sha256=<hex>``,
the HMAC-SHA256 under the subscription's secret of ``<timestamp>.<body>``.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.exchange.models import ClientSystem, OutboxMessage, Subscription
from egov.exchange.services import ExchangeError, _require_operator
from egov.signatures import keystore

SECRET_CONTEXT = "exchange.webhook-secret"  # noqa: S105 - a key context, not a secret
# The events the platform publishes; an owner app sends them through publish().
EVENTS = (
    "dossier.submitted",
    "dossier.received",
    "dossier.supplement_requested",
    "dossier.refused",
    "dossier.result_issued",
    "dossier.result_returned",
    "dossier.withdrawn",
)


def subscribe(
    *, actor: Any, client: ClientSystem, url: str, events: list[str]
) -> tuple[Subscription, str]:
    """A new subscription and its secret, which is shown this once."""
    _require_operator(actor)
    unknown = sorted(set(events) - set(EVENTS))
    if not events or unknown:
        raise ExchangeError(_("Choose events from: %(events)s.") % {"events": ", ".join(EVENTS)})
    if not url.startswith(("https://", "http://")):
        raise ExchangeError(_("Give the delivery address as an http(s) URL."))
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            client=client, url=url, events=sorted(set(events)), sealed_secret=b""
        )
        subscription.sealed_secret = keystore.seal(
            secret.encode(), f"{SECRET_CONTEXT}:{subscription.pk}"
        )
        subscription.save(update_fields=["sealed_secret"])
        audit.record(
            actor=actor,
            action="exchange.subscription_saved",
            obj=subscription,
            after={"url": url, "events": subscription.events},
        )
    return subscription, secret


def _secret(subscription: Subscription) -> bytes:
    return keystore.unseal(bytes(subscription.sealed_secret), f"{SECRET_CONTEXT}:{subscription.pk}")


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def publish(event: str, payload: dict[str, Any]) -> int:
    """Queues ``event`` for every live subscription to it; must run inside the transaction of
    the change (the row commits or rolls back with it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("webhooks.publish() must run inside the change's transaction")
    now = timezone.now()
    rows = [
        OutboxMessage(subscription=s, event=event, payload=payload, next_attempt_at=now)
        for s in Subscription.objects.filter(cancelled_at__isnull=True)
        if event in s.events
    ]
    OutboxMessage.objects.bulk_create(rows)
    return len(rows)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min … doubling up to EGOV_EXCHANGE_WEBHOOK_MAX_BACKOFF seconds."""
    seconds = min(30 * 2 ** (attempts - 1), settings.EGOV_EXCHANGE_WEBHOOK_MAX_BACKOFF)
    return datetime.timedelta(seconds=seconds)


def _deliver(message: OutboxMessage, http: httpx.Client) -> str:
    """'' when delivered, else what went wrong."""
    subscription = message.subscription
    body = json.dumps(
        {"event": message.event, "id": message.pk, "data": message.payload},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "content-type": "application/json",
        "x-exchange-event": message.event,
        "x-exchange-delivery": str(message.pk),
        "x-exchange-timestamp": stamp,
        "x-exchange-signature": signature(_secret(subscription), stamp, body),
    }
    try:
        response = http.post(
            subscription.url,
            content=body,
            headers=headers,
            timeout=settings.EGOV_EXCHANGE_PROVIDER_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return ""
    return f"HTTP {response.status_code}"


BATCH = 100  # messages per round of deliver_due


def _claim(message: OutboxMessage) -> bool:
    """Takes the message for this runner: its next attempt moves past the time a delivery can
    take, if no other runner moved it first. A runner that dies holding it leaves it to be
    tried again then (a subscriber drops repeats by X-Exchange-Delivery)."""
    lease = timezone.now() + datetime.timedelta(
        seconds=2 * settings.EGOV_EXCHANGE_PROVIDER_TIMEOUT + 30
    )
    taken = OutboxMessage.objects.filter(
        pk=message.pk,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        delivered_at__isnull=True,
        failed_at__isnull=True,
    ).update(next_attempt_at=lease)
    return taken == 1


def deliver_due(limit: int = BATCH) -> dict[str, int]:
    """Delivers the messages whose time has come; each failure pushes the next attempt back,
    and after EGOV_EXCHANGE_WEBHOOK_MAX_ATTEMPTS the message is marked failed (kept, for the
    operator to see)."""
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    due = list(
        OutboxMessage.objects.select_related("subscription")
        .filter(
            delivered_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")[:limit]
    )
    with httpx.Client(follow_redirects=False) as http:
        for message in due:
            if not _claim(message):
                continue  # another runner took it
            error = _deliver(message, http)
            now = timezone.now()
            message.attempts += 1
            message.last_error = error
            if not error:
                message.delivered_at = now
                counts["delivered"] += 1
            elif message.attempts >= settings.EGOV_EXCHANGE_WEBHOOK_MAX_ATTEMPTS:
                message.failed_at = now
                counts["failed"] += 1
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                counts["retried"] += 1
            message.save(
                update_fields=[
                    "attempts",
                    "last_error",
                    "delivered_at",
                    "failed_at",
                    "next_attempt_at",
                ]
            )
    return counts
