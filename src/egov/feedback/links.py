"""Addresses of a report's pages, and the reporter's own link.

A reporter without an account proves they sent the report with a link that carries a signature
of its code (Django's signing, salted for this use): it is shown once after sending, and comes in
every message about the report. Nothing is stored for it; rotating SECRET_KEY voids every link.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "egov.feedback.reporter"


def reporter_signature(report) -> str:
    return signing.Signer(salt=SALT).signature(report.code)


def is_reporter_signature(report, signature: str) -> bool:
    try:
        signing.Signer(salt=SALT).unsign(f"{report.code}:{signature}")
    except signing.BadSignature:
        return False
    return True


def public_path(report) -> str:
    return reverse("feedback:report", args=[report.code])


def reporter_path(report) -> str:
    return reverse("feedback:reporter", args=[report.code, reporter_signature(report)])


def absolute(path: str) -> str:
    return settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + path
