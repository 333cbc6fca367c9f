import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.throttling import AnonRateThrottle

from egov.accounts.tokens import TokenAuth
from egov.catalog import eforms
from egov.catalog.search import current_versions
from egov.core.schemas import Problem
from egov.core.uploads import UploadRejected
from egov.dossiers import services, tracking
from egov.dossiers.models import Channel, Dossier
from egov.organizations.models import AdministrativeUnit

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
    throttle=[AnonRateThrottle("30/m")],
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
    result_delivery: Channel = Channel.ONLINE
    delivery_address: str = Field("", max_length=500, pattern=r"^[^\x00-\x1f]*$")


class AttachmentOut(Schema):
    id: int
    requirement_id: int | None
    original_name: str
    type: str
    size: int
    sha256: str


class DossierOut(Schema):
    id: uuid.UUID
    code: str | None
    procedure_code: str
    procedure_version: int
    agency: str
    status: str
    result_delivery: str
    submitted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    answers: dict
    answer_errors: dict[str, list[str]]
    attachments: list[AttachmentOut]
    missing: list[str]


def _out(dossier: Dossier) -> dict:
    return {
        "id": dossier.public_id,
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_version": dossier.procedure_version.number,
        "agency": dossier.receiving_agency.code,
        "status": dossier.status,
        "result_delivery": dossier.result_delivery,
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.due_at,
        "answers": dossier.form_data,
        "answer_errors": eforms.validate_data(
            dossier.procedure_version.form_schema, dossier.form_data
        ),
        "attachments": [
            {
                "id": a.pk,
                "requirement_id": a.requirement_id,
                "original_name": a.original_name,
                "type": a.extension,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in dossier.attachments.all()
        ],
        "missing": services.missing_items(dossier) if dossier.is_draft else [],
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
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
):
    applicant = _citizen(request)
    version = current_versions().filter(procedure__code=data.procedure_code).first()
    if version is None or version.online_mode == "none":
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
    key = f"api-{idempotency_key}" if idempotency_key else ""
    existed = bool(key) and services.visible_to(applicant).filter(idempotency_key=key).exists()
    with transaction.atomic():
        dossier = services.start(
            applicant=applicant, version=version, agency=agency, idempotency_key=key
        )
        if not existed:
            try:
                services.save_answers(dossier, applicant=applicant, answers=data.answers)
                services.set_delivery(
                    dossier,
                    applicant=applicant,
                    result_delivery=data.result_delivery,
                    address=data.delivery_address,
                )
            except ValidationError as exc:
                raise HttpError(422, " ".join(exc.messages)) from exc
    dossier.refresh_from_db()
    return Status(200 if existed else 201, _out(dossier))


@citizen_router.get("/dossiers", response=list[DossierOut], summary="My dossiers")
def list_dossiers(request):
    dossiers = services.visible_to(_citizen(request)).select_related(
        "procedure", "procedure_version", "receiving_agency"
    )[:200]
    return [_out(d) for d in dossiers]


@citizen_router.get(
    "/dossiers/{dossier_id}", response={200: DossierOut, 404: Problem}, summary="One of my dossiers"
)
def get_dossier(request, dossier_id: uuid.UUID):
    return _out(_mine(request, dossier_id))


@citizen_router.post(
    "/dossiers/{dossier_id}/attachments",
    response={201: AttachmentOut, 404: Problem, 422: Problem},
    summary="Attach a document (checked for size, real type and malware)",
)
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
    return Status(
        201,
        {
            "id": attachment.pk,
            "requirement_id": attachment.requirement_id,
            "original_name": attachment.original_name,
            "type": attachment.extension,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )


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
