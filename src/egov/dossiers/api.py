import datetime
import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.catalog import eforms
from egov.catalog.search import current_versions
from egov.core.problems import multipart_required
from egov.core.schemas import Problem
from egov.core.throttling import AddressRateThrottle
from egov.core.uploads import UploadRejected
from egov.dossiers import citizen_files, ratings, services, tracking
from egov.dossiers.models import Attachment, Channel, Dossier
from egov.dossiers.tracking import TRACKING_SCOPE
from egov.organizations.models import AdministrativeUnit, Agency

router = Router(tags=["tracking"])
citizen_router = Router(tags=["dossiers"], auth=[TokenAuth(), django_auth])


class TrackingEvent(Schema):
    at: datetime.datetime
    status: str
    status_label: str


class TrackingOut(Schema):
    code: str
    procedure: str
    agency: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    history: list[TrackingEvent]


@router.get(
    "/tracking/{code}",
    response={200: TrackingOut, 404: Problem, 429: Problem},
    summary="Where a dossier is, by the code on its receipt (no personal data)",
    throttle=[AddressRateThrottle("EGOV_TRACKING_RATE", scope=TRACKING_SCOPE)],
)
def track(request, code: str):
    found = tracking.lookup(code)
    if found is None:
        raise HttpError(404, _("No dossier has this code."))
    return found


class DossierIn(Schema):
    procedure_code: str = Field(..., max_length=30, pattern=r"^[0-9A-Za-z.-]+$")
    commune_code: str | None = Field(
        None,
        max_length=10,
        pattern=r"^[0-9]+$",
        description="Statistical code of the commune or ward (commune-level procedures)",
    )
    answers: dict = Field(default_factory=dict, description="E-form answers")
    result_delivery: Channel = Field(
        Channel.ONLINE,
        description="online or desk here; for post, create the dossier and then give the address "
        "with PUT /api/v1/dossiers/{id}/postal",
    )
    return_agency_code: str | None = Field(
        None,
        max_length=30,
        pattern=r"^[0-9A-Za-z.]+$",
        description="With result_delivery desk: the code of another Public Administration "
        "Service Centre of the province (the province's or a commune's) where the applicant "
        "collects the result (Nghị định 118/2025/NĐ-CP); by default the receiving desk",
    )
    delivery_address: str = Field(
        "",
        max_length=500,
        pattern=r"^[^\x00-\x1f]*$",
        description="Not used: a postal address is given on today's units through "
        "PUT /api/v1/dossiers/{id}/postal",
        json_schema_extra={"deprecated": True},
    )


class AttachmentOut(Schema):
    id: int
    kind: Attachment.Kind
    requirement_id: int | None
    original_name: str
    type: str
    size: int
    sha256: str


class MissingRequirement(Schema):
    id: int
    code: str
    name: str


class DossierOut(Schema):
    id: uuid.UUID
    code: str | None
    procedure_code: str
    procedure_version: int
    agency: str
    status: str
    result_delivery: str
    return_agency: str | None = Field(
        description="Code of the service centre chosen to collect the result at, if not the "
        "receiving desk"
    )
    submitted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    answers: dict
    answer_errors: dict[str, list[str]]
    attachments: list[AttachmentOut]
    missing: list[str] = Field(description="What still stops the draft from being submitted")
    missing_requirements: list[MissingRequirement] = Field(
        description="The papers still to attach: POST each to /dossiers/{id}/attachments with "
        "its id as requirement_id"
    )


