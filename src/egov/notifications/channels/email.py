"""E-mail through Django's mail backend (SMTP in production).

Every message carries a Message-ID made from the notification's UUID, so a message sent again
after a worker stopped mid-send has the same identity and receiving systems can drop the copy.
"""

import contextlib
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from egov.notifications import conf
from egov.notifications.channels import (
    ChannelAdapter,
    ChannelUnavailable,
    PermanentError,
    Session,
    TemporaryError,
)


def message_id(notification, from_email: str) -> str:
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "localhost"
    return f"<{notification.uuid.hex}@{domain}>"


class EmailAdapter(ChannelAdapter):
    def __init__(self, channel: str = "email"):
        self.channel = channel
        self.from_email = conf.get("EMAIL_FROM") or settings.DEFAULT_FROM_EMAIL
        self.backend = conf.get("EMAIL_BACKEND") or settings.EMAIL_BACKEND

    def session(self) -> "EmailSession":
        return EmailSession(self)


class EmailSession(Session):
    """One connection for a batch, reopened after the server drops it."""

    def __init__(self, adapter: EmailAdapter):
        self.adapter = adapter
        self.connection = get_connection(
            self.adapter.backend,
            fail_silently=False,
            timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30,
        )

    def send(self, notification) -> str:
        try:
            # Opened once and kept for the batch (send_messages would close a connection it
            # opened itself); after a failure the next message reopens it.
            self.connection.open()
        except Exception as exc:
            self._reset()
            raise ChannelUnavailable(f"cannot reach the mail server: {exc}") from exc
        identifier = message_id(notification, self.adapter.from_email)
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=self.adapter.from_email,
            to=[notification.address],
            headers={
                "Message-ID": identifier,
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "All",
            },
            connection=self.connection,
        )
        try:
            sent = message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _by_code(code, f"recipient refused: {_text(reply)}") from exc
        except smtplib.SMTPResponseException as exc:
            self._reset()
            if isinstance(exc, smtplib.SMTPSenderRefused):
                # Our own address is refused: a configuration matter, fixed by an operator.
                detail = f"sender refused: {_text(exc.smtp_error)}"
                raise TemporaryError(detail, str(exc.smtp_code)) from exc
            raise _by_code(exc.smtp_code, _text(exc.smtp_error)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._reset()
            raise TemporaryError(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise PermanentError("no recipient")
        return identifier

    def _reset(self):
        # The next message opens a fresh connection.
        # A broken connection may fail to close; it is dropped either way.
        with contextlib.suppress(Exception):
            self.connection.close()

    def __exit__(self, *exc):
        self._reset()
        return None


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _by_code(code: int, detail: str):
    """SMTP reply classes: 4xx means try again later, 5xx means never."""
    error = PermanentError if 500 <= int(code) < 600 else TemporaryError
    return error(f"{code} {detail}", str(code))
