"""How a PAdES signature goes onto a PDF (pyHanko): the level, the visible appearance that
Nghị định 30/2020/NĐ-CP describes, the verification QR, and the signer behind the key.

Services (``services.sign_pdf``) decide who may sign and record the result; this module only
turns bytes into signed bytes.
"""

import asyncio
import contextlib
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import QRStamp, QRStampStyle, TextStampStyle
from pyhanko_certvalidator import CertificateValidator, errors
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.core import fonts
from egov.signatures import keystore, trust
from egov.signatures.models import SigningCertificate

LEVELS = ("B-B", "B-T", "B-LT")
MM = 72 / 25.4
# Nghị định 30/2020, Phụ lục I: margins of an administrative document (bottom 20–25 mm, right
# 15–20 mm, left 30–35 mm). The agency's signature goes where the signer's block stands, at the
# bottom right of the last page; the seal image covers the left third of the signer's signature.
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 250, 110
SEAL_SIZE = 105  # about 37 mm: the real size of a round agency seal
QR_SIZE = 64
BOTTOM_MARGIN, RIGHT_MARGIN, LEFT_MARGIN = 20 * MM, 20 * MM, 30 * MM


def run_sync(coroutine):
    """Runs pyHanko's coroutines from synchronous code; in a helper thread when this thread
    already runs an event loop (an async caller, a browser-driving test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class SignatureError(Exception):
    """Signing or importing refused, with a translated message that says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Placement:
    """Where the visible signature goes: a page (negative counts from the end) and a box in PDF
    points (x1, y1, x2, y2); ``None`` puts it at the bottom right of that page."""

    page: int = -1
    box: tuple[float, float, float, float] | None = None


def asn1_certificate(certificate: SigningCertificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(bytes(certificate.certificate_der))


def chain_of(certificate: SigningCertificate) -> list[asn1_x509.Certificate]:
    if not certificate.chain_pem:
        return []
    return trust.parse_certificates(certificate.chain_pem.encode())


def path_problem(exc: Exception) -> str:
    """What is wrong with a certificate, in words a clerk can act on."""
    if isinstance(exc, errors.RevokedError):
        return _("The certificate has been revoked by its certification authority.")
    if isinstance(exc, errors.ExpiredError):
        return _("The certificate has expired; import its renewed certificate.")
    if isinstance(exc, errors.NotYetValidError):
        return _("The certificate is not valid yet.")
    if isinstance(exc, errors.InsufficientRevinfoError):
        return _(
            "The revocation status of the certificate could not be checked (CRL or OCSP "
            "unreachable); try again later."
        )
    if isinstance(exc, errors.PathBuildingError):
        return _(
            "The certificate was not issued by a certification authority in the platform's "
            "trust store; ask the operator to add the issuing CA."
        )
    return _("The certificate could not be validated: %(reason)s") % {"reason": exc}


async def _check_certificate(certificate, chain, context) -> None:
    validator = CertificateValidator(
        certificate, intermediate_certs=list(chain), validation_context=context
    )
    try:
        await validator.async_validate_usage({"non_repudiation"})
    except (errors.PathValidationError, errors.PathBuildingError) as exc:
        raise SignatureError(path_problem(exc)) from exc
    except errors.InvalidCertificateError as exc:
        raise SignatureError(
            _("The certificate may not be used for signatures (its key usage forbids it).")
        ) from exc


def check_certificate(certificate: asn1_x509.Certificate, chain=()) -> None:
    """Raises :class:`SignatureError` unless the certificate is trusted, in force, not revoked
    (CRL or OCSP, fetched now) and meant for signatures."""
    context = trust.validation_context(chain)

    async def run():
        try:
            await _check_certificate(certificate, chain, context)
        finally:
            await context.aclose()

    run_sync(run())


@contextlib.contextmanager
def signer_for(certificate: SigningCertificate) -> Iterator[signers.Signer]:
    """A pyHanko signer holding the certificate's key: decrypted in memory, or on the token."""
    cert = asn1_certificate(certificate)
    chain = chain_of(certificate)
    if certificate.key_storage == SigningCertificate.KeyStorage.PKCS12:
        key_der = keystore.unseal(certificate.encrypted_key, key_context(certificate))
        yield signers.SimpleSigner(
            signing_cert=cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        return
    from pkcs11 import PKCS11Error
    from pyhanko.sign import pkcs11

    if not settings.EGOV_PKCS11_MODULE:
        raise SignatureError(_("No PKCS#11 module is configured (EGOV_PKCS11_MODULE)."))
    pin = keystore.unseal(certificate.encrypted_pin, pin_context(certificate)).decode()
    try:
        session = pkcs11.open_pkcs11_session(
            settings.EGOV_PKCS11_MODULE,
            token_criteria=pkcs11.TokenCriteria(label=certificate.token_label),
            user_pin=pin,
        )
    except (PKCS11Error, pkcs11.PKCS11Error, SigningError) as exc:
        raise SignatureError(
            _("The hardware token “%(token)s” could not be opened: %(reason)s")
            % {"token": certificate.token_label, "reason": type(exc).__name__}
        ) from exc
    try:
        yield pkcs11.PKCS11Signer(
            session,
            key_label=certificate.key_label,
            signing_cert=cert,
            ca_chain=chain,
            # Tokens sign ECDSA over a hash computed outside (CKM_ECDSA); few offer ECDSA-SHA256.
            use_raw_mechanism=cert.public_key.algorithm == "ec",
        )
    finally:
        session.close()


def key_context(certificate: SigningCertificate) -> str:
    return f"signatures.key:{certificate.fingerprint}"


def pin_context(certificate: SigningCertificate) -> str:
    return f"signatures.pin:{certificate.fingerprint}"


def _font(size: int):
    path = Path(settings.EGOV_SIGNATURE_FONT)
    if not path.is_file():
        raise SignatureError(
            _("The font of the visible signature is missing (EGOV_SIGNATURE_FONT: %(path)s).")
            % {"path": path}
        )
    return fonts.pdf_text_font(path, size)


def signature_style(seal_png: bytes | None) -> TextStampStyle:
    background = None
    if seal_png:
        seal = Image.open(io.BytesIO(seal_png))
        background = PdfImage(seal, box=layout.BoxConstraints(SEAL_SIZE, SEAL_SIZE))
    return TextStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(font=_font(8), font_size=8, leading=11),
        border_width=0,
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=SEAL_SIZE * 2 / 3, right=2),
        ),
    )


