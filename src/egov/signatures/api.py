"""Public verification API: check an uploaded PDF, or look up a registered document by its code."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from egov.core.problems import multipart_required, problem
from egov.core.schemas import Problem
from egov.signatures import services
from egov.signatures.models import SignedDocument, reference_label
from egov.signatures.verification import verify_pdf

router = Router(tags=["signatures"])


class SignatureOut(Schema):
    field_name: str
    verdict: str = Field(description="valid, warning or invalid")
    messages: list[str]
    signer: str
    organization: str
    issuer: str
    serial_number: str
    fingerprint: str = Field(description="SHA-256 of the signer's certificate")
    signed_at: datetime.datetime | None = Field(description="Time stated by the signer")
    timestamp: datetime.datetime | None = Field(description="Time of a trusted RFC 3161 token")
    level: str = Field(description="PAdES level found: B-B, B-T or B-LT")
    intact: bool
    trusted: bool
    revoked: bool
    revoked_at: datetime.datetime | None
    revocation_source: str = Field(description="OCSP or CRL, when the status was checked")
    expired: bool
    changed_after_signing: bool


class RegisteredOut(Schema):
    code: str
    verification_url: str
    document_type: str
    document_type_label: str
    title: str
    agency_code: str
    agency_name: str
    signer: str
    signed_at: datetime.datetime
    level: str
    sha256: str
    certificate_revoked: bool


class VerificationOut(Schema):
    verdict: str = Field(description="valid, warning or invalid")
    messages: list[str]
    sha256: str
    size: int
    signatures: list[SignatureOut]
    registered: RegisteredOut | None = Field(
        description="The registered document with the same SHA-256, if any"
    )


def _registered(request, document: SignedDocument) -> dict:
    return {
        "code": document.code,
        "verification_url": request.build_absolute_uri(
            reverse("signatures:document", args=[document.code])
        ),
        "document_type": document.reference_type,
        "document_type_label": reference_label(document.reference_type),
        "title": document.title,
        "agency_code": document.agency.code,
        "agency_name": document.agency.name,
        "signer": document.certificate.common_name,
        "signed_at": document.signed_at,
        "level": document.level,
        "sha256": document.sha256,
        "certificate_revoked": document.certificate.is_revoked,
    }


@router.post(
    "/signatures/verify",
    response={200: VerificationOut, 400: Problem, 413: Problem, 415: Problem, 422: Problem},
    summary="Verify the signatures of a PDF and look it up in the registry",
)
@decorate_view(multipart_required)
def verify(request, file: File[UploadedFile]):
    """Checks every signature (integrity, trust, revocation by CRL or OCSP, time-stamp) and
    whether the file is exactly a document registered on the platform (same SHA-256)."""
    if file.size > settings.EGOV_SIGNATURE_MAX_UPLOAD_BYTES:
        return problem(
            request,
            413,
            _("The file is too large"),
            _("Send a PDF smaller than %(size)s MB.")
            % {"size": settings.EGOV_SIGNATURE_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    report = verify_pdf(file.read())
    if not report.readable:
        return problem(request, 422, _("The file is not a readable PDF"), report.messages[0])
    return {
        "verdict": report.verdict,
        "messages": report.messages,
        "sha256": report.sha256,
        "size": report.size,
        "signatures": [vars(signature) for signature in report.signatures],
        "registered": _registered(request, report.registered) if report.registered else None,
    }


@router.get(
    "/signatures/documents/{code}",
    response={200: RegisteredOut, 404: Problem},
    summary="A registered signed document, by the code printed in its QR",
)
def get_document(request, code: str):
    document = get_object_or_404(
        SignedDocument.objects.select_related("agency", "certificate"),
        code=services.normalize_code(code),
    )
    return _registered(request, document)