def _attachment(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "requirement_id": attachment.requirement_id,
        "original_name": attachment.original_name,
        "type": attachment.extension,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def _out(dossier: Dossier, *, new: bool = False) -> dict:
    """``new``: a draft just created, which has no file yet."""
    attachments = [] if new else list(citizen_files.downloadable(dossier))
    attached = {a.requirement_id for a in attachments if a.requirement_id}
    return {
        "id": dossier.public_id,
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_version": dossier.procedure_version.number,
        "agency": dossier.receiving_agency.code,
        "status": dossier.status,
        "result_delivery": dossier.result_delivery,
        "return_agency": dossier.return_agency.code if dossier.return_agency else None,
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.due_at,
        "answers": dossier.form_data,
        "answer_errors": eforms.validate_data(
            dossier.procedure_version.form_schema, dossier.form_data
        ),
        "attachments": [_attachment(a) for a in attachments],
        "missing": services.missing_items(dossier, attached=attached) if dossier.is_draft else [],
        "missing_requirements": [
            {"id": r.pk, "code": r.code, "name": r.name}
            for r in services.papers_to_attach(dossier, attached)
        ]
        if dossier.is_draft
        else [],
    }


def _citizen(request):
    if request.auth.kind != "citizen":
        raise HttpError(403, _("Only citizens' accounts submit dossiers."))
    return request.auth


def _mine(request, dossier_id) -> Dossier:
    return get_object_or_404(services.visible_to(_citizen(request)), public_id=dossier_id)


@citizen_router.post(
    "/dossiers",
    response={201: DossierOut, 200: DossierOut, 403: Problem, 404: Problem, 422: Problem},
    summary="Start a dossier (a draft) with its answers; the same Idempotency-Key gives the "
    "same dossier",
)
def create_dossier(
    request,
    data: DossierIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        max_length=100,
        description="Any unique string per dossier: the same key and body give the same dossier "
        "(200), the same key with another body is refused (422)",
    ),
):
    applicant = _citizen(request)
    version = (
        current_versions()
        .filter(procedure__code=data.procedure_code)
        .select_related("procedure")
        .first()
    )
    if version is None or not version.offered_online:
        raise HttpError(404, _("No procedure with this code is offered online."))
    commune = None
    if data.commune_code:
        commune = (
            AdministrativeUnit.objects.as_of(timezone.localdate())
            .filter(code=data.commune_code, level=3)
            .first()
        )
        if commune is None:
            raise HttpError(422, _("No commune or ward has this code."))
    agency = services.receiving_agency_for(version, commune)
    if agency is None:
        raise HttpError(422, _("Give the commune_code of the commune or ward where you apply."))
    if data.result_delivery == Channel.POST:
        # A free-text address would skip the checks of the postal request (a commune or ward
        # that exists today, the fees quoted before submitting) and leave the post no booking.
        raise HttpError(
            422,
            _(
                "To receive the result by post, create the dossier, then give the address with "
                "PUT /api/v1/dossiers/{id}/postal: it takes today's communes and wards and "
                "quotes the postal fees."
            ),
        )
    return_agency = None
    if data.return_agency_code:
        return_agency = (
            Agency.objects.as_of(timezone.localdate())
            .filter(code=data.return_agency_code, kind__in=Agency.SERVICE_CENTRE_KINDS)
            .first()
        )
        if return_agency is None:
            raise HttpError(
                422, _("No Public Administration Service Centre of the province has this code.")
            )
    key = f"api-{idempotency_key}" if idempotency_key else ""
    try:
        dossier, created = services.start_once(
            applicant=applicant,
            version=version,
            agency=agency,
            idempotency_key=key,
            fingerprint=_fingerprint(data) if key else "",
            answers=data.answers,
            result_delivery=data.result_delivery,
            return_agency=return_agency,
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201 if created else 200, _out(dossier, new=created))


