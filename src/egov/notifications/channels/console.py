"""For development: SMS and Zalo messages are written to the log (masked) instead of sent."""

import logging

from egov.core.masking import mask_phone
from egov.notifications import conf
from egov.notifications.channels import ChannelAdapter, Session

logger = logging.getLogger("egov.notifications.console")


class ConsoleAdapter(ChannelAdapter):
    def __init__(self, channel: str):
        self.channel = channel
        self.strip_diacritics = channel == "sms" and conf.get("SMS_STRIP_DIACRITICS")

    def session(self) -> Session:
        return ConsoleSession(self.channel)


class ConsoleSession(Session):
    def __init__(self, channel: str):
        self.channel = channel

    def send(self, notification) -> str:
        text = "••••••" if notification.sensitive else notification.body
        logger.info("%s to %s: %s", self.channel, mask_phone(notification.address), text)
        return f"console-{notification.uuid.hex}"
