"""Masking of personal identifiers (CCCD numbers, phone numbers, e-mail addresses).

Lists, logs and audit summaries show only enough to recognise a record, never the whole value.
"""

import logging
import re

_CITIZEN_ID = re.compile(r"(?<!\d)(\d{8})(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])((?:\+84|0)\d{2})(\d{4,5})(\d{3})(?!\d)")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_citizen_id(value: str | None) -> str:
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 6, 0) + value[-3:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_text(text: str) -> str:
    """Masks every identifier found in free text (log lines, error messages)."""
    text = _CITIZEN_ID.sub(lambda m: "*" * 8 + m.group(2), text)
    text = _PHONE.sub(lambda m: m.group(1)[:3] + "*" * (len(m.group(0)) - 6) + m.group(3), text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
