"""When the database (or the cache) cannot be reached: one clear answer, one log line.

A web request that meets an unreachable database answers 503 with ``Retry-After`` (a problem
document on the API, a translated page on the sites) instead of a server error, so a client can
tell "try again shortly" from a bug. Long-running loops wait with backoff and carry on when it is
back (``egov.core.loops``). Either way the outage is logged when it starts and when it ends, once
per process, not once per request.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("egov.outage")

try:  # the Redis client is there when a Redis cache or queue is configured
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _REDIS = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    _REDIS = ()

# Django wraps every driver's "cannot connect", "connection lost", "server shutting down",
# "database is locked" and lock or statement time-outs in these two: all pass with time.
UNAVAILABLE = (OperationalError, InterfaceError, *_REDIS)


def is_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def retry_after() -> int:
    return settings.EGOV_RETRY_AFTER_SECONDS


class Outage:
    """Remembers, in one process, since when a dependency has been failing: the first failure and
    the recovery are logged, the failures between them are not."""

    def __init__(self, what: str, meanwhile: str = "retrying until it is back"):
        self.what = what
        self.meanwhile = meanwhile
        self.since: float | None = None
        self.failures = 0

    def failed(self, exc: BaseException) -> None:
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            logger.warning(
                "%s unreachable (%s: %s); %s",
                self.what,
                exc.__class__.__name__,
                str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
                self.meanwhile,
            )

    def succeeded(self) -> None:
        if self.since is not None:
            logger.warning(
                "%s reachable again after %.1f s (%d failed attempts)",
                self.what,
                time.monotonic() - self.since,
                self.failures,
            )
            self.since = None
            self.failures = 0


# One per web process: requests share it (the log says when this process saw the outage).
web = Outage("database or cache", "answering 503 until it is back")


class DropLoggedOutages:
    """A logging filter for ``django.request``: a request that failed because the database was
    away was already told (503) and the outage logged once; its traceback is noise, and so is the
    "Service Unavailable: <path>" line Django writes for every 5xx answer while it lasts."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and is_unavailable(record.exc_info[1]):
            return False
        return not (getattr(record, "status_code", None) == 503 and web.since is not None)
