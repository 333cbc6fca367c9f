"""Checks a PDF anyone hands in: is each signature intact and trusted, who signed and when, was
the certificate revoked (CRL or OCSP, asked now), and is the file exactly a document the platform
registered (same SHA-256)."""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus

from egov.signatures import trust
from egov.signatures.models import SignedDocument, reference_label
from egov.signatures.signing import run_sync

logger = logging.getLogger(__name__)

VALID, WARNING, INVALID = "valid", "warning", "invalid"
EXPIRED_INDICATIONS = {AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE}
UNTRUSTED_INDICATIONS = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND,
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND,
}
REVOKED_INDICATIONS = {
    AdESFailure.REVOKED,
    AdESIndeterminate.REVOKED_NO_POE,
    AdESIndeterminate.REVOKED_CA_NO_POE,
}
REVOCATION_UNKNOWN_INDICATIONS = {
    AdESIndeterminate.TRY_LATER,
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
}
ALLOWED_LATER_CHANGES = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


@dataclass
class SignatureReport:
    field_name: str
    signer: str = ""
    organization: str = ""
    issuer: str = ""
    serial_number: str = ""
    fingerprint: str = ""
    signed_at: datetime.datetime | None = None
    timestamp: datetime.datetime | None = None
    level: str = ""
    intact: bool = False
    trusted: bool = False
    revoked: bool = False
    revoked_at: datetime.datetime | None = None
    revocation_reason: str = ""
    revocation_source: str = ""
    expired: bool = False
    changed_after_signing: bool = False
    covers_whole_file: bool = False
    verdict: str = INVALID
    messages: list[str] = field(default_factory=list)


@dataclass
class VerificationReport:
    sha256: str
    size: int
    readable: bool = True
    signatures: list[SignatureReport] = field(default_factory=list)
    registered: SignedDocument | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if not self.readable or not self.signatures:
            return INVALID
        verdicts = {signature.verdict for signature in self.signatures}
        if INVALID in verdicts:
            return INVALID
        if WARNING in verdicts:
            return WARNING
        return VALID

    @property
    def valid(self) -> bool:
        return self.verdict == VALID

    @property
    def registered_kind(self) -> str:
        return reference_label(self.registered.reference_type) if self.registered else ""


def _name(name, part: str) -> str:
    value = name.native.get(part, "")
    return ", ".join(value) if isinstance(value, list) else value


def _level(embedded, status: PdfSignatureStatus) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    has_dss = "/DSS" in embedded.reader.root
    return "B-LT" if has_dss else "B-T"


def _revocation_source(context, certificate) -> str:
    """Whether the revocation answer came from an OCSP responder or a CRL."""
    for response in context.ocsps:
        try:
            basic = response["response_bytes"]["response"].parsed
            answers = basic["tbs_response_data"]["responses"]
        except (KeyError, ValueError, TypeError):
            continue
        for answer in answers:
            if answer["cert_id"]["serial_number"].native == certificate.serial_number:
                return "OCSP"
    for crl in context.crls:
        if crl.issuer == certificate.issuer:
            return "CRL"
    return ""


async def _report_one(embedded, context) -> SignatureReport:
    report = SignatureReport(field_name=embedded.field_name or "")
    try:
        status = await async_validate_pdf_signature(
            embedded, signer_validation_context=context, ts_validation_context=context
        )
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("Signature %s could not be validated: %s", report.field_name, exc)
        report.messages.append(
            _("This signature is damaged or not a PDF signature that can be checked.")
        )
        return report
    certificate = status.signing_cert
    report.signer = _name(certificate.subject, "common_name")
    report.organization = _name(certificate.subject, "organization_name")
    report.issuer = _name(certificate.issuer, "common_name")
    report.serial_number = format(certificate.serial_number, "x")
    report.fingerprint = certificate.sha256.hex()
    report.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.valid:
        report.timestamp = status.timestamp_validity.timestamp
    report.level = _level(embedded, status)
    report.intact = status.intact and status.valid
    report.trusted = status.trusted
    report.covers_whole_file = status.coverage.name == "ENTIRE_FILE"
    report.changed_after_signing = not report.intact or (
        status.modification_level not in ALLOWED_LATER_CHANGES
        and not report.covers_whole_file
        and not status.docmdp_ok
    )
    problem = status.trust_problem_indic
    if status.revoked:
        details = status.revocation_details
        report.revoked = True
        report.revoked_at = details.revocation_date
        report.revocation_reason = str(details.revocation_reason.native or "")
        report.revocation_source = _revocation_source(context, certificate)
    report.expired = problem in EXPIRED_INDICATIONS
    report.verdict, report.messages = _judge(report, problem)
    return report


def _judge(report: SignatureReport, problem) -> tuple[str, list[str]]:
    if not report.intact:
        return INVALID, [
            _(
                "The document was changed after it was signed: its content no longer matches "
                "the signature."
            )
        ]
    if report.changed_after_signing:
        return INVALID, [
            _("Content was added or changed after this signature was made (a later revision).")
        ]
    if report.revoked:
        message = _("The signer's certificate was revoked on %(date)s (checked by %(source)s).") % {
            "date": report.revoked_at.isoformat(timespec="seconds"),
            "source": report.revocation_source or _("the certification authority"),
        }
        if report.timestamp and report.revoked_at and report.timestamp < report.revoked_at:
            return WARNING, [
                message,
                _("A trusted time-stamp shows that the document was signed before the revocation."),
            ]
        return INVALID, [message]
    if problem in EXPIRED_INDICATIONS:
        return INVALID, [
            _("The signer's certificate had expired (or was not yet valid) at the signing time.")
        ]
    if problem in UNTRUSTED_INDICATIONS:
        return INVALID, [
            _(
                "The signer's certificate was not issued by a certification authority that this "
                "platform trusts."
            )
        ]
    if problem in REVOCATION_UNKNOWN_INDICATIONS:
        return WARNING, [
            _(
                "The revocation status of the certificate could not be checked now (CRL or OCSP "
                "unreachable); try again later."
            )
        ]
    if problem is not None or not report.trusted:
        return INVALID, [
            _("The signer's certificate could not be validated (%(problem)s).")
            % {"problem": getattr(problem, "name", "unknown")}
        ]
    return VALID, [_("The signature is valid and the document has not been changed since.")]


async def _report_all(signatures) -> list[SignatureReport]:
    context = trust.validation_context()
    try:
        return [await _report_one(embedded, context) for embedded in signatures]
    finally:
        await context.aclose()


def verify_pdf(data: bytes) -> VerificationReport:
    report = VerificationReport(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    report.registered = (
        SignedDocument.objects.select_related("certificate", "agency")
        .filter(sha256=report.sha256)
        .first()
    )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        logger.info("Unreadable PDF handed in for verification: %s", exc)
        report.readable = False
        report.messages.append(
            _("The file is not a readable PDF document; it may be damaged or incomplete.")
        )
        return report
    if not signatures:
        report.messages.append(_("The document carries no digital signature."))
        return report
    report.signatures = run_sync(_report_all(signatures))
    return report
