"""The client's address, for rate limits and sign-in lock-outs.

``X-Forwarded-For`` is written by whoever sends the request, so it is trusted only as far as the
deployment says: with ``EGOV_NUM_PROXIES = N`` reverse proxies of our own in front, each appends
the address it saw, and the N-th entry from the right is the client's. Entries further left came
from the client and could be anything. With 0 (the default) the header is ignored.
django-ninja's throttles read the same number (``NINJA_NUM_PROXIES``) and apply the same rule.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.EGOV_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # our proxy always writes an address: this request did not come through it
