"""The notification settings (``settings.EGOV_NOTIFICATIONS``), read at each use so that tests
and operators can change them without a restart of anything but the process."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "EMAIL_BACKEND": "",
    "EMAIL_FROM": "",
    "SMS_PROVIDER": "off",
    "ZALO_PROVIDER": "off",
    "ESMS": {},
    "ZNS": {},
    "EMAIL_BOUNCE_SECRET": "",
    "SMS_STRIP_DIACRITICS": True,
    "SMS_MAX_SEGMENTS": 2,
    "HTTP_TIMEOUT_SECONDS": 15.0,
    "RETRY_BASE_SECONDS": 30.0,
    "RETRY_MAX_SECONDS": 3600.0,
    "RETRY_HORIZON_SECONDS": 3 * 86400.0,
    "LEASE_SECONDS": 300.0,
    "BATCH_SIZE": 100,
}


def get(name: str) -> Any:
    return getattr(settings, "EGOV_NOTIFICATIONS", {}).get(name, DEFAULTS[name])
