"""The calling side of the gateway: signs one call the way egov.exchange.gateway checks it.
Other systems do the same in their own language (docs/exchange.md)."""

import secrets
import time
from typing import Any

from egov.exchange import jws
from egov.exchange.messagelog import sha256


def call_token(
    key: jws.PrivateKey,
    *,
    fingerprint: str,
    client_code: str,
    service_code: str,
    method: str,
    path: str,
    body: bytes = b"",
    subject: str = "",
    **extra: Any,
) -> str:
    """The X-Exchange-Token of one call; ``path`` is what follows the service code in the
    gateway's address, with its query string."""
    claims: dict[str, Any] = {
        "iss": client_code,
        "aud": service_code,
        "htm": method.upper(),
        "htu": path,
        "bh": sha256(body),
        "nonce": secrets.token_hex(16),
        "iat": int(time.time()),
    }
    if subject:
        claims["sub"] = subject
    claims.update(extra)
    return jws.sign(key, claims, fingerprint)
