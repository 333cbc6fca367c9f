"""Sign-in lock-outs: per user name and address (django-axes), and per address across accounts.

django-axes counts failed sign-ins per user name and client address (``AXES_FAILURE_LIMIT``
within ``AXES_COOLOFF_MINUTES``). One address could still try a password on thousands of
accounts, a few times each. Axes accepts several parameter combinations
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``) but compares all of
them with one failure limit, and its reset on success deletes every attempt that matches any
combination: signing in to an account of one's own from the address would wipe the address's
count. So the per-address limit is counted here, in the shared cache, with its own threshold,
window and cool-off, and is not reset by a successful sign-in:

- ``EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT`` failed sign-ins from one address, whatever the user
  names (0 turns the limit off),
- within ``EGOV_SIGNIN_ADDRESS_WINDOW_MINUTES`` (counted in fixed windows; the current and the
  previous window are added, so failures spread over a window's end still count together),
- lock the address out for ``EGOV_SIGNIN_ADDRESS_COOLOFF_MINUTES``.

:class:`AddressLimitedHandler` is axes's database handler with this limit added, configured as
``AXES_HANDLER``: every path that checks a password through ``django.contrib.auth.authenticate``
(the sign-in page, the Django admin's sign-in) passes the axes backend and so both limits, and
answers a lock-out with the same page (``egov.accounts.views.locked_out``). Addresses that axes
never locks out (``AXES_NEVER_LOCKOUT_WHITELIST`` with ``AXES_IP_WHITELIST``) are spared here too.
"""

import logging
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from egov.core import audit
from egov.core.clientaddr import client_address
from egov.core.throttling import count_hit

logger = logging.getLogger(__name__)


def address_of(request) -> str:
    return getattr(request, "axes_ip_address", None) or client_address(request)


def _window_seconds() -> int:
    return max(1, round(settings.EGOV_SIGNIN_ADDRESS_WINDOW_MINUTES * 60))


def cooloff_minutes() -> int:
    return round(settings.EGOV_SIGNIN_ADDRESS_COOLOFF_MINUTES)


def _count_key(address: str, window: int) -> str:
    return f"signin-failures:{address}:{window}"


def _lock_key(address: str) -> str:
    return f"signin-locked:{address}"


def address_locked(address: str) -> bool:
    return settings.EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT > 0 and bool(cache.get(_lock_key(address)))


def record_failure(address: str) -> bool:
    """Counts one failed sign-in from ``address``; True when it reaches the limit (the address
    is then locked out for the cool-off, and its count starts again afterwards)."""
    limit = settings.EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT
    if limit <= 0 or not address:
        return False
    period = _window_seconds()
    window = int(time.time() // period)
    current = count_hit(_count_key(address, window), 2 * period + 1)
    failures = current + (cache.get(_count_key(address, window - 1)) or 0)
    if failures < limit:
        return False
    cache.set(_lock_key(address), True, max(1, round(cooloff_minutes() * 60)))
    cache.delete_many([_count_key(address, window), _count_key(address, window - 1)])
    logger.warning("sign-in locked out for an address after %s failures", failures)
    with transaction.atomic():
        audit.record(
            actor=None,
            action="accounts.address_locked_out",
            object_type="client_address",
            object_id=address[:64],
            object_repr=address[:300],
            after={"failures": failures, "cooloff_minutes": cooloff_minutes()},
        )
    return True


def reset(address: str) -> None:
    """Lifts an address's lock and forgets its count (``manage.py signin_unlock_address``)."""
    window = int(time.time() // _window_seconds())
    cache.delete_many(
        [_lock_key(address), _count_key(address, window), _count_key(address, window - 1)]
    )


def _locks_out() -> bool:
    # axes's own defaults where the settings leave them out.
    return getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True)


def _username_field() -> str:
    return getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")


class AddressLimitedHandler(AxesDatabaseHandler):
    """Axes's database handler, with the limit per address across user names added."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return _locks_out() and address_locked(address_of(request))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        already_locked = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or already_locked or not _locks_out():
            return
        if self.is_whitelisted(request, credentials):
            return
        address = address_of(request)
        # With AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT (axes's default) the backend does
        # not flag a refused attempt itself: a locked address is flagged here, and not counted.
        locked = address_locked(address) or record_failure(address)
        if locked and not request.axes_locked_out:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=(credentials or {}).get(_username_field()),
                ip_address=address,
            )
