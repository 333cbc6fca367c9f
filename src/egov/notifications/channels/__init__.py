"""Channel adapters: one class per provider, chosen by settings (docs/notifications.md).

An adapter opens a session for a batch (one SMTP connection for many e-mails) and sends one
notification at a time. It reports the outcome with its return value (the provider's message id)
or with one of the two errors below, which decide whether the message is tried again.
"""

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

from egov.notifications import conf

if TYPE_CHECKING:
    from egov.notifications.models import Notification


class DeliveryError(Exception):
    def __init__(self, detail: str, code: str = ""):
        super().__init__(detail)
        self.detail = detail
        self.code = code


class TemporaryError(DeliveryError):
    """Worth trying again later: the provider is down, busy, or refused for now."""


class ChannelUnavailable(TemporaryError):
    """The provider cannot be reached at all: the rest of the batch waits without trying."""


class PermanentError(DeliveryError):
    """Trying again would give the same answer: a bad address, a number without Zalo."""


class RecipientUnreachable(PermanentError):
    """This channel cannot reach this person (no Zalo account): another channel may."""


class Session(AbstractContextManager):
    def send(self, notification: "Notification") -> str:
        raise NotImplementedError

    def __exit__(self, *exc):
        return None


class ChannelAdapter:
    """What a provider needs to know: how to open a session, and its text rules."""

    channel = ""
    # SMS providers that need unaccented text say so (the template renderer strips it).
    strip_diacritics = False

    def session(self) -> Session:
        raise NotImplementedError


PROVIDERS = {
    "email": {"django": "egov.notifications.channels.email.EmailAdapter"},
    "sms": {
        "esms": "egov.notifications.channels.esms.EsmsAdapter",
        "console": "egov.notifications.channels.console.ConsoleAdapter",
    },
    "zalo": {
        "zns": "egov.notifications.channels.zns.ZnsAdapter",
        "console": "egov.notifications.channels.console.ConsoleAdapter",
    },
}


def provider_name(channel: str) -> str:
    if channel == "email":
        return "django"
    setting = {"sms": "SMS_PROVIDER", "zalo": "ZALO_PROVIDER"}[channel]
    return (conf.get(setting) or "off").strip()


def enabled_channels() -> list[str]:
    return [channel for channel in ("email", "sms", "zalo") if provider_name(channel) != "off"]


def get_adapter(channel: str) -> ChannelAdapter:
    """The adapter the settings choose; a dotted path names a provider of one's own."""
    name = provider_name(channel)
    if name == "off":
        raise LookupError(f"the {channel} channel is off")
    path = PROVIDERS[channel].get(name, name)
    adapter_class = import_string(path)
    return adapter_class(channel)


def national_number(phone: str) -> str:
    """'+84 912 345 678', '84912345678', '0912345678' -> '912345678'."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        return digits[2:]
    return digits.removeprefix("0")