def _page_size(reader: PdfFileReader, page: int) -> tuple[float, float]:
    pages = reader.root["/Pages"]["/Count"]
    index = page if page >= 0 else pages + page
    box = reader.find_page_for_modification(index)[0].get_object()
    while "/MediaBox" not in box and "/Parent" in box:
        box = box["/Parent"].get_object()
    x1, y1, x2, y2 = (float(v) for v in box["/MediaBox"])
    return x2 - x1, y2 - y1


def _add_qr(writer: IncrementalPdfFileWriter, page: int, url: str, caption: str) -> None:
    style = QRStampStyle(
        stamp_text="%(caption)s",
        text_box_style=TextBoxStyle(font=_font(7), font_size=7, leading=9),
        border_width=0,
        innsep=4,
        qr_inner_size=QR_SIZE,
    )
    pages = writer.root["/Pages"]["/Count"]
    index = page if page >= 0 else pages + page
    stamp = QRStamp(writer, style=style, url=url, text_params={"caption": caption})
    page_ref, _size = stamp.apply(index, int(LEFT_MARGIN), int(BOTTOM_MARGIN))
    # The stamp comes with a link to the URL; viewers would frame it (default border 1).
    for reference in page_ref.get_object().get("/Annots", []):
        annotation = reference.get_object()
        if annotation.get("/Subtype") == "/Link" and "/Border" not in annotation:
            annotation["/Border"] = generic.ArrayObject([generic.NumberObject(0)] * 3)
            writer.update_container(annotation)


@dataclass
class SigningRequest:
    level: str
    field_name: str
    appearance_lines: list[str] | None
    seal_png: bytes | None
    placement: Placement
    qr_url: str | None = None
    qr_caption: str = ""
    reason: str | None = None
    location: str | None = None


