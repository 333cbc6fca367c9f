"""Webhook signatures: HMAC-SHA256 with the shared secret over ``"<timestamp>." + body``.

The timestamp is signed too and must be recent, so a captured webhook cannot be sent again
later; within the window the operator's event id makes a repeat change nothing.
"""

import hashlib
import hmac
import time
from collections.abc import Mapping

from egov.postal.operators import WebhookRefused

SIGNATURE_HEADER = "X-Postal-Signature"
TIMESTAMP_HEADER = "X-Postal-Timestamp"
SCHEME = "v1="


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    tolerance: int,
    now: float | None = None,
) -> None:
    if not secret:
        raise WebhookRefused("no webhook secret is configured")
    given = headers.get(SIGNATURE_HEADER, "")
    raw_timestamp = headers.get(TIMESTAMP_HEADER, "")
    if not given or not raw_timestamp.isdigit():
        raise WebhookRefused("signature or timestamp missing")
    timestamp = int(raw_timestamp)
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise WebhookRefused("timestamp outside the accepted window")
    if not hmac.compare_digest(given, signature(secret, timestamp, body)):
        raise WebhookRefused("signature does not match")
