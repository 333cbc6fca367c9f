"""Scans into one searchable PDF/A: Tesseract with its Vietnamese data, through OCRmyPDF.

The scans of one paper (photos, scanned images or PDFs, in order) become one PDF, which OCRmyPDF
turns into PDF/A-2b with an invisible text layer, so that the copy can be searched and copied
from. Runs in the request: a paper is a few pages and Tesseract reads a page in a few seconds on
one core; ``EGOV_DIGITIZATION_MAX_PAGES`` bounds what one request may ask (docs/digitization.md).
"""

import functools
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass

import img2pdf
import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

LANGUAGE = "vie"


class OcrUnavailable(Exception):
    """Tesseract, its Vietnamese data or Ghostscript is not installed on this server."""


class ScanUnreadable(Exception):
    """A scan cannot be turned into pages; the message says what to do."""


@dataclass(frozen=True)
class Digitised:
    pdf: bytes
    pages: int


@functools.cache
def available() -> bool:
    """Whether this server can OCR Vietnamese into PDF/A (asked once per process)."""
    if not (shutil.which("tesseract") and shutil.which("gs")):
        return False
    listed = subprocess.run(  # noqa: S603 - a fixed command
        [shutil.which("tesseract") or "tesseract", "--list-langs"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return LANGUAGE in (listed.stdout + listed.stderr).split()


def unavailable_message() -> str:
    return _(
        "OCR is not installed on this server (the Debian packages tesseract-ocr, "
        "tesseract-ocr-vie and ghostscript), so papers cannot be digitised here. Ask the "
        "system administrator to install them."
    )


def _image_pdf(data: bytes) -> bytes:
    """An image as a PDF page at its own resolution (300 dpi assumed when it does not say)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            dpi = opened.info.get("dpi")
            image = opened if opened.mode in ("L", "RGB", "1") else opened.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, "PNG", dpi=dpi if dpi and dpi[0] > 1 else (300, 300))
    except (OSError, ValueError) as exc:
        raise ScanUnreadable(_("A scan could not be read as an image; scan it again.")) from exc
    return bytes(img2pdf.convert(buffer.getvalue()))


def join(scans: list[tuple[str, bytes]]) -> bytes:
    """The scans ``(extension, data)``, in order, as the pages of one PDF."""
    joined = pikepdf.new()
    for extension, data in scans:
        source = data if extension == "pdf" else _image_pdf(data)
        try:
            with pikepdf.open(io.BytesIO(source)) as part:
                joined.pages.extend(part.pages)
        except pikepdf.PdfError as exc:
            raise ScanUnreadable(_("A scanned PDF could not be read; scan it again.")) from exc
    if len(joined.pages) > settings.EGOV_DIGITIZATION_MAX_PAGES:
        raise ScanUnreadable(
            _("A paper may have at most %(limit)s pages here; digitise it in parts.")
            % {"limit": settings.EGOV_DIGITIZATION_MAX_PAGES}
        )
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()


def digitise(scans: list[tuple[str, bytes]]) -> Digitised:
    """One PDF/A-2b with a Vietnamese text layer made from the scans."""
    import ocrmypdf
    from ocrmypdf.exceptions import ExitCodeException, MissingDependencyError

    if not available():
        raise OcrUnavailable(unavailable_message())
    source = join(scans)
    out = io.BytesIO()
    # OCRmyPDF logs every page at INFO; the platform's log wants only its problems.
    logging.getLogger("ocrmypdf").setLevel(logging.WARNING)
    try:
        ocrmypdf.ocr(
            io.BytesIO(source),
            out,
            language=[LANGUAGE],
            output_type="pdfa-2",
            # Scans are images: every page is read. (Keeping a born-digital page's own text,
            # skip_text, is refused with Debian 12's Ghostscript 10.0, which corrupts it.)
            force_ocr=True,
            rotate_pages=False,
            deskew=False,
            optimize=0,
            jobs=1,
            progress_bar=False,
        )
    except MissingDependencyError as exc:
        raise OcrUnavailable(unavailable_message()) from exc
    except ExitCodeException as exc:
        raise ScanUnreadable(
            _("The scans could not be turned into a searchable PDF: %(reason)s")
            % {"reason": str(exc) or type(exc).__name__}
        ) from exc
    data = out.getvalue()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    return Digitised(pdf=data, pages=pages)
