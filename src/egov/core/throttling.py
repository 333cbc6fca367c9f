"""A per-address request limit for public API calls, at one cache round trip per request.

django-ninja's ``AnonRateThrottle`` keeps a list of timestamps per address: a read and a write
of a pickled list on every request. On the busiest public call (tracking by code) that was a
quarter of the request's time. This counts requests per client address in fixed windows
(``30/m``: at most 30 in each calendar minute) with one INCR and EXPIRE in a single Redis round
trip; with another cache backend, ``add`` then ``incr``. A client can reach twice the rate across
a window boundary, which is acceptable for a limit meant to stop harvesting.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from ninja.throttling import BaseThrottle

from egov.core.clientaddr import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/m"`` -> (30, 60): the number of requests and the window in seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def address_allowed(request, rate: str, scope: str) -> bool:
    """Counts this request against the client address's limit in ``scope``; False past it.

    Everything that shares a ``scope`` shares one count per address: a page and an API call that
    give the same answer use the same scope, so that neither doubles what the other allows."""
    num_requests, period = parse_rate(rate)
    window = int(time.time() // period)
    key = f"throttle:{scope}:{client_address(request)}:{window}"
    return count_hit(key, period + 1) <= num_requests


class AddressRateThrottle(BaseThrottle):
    """A django-ninja throttle over :func:`address_allowed`. ``rate`` is a rate (``"30/m"``) or
    the name of a setting holding one, read on every request (so a deployment or a test may
    change it)."""

    def __init__(self, rate: str, scope: str):
        self.rate = rate
        self.scope = scope

    def _rate(self) -> str:
        return getattr(settings, self.rate) if "/" not in self.rate else self.rate

    def allow_request(self, request) -> bool:
        return address_allowed(request, self._rate(), self.scope)

    def wait(self) -> float:
        _count, period = parse_rate(self._rate())
        return period - time.time() % period


def count_hit(key: str, timeout: int) -> int:
    """Adds one to the counter at ``key`` (created with ``timeout`` seconds) and returns it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(full_key)
        # Set on every request (EXPIRE NX needs Redis 7): harmless, the key names its window.
        pipeline.expire(full_key, timeout)
        count, _set = pipeline.execute()
        return count
    if backend.add(key, 1, timeout):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between the two calls
        backend.add(key, 1, timeout)
        return 1


def count_hits(counters: list[tuple[str, int]], read: str = "") -> tuple[list[int], object]:
    """Adds one to each counter ``(key, timeout)`` and reads the value at ``read`` (if given),
    in one round trip to Redis; returns the counts and the value (as the cache holds it: bytes
    from Redis, None when absent). Other cache backends: one call per counter."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        first = backend.make_and_validate_key(counters[0][0] if counters else read)
        pipeline = backend._cache.get_client(first, write=True).pipeline(transaction=False)
        for key, timeout in counters:
            full_key = backend.make_and_validate_key(key)
            pipeline.incr(full_key)
            pipeline.expire(full_key, timeout)
        if read:
            pipeline.get(backend.make_and_validate_key(read))
        results = pipeline.execute()
        counts = results[0 : 2 * len(counters) : 2]
        return counts, results[-1] if read else None
    counts = [count_hit(key, timeout) for key, timeout in counters]
    return counts, backend.get(read) if read else None