def open_pdf(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    """The PDF ready for an incremental update; a broken file is a :class:`SignatureError`."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        writer.root["/Pages"]["/Count"]
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SignatureError(
            _("The file is not a readable PDF document; it may be damaged or incomplete.")
        ) from exc
    if writer.prev.encrypted:
        raise SignatureError(_("The PDF is password-protected; remove the password first."))
    return writer


def existing_signature_count(writer: IncrementalPdfFileWriter) -> int:
    return sum(1 for _field in fields.enumerate_sig_fields(writer.prev, filled_status=True))


# The room kept in the file for the signature (hex digits of /Contents). Unless told, pyHanko
# finds it by building and encoding a whole dummy signature first (its size plus a 50% margin),
# a fifth of a signature's time; the room found for a certificate, level and time-stamp
# authority is reused for their next signatures in this process. A signature that fails
# forgets it, so the one after measures again.
_RESERVED: dict[tuple, int] = {}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _remember_reserved(key: tuple, signed: bytes) -> None:
    ranges = _BYTE_RANGE.findall(signed)
    if ranges:
        _start, first_length, second_start, _length = (int(v) for v in ranges[-1])
        if len(_RESERVED) > 1000:
            _RESERVED.clear()
        _RESERVED[key] = second_start - first_length - 2


def sign(
    writer: IncrementalPdfFileWriter,
    signer: signers.Signer,
    request: SigningRequest,
    chain=(),
) -> bytes:
    """Checks the signer's certificate now (trust, CRL or OCSP), then signs the open PDF at the
    requested PAdES level and returns the new file. A revoked certificate cannot sign."""
    if request.level not in LEVELS:
        raise SignatureError(_("Unknown signature level %(level)s.") % {"level": request.level})
    timestamper = None
    if request.level in ("B-T", "B-LT"):
        if not settings.EGOV_TSA_URL:
            raise SignatureError(_("No time-stamp authority is configured (EGOV_TSA_URL)."))
        timestamper = HTTPTimeStamper(
            settings.EGOV_TSA_URL, timeout=settings.EGOV_SIGNATURE_NETWORK_TIMEOUT
        )
    if request.qr_url:
        _add_qr(writer, request.placement.page, request.qr_url, request.qr_caption)
    box = request.placement.box
    if box is None:
        width, _height = _page_size(writer.prev, request.placement.page)
        x2 = width - RIGHT_MARGIN
        box = (x2 - SIGNATURE_WIDTH, BOTTOM_MARGIN, x2, BOTTOM_MARGIN + SIGNATURE_HEIGHT)
    visible = request.appearance_lines is not None
    field_spec = fields.SigFieldSpec(
        request.field_name,
        on_page=request.placement.page,
        box=tuple(round(v) for v in box) if visible else None,
    )
    context = trust.validation_context(chain, reuse_revocation=True)
    metadata = signers.PdfSignatureMetadata(
        field_name=request.field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=request.level == "B-LT",
        validation_context=context if request.level == "B-LT" else None,
        reason=request.reason,
        location=request.location,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=timestamper,
        stamp_style=signature_style(request.seal_png) if visible else None,
        new_field_spec=field_spec,
    )
    params = {"lines": "\n".join(request.appearance_lines)} if visible else None
    certificate = signer.signing_cert
    size_key = (certificate.sha256 if certificate else b"", request.level, settings.EGOV_TSA_URL)
    reserved = _RESERVED.get(size_key)

    async def run():
        try:
            await _check_certificate(signer.signing_cert, chain, context)
            return await pdf_signer.async_sign_pdf(
                writer, appearance_text_params=params, bytes_reserved=reserved
            )
        finally:
            await context.aclose()

    try:
        try:
            output = run_sync(run())
        except Exception:
            _RESERVED.pop(size_key, None)  # the next signature measures its room afresh
            raise
    except SigningError as exc:
        cause = exc.__cause__
        if isinstance(cause, errors.PathValidationError | errors.PathBuildingError):
            raise SignatureError(path_problem(cause)) from exc
        raise SignatureError(
            _("The document could not be signed: %(reason)s") % {"reason": exc}
        ) from exc
    except OSError as exc:
        raise SignatureError(
            _("The time-stamp authority did not answer (%(url)s); try again later.")
            % {"url": settings.EGOV_TSA_URL}
        ) from exc
    signed = output.getvalue()
    if reserved is None:
        _remember_reserved(size_key, signed)
    return signed