def _fingerprint(data: DossierIn) -> str:
    """What the request asked for, as a digest: the same key with another body is refused."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@citizen_router.get("/dossiers", response=list[DossierOut], summary="My dossiers")
def list_dossiers(request):
    dossiers = services.visible_to(_citizen(request)).select_related(
        "procedure", "procedure_version", "receiving_agency", "return_agency"
    )[:200]
    return [_out(d) for d in dossiers]


@citizen_router.get(
    "/dossiers/{dossier_id}", response={200: DossierOut, 404: Problem}, summary="One of my dossiers"
)
def get_dossier(request, dossier_id: uuid.UUID):
    return _out(_mine(request, dossier_id))


@citizen_router.post(
    "/dossiers/{dossier_id}/attachments",
    response={
        201: AttachmentOut,
        400: Problem,
        404: Problem,
        413: Problem,
        415: Problem,
        422: Problem,
    },
    summary="Attach a document (checked for size, real type and malware)",
)
@decorate_view(multipart_required)
def add_attachment(
    request, dossier_id: uuid.UUID, requirement_id: Form[int], file: File[UploadedFile]
):
    dossier = _mine(request, dossier_id)
    try:
        attachment = services.attach(
            dossier,
            applicant=request.auth,
            requirement_id=requirement_id,
            name=file.name or "file",
            data=file.read(),
        )
    except (UploadRejected, ValidationError) as exc:
        raise HttpError(422, " ".join(getattr(exc, "messages", [str(exc)]))) from exc
    return Status(201, _attachment(attachment))


@citizen_router.post(
    "/dossiers/{dossier_id}/submit",
    response={200: DossierOut, 404: Problem, 422: Problem},
    summary="Submit a complete draft (submitting again changes nothing)",
)
def submit_dossier(request, dossier_id: uuid.UUID):
    dossier = _mine(request, dossier_id)
    try:
        dossier = services.submit(dossier, applicant=request.auth)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _out(dossier)


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500, pattern=r"^[^\x00-\x08]*$")


@citizen_router.post(
    "/dossiers/{dossier_id}/withdraw",
    response={200: DossierOut, 404: Problem, 422: Problem},
    summary="Withdraw a dossier before its result is issued",
)
def withdraw_dossier(request, dossier_id: uuid.UUID, data: WithdrawIn):
    dossier = _mine(request, dossier_id)
    try:
        dossier = services.withdraw(dossier, applicant=request.auth, reason=data.reason)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _out(dossier)


@citizen_router.get(
    "/dossiers/{dossier_id}/attachments/{attachment_id}",
    response={404: Problem},
    summary="Download a file of my dossier: my papers, the receipt and forms, the result once "
    "it was returned",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_attachment(request, dossier_id: uuid.UUID, attachment_id: int):
    attachment = get_object_or_404(
        citizen_files.downloadable(_mine(request, dossier_id)), pk=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime,
    )


class RatingIn(Schema):
    """The nine indicators of Thông tư 01/2018/TT-VPCP art. 13, each 2 (best), 1 or 0."""

    total_time: int = Field(..., ge=0, le=2, description="Total time taken vs the time limit")
    agency_time: int = Field(..., ge=0, le=2, description="Time taken by each agency")
    desk_contacts: int = Field(
        ..., ge=0, le=2, description="Contacts with the desk to complete the dossier"
    )
    agencies_contacted: int = Field(
        ..., ge=0, le=2, description="Agencies contacted to complete the dossier"
    )
    one_stop: int = Field(..., ge=0, le=2, description="Handled through the one-stop desk")
    publicity: int = Field(..., ge=0, le=2, description="The procedure as published")
    staff_attitude: int = Field(..., ge=0, le=2, description="Attitude of the staff")
    feedback: int = Field(..., ge=0, le=2, description="Answers to comments and complaints")
    online_service: int = Field(..., ge=0, le=2, description="Quality of the online service")
    comment: str = Field(
        "", max_length=ratings.MAX_COMMENT, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
    )


class RatingOut(Schema):
    total_time: int
    agency_time: int
    desk_contacts: int
    agencies_contacted: int
    one_stop: int
    publicity: int
    staff_attitude: int
    feedback: int
    online_service: int
    comment: str
    total: int = Field(..., description="Sum of the nine scores, 0 to 18")
    grade: str = Field(
        ..., description="Excellent (15+), good (12+), fair (9+), average (6+), weak"
    )
    created_at: datetime.datetime


def _rating_out(rating) -> dict:
    total = ratings.total(rating)
    return {
        **{name: getattr(rating, name) for name in ratings.RATING_SCORES},
        "comment": rating.comment,
        "total": total,
        "grade": ratings.grade(total),
        "created_at": rating.created_at,
    }


@citizen_router.post(
    "/dossiers/{dossier_id}/rating",
    response={201: RatingOut, 200: RatingOut, 404: Problem, 409: Problem, 422: Problem},
    summary="Rate how my dossier was handled, once its result was returned or it was refused "
    "(sending the same rating again returns it; a different one is refused)",
)
def rate_dossier(request, dossier_id: uuid.UUID, data: RatingIn):
    dossier = _mine(request, dossier_id)
    existed = hasattr(dossier, "rating")
    payload = data.dict()
    comment = payload.pop("comment")
    try:
        rating = ratings.rate(dossier, request.auth, payload, comment)
    except ValidationError as exc:
        status = 409 if getattr(exc, "code", None) == "already_rated" else 422
        raise HttpError(status, " ".join(exc.messages)) from exc
    return Status(200 if existed else 201, _rating_out(rating))


@citizen_router.get(
    "/dossiers/{dossier_id}/rating",
    response={200: RatingOut, 404: Problem},
    summary="My rating of a dossier",
)
def get_rating(request, dossier_id: uuid.UUID):
    dossier = _mine(request, dossier_id)
    if not hasattr(dossier, "rating"):
        raise HttpError(404, _("This dossier has not been rated."))
    return _rating_out(dossier.rating)
