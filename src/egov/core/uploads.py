"""Checks every uploaded file before it is accepted: size, real type, malware.

The type is read from the content (magic numbers, via `filetype`), never from the name or the
browser's claim. Malware scanning speaks clamd's INSTREAM protocol over its socket; when the
scanner cannot be reached the upload is refused (fail closed), never accepted unscanned.
"""

import socket
import struct
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class UploadRejected(Exception):
    """The file is not accepted; the message tells the user what to do."""


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    mime: str
    size: int


def sniff(data: bytes) -> tuple[str, str] | None:
    kind = filetype.guess(data[:8192] if len(data) > 8192 else data)
    if kind is None:
        return None
    extension = "jpg" if kind.extension == "jpeg" else kind.extension
    return extension, kind.mime


def check(data: bytes, *, accepted: list[str], max_bytes: int | None = None) -> CheckedFile:
    """Raises UploadRejected with a translated reason, or returns what the file really is."""
    limit = max_bytes or settings.EGOV_UPLOAD_MAX_BYTES
    if not data:
        raise UploadRejected(_("The file is empty. Choose the file again."))
    if len(data) > limit:
        raise UploadRejected(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Scan at a lower resolution "
                "or split the document."
            )
            % {"size": round(len(data) / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
        )
    found = sniff(data)
    allowed = {ext.lower().lstrip(".") for ext in accepted}
    if "jpeg" in allowed:
        allowed.add("jpg")
    if found is None or found[0] not in allowed:
        raise UploadRejected(
            _(
                "This file is not one of the accepted types (%(types)s), whatever its name says. "
                "Save or scan it as one of them."
            )
            % {"types": ", ".join(sorted(allowed))}
        )
    if found[0] == "pdf":
        _refuse_active_content(data)
    scan(data)
    return CheckedFile(extension=found[0], mime=found[1], size=len(data))


def _refuse_active_content(data: bytes) -> None:
    from egov.core.pdfcheck import UnreadablePdf, active_content

    try:
        found = active_content(data)
    except UnreadablePdf as exc:
        if str(exc) == "encrypted":
            raise UploadRejected(
                _("The PDF is protected by a password. Save it again without one and upload that.")
            ) from exc
        raise UploadRejected(
            _(
                "The PDF cannot be read: it is damaged or not really a PDF. Open it on your "
                "computer, save or print it again as PDF, and upload that file."
            )
        ) from exc
    if found:
        raise UploadRejected(
            _(
                "The PDF contains active content (JavaScript, actions that start programs, or "
                "files hidden inside it), which could harm the computers of the staff who open "
                "it. Nothing was saved. Print it to a new PDF (“Print” → “Save as PDF”), or scan "
                "the paper again, and upload that file."
            )
        )


def scan(data: bytes) -> None:
    if settings.EGOV_MALWARE_SCANNER == "none":
        return
    try:
        verdict = clamd_instream(data)
    except OSError as exc:
        raise UploadRejected(
            _(
                "The file could not be checked for viruses just now. Nothing was saved; "
                "try again in a few minutes."
            )
        ) from exc
    if verdict.endswith("FOUND"):
        raise UploadRejected(
            _(
                "The file contains a virus or malicious code and was refused. Nothing was saved. "
                "Check your computer, then scan the paper document again."
            )
        )
    if not verdict.endswith("OK"):
        raise UploadRejected(
            _("The file could not be checked for viruses. Nothing was saved; try again later.")
        )


def _connect() -> socket.socket:
    timeout = settings.EGOV_CLAMD_TIMEOUT
    if settings.EGOV_CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(settings.EGOV_CLAMD_SOCKET)
        return connection
    return socket.create_connection(
        (settings.EGOV_CLAMD_HOST, settings.EGOV_CLAMD_PORT), timeout=timeout
    )


def clamd_instream(data: bytes) -> str:
    """clamd's answer for ``data``: 'stream: OK' or 'stream: <signature> FOUND'."""
    with _connect() as connection:
        connection.sendall(b"zINSTREAM\0")
        for offset in range(0, len(data), CHUNK):
            chunk = data[offset : offset + CHUNK]
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = connection.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode(errors="replace").strip()
