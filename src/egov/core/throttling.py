"""A per-address request limit for public API calls, at one cache round trip per request.

django-ninja's ``AnonRateThrottle`` keeps a list of timestamps per address: a read and a write
of a pickled list on every request. On the busiest public call (tracking by code) that was a
quarter of the request's time. This counts requests per client address in fixed windows
(``30/m``: at most 30 in each calendar minute) with one INCR and EXPIRE in a single Redis round
trip; with another cache backend, ``add`` then ``incr``. A client can reach twice the rate across
a window boundary, which is acceptable for a limit meant to stop harvesting.
"""

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from ninja.throttling import BaseThrottle

from egov.core.clientaddr import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class AddressRateThrottle(BaseThrottle):
    def __init__(self, rate: str, scope: str):
        count, period = rate.split("/")
        self.num_requests = int(count)
        self.period = PERIODS[period[0]]
        self.scope = scope

    def allow_request(self, request) -> bool:
        window = int(time.time() // self.period)
        key = f"throttle:{self.scope}:{client_address(request)}:{window}"
        return _count(key, self.period + 1) <= self.num_requests

    def wait(self) -> float:
        return self.period - time.time() % self.period


def _count(key: str, timeout: int) -> int:
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
