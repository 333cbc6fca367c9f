"""The staff side of the API: work queues, search, one dossier, and every processing action,
for other systems of the agencies (a ministry's sector system, a city dashboard). The same
services and the same scoping as the pages: another agency's dossier is a 404."""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.models import User
from egov.accounts.tokens import TokenAuth
from egov.core.paging import CappedPaginator, QueuePaginator, page_rows
from egov.core.problems import multipart_required
from egov.core.schemas import IsoDate, Problem, choice
from egov.dossiers import apologies, processing, reception, worklists
from egov.dossiers.models import Dossier
from egov.dossiers.transitions import StaleDossier

staff_router = Router(tags=["staff dossiers"], auth=[TokenAuth(), django_auth])


class Summary(Schema):
    code: str
    procedure: str
    applicant: str
    status: str
    step: str | None
    agency: str | None
    assignee: str | None
    due_at: datetime.datetime | None
    deadline: Literal["on_time", "due_soon", "overdue"]


class Page(Schema):
    count: int = Field(description="How many match, counted up to 1001 (then `more` is true)")
    more: bool = Field(
        False,
        description="More than 1000 match: narrow a search; a queue's further dossiers are "
        "reached by a search (status, procedure, period)",
    )
    items: list[Summary]


class StepOut(Schema):
    step: str
    agency: str
    assignee: str | None
    started_at: datetime.datetime
    due_at: datetime.datetime
    finished_at: datetime.datetime | None
    outcome: str
    note: str


class DetailOut(Summary):
    id: uuid.UUID
    revision: int
    channel: str
    receiving_agency: str
    deciding_agency: str | None
    citizen_id: str | None = Field(description="Masked unless the role needs it")
    phone: str | None = Field(description="Masked unless the role needs it")
    received_at: datetime.datetime | None
    step_due_at: datetime.datetime | None
    answers: dict
    steps: list[StepOut]


def _staff(request) -> User:
    if request.auth.kind != User.Kind.STAFF:
        raise HttpError(403, _("Only staff accounts use this part of the API."))
    return request.auth


def _summary(dossier: Dossier, now=None, soon=None) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "applicant": dossier.applicant_name,
        "status": dossier.status,
        "step": dossier.current_step.code if dossier.current_step else None,
        "agency": dossier.current_agency.code if dossier.current_agency else None,
        "assignee": dossier.assignee.username if dossier.assignee else None,
        "due_at": dossier.due_at,
        "deadline": processing.deadline_state(dossier.due_at, now, soon),
    }


def _detail(user, dossier: Dossier) -> dict:
    personal = worklists.sees_personal_data(user, dossier)
    applicant = dossier.applicant
    return {
        **_summary(dossier),
        "id": dossier.public_id,
        "revision": dossier.revision,
        "channel": dossier.channel,
        "receiving_agency": dossier.receiving_agency.code,
        "deciding_agency": dossier.deciding_agency.code if dossier.deciding_agency else None,
        "citizen_id": applicant.citizen_id if personal else applicant.masked_citizen_id,
        "phone": applicant.phone if personal else applicant.masked_phone,
        "received_at": dossier.received_at,
        "step_due_at": dossier.step_due_at,
        "answers": dossier.form_data,
        "steps": [
            {
                "step": row.step.code,
                "agency": row.agency.code,
                "assignee": row.assignee.username if row.assignee else None,
                "started_at": row.started_at,
                "due_at": row.due_at,
                "finished_at": row.finished_at,
                "outcome": row.outcome,
                "note": row.note,
            }
            for row in dossier.steps.select_related("step", "agency", "assignee")
        ],
    }


class Filters(Schema):
    tab: (
        Literal["receive", "assign", "process", "review", "approve", "return", "overdue"] | None
    ) = None
    q: str = Field("", max_length=100)
    status: choice(Dossier.Status) | None = None  # type: ignore[valid-type]
    procedure: str = Field("", max_length=30, description="Procedure code, e.g. 1.001193")
    start: IsoDate | None = None
    end: IsoDate | None = None
    page: int = Field(1, ge=1, le=10_000)


@staff_router.get(
    "/staff/dossiers",
    response={200: Page, 403: Problem, 422: Problem},
    summary="A work queue (tab) or a search; 50 a page, due first",
)
def list_dossiers(request, filters: Query[Filters]):
    user = _staff(request)
    f = filters
    searching = not (f.tab and not (f.q or f.status or f.procedure or f.start or f.end))
    if f.tab and not searching:
        found = worklists.queue(user, f.tab)
    else:
        found = worklists.search(
            user, f.q, procedure=f.procedure, status=f.status or "", start=f.start, end=f.end
        )
    now = timezone.now()
    soon = processing.due_soon_limit(now)
    if searching:
        paginator = CappedPaginator(worklists.listed(found), 50)
        try:
            items = list(paginator.page(f.page))
        except EmptyPage:
            items = []
        count, more = paginator.count, paginator.capped
    else:
        offset = (f.page - 1) * 50
        items = page_rows(worklists.listed(found), offset, offset + 50)
        counted = QueuePaginator(found, 50)
        count, more = counted.count, counted.capped
    return {"count": count, "more": more, "items": [_summary(d, now, soon) for d in items]}


def _found(request, code: str) -> Dossier:
    user = _staff(request)
    return get_object_or_404(
        processing.visible_to_staff(user).select_related(
            *worklists.LIST_RELATED, "receiving_agency", "deciding_agency", "applicant"
        ),
        code=code,
    )


@staff_router.get(
    "/staff/dossiers/{code}",
    response={200: DetailOut, 403: Problem, 404: Problem},
    summary="One dossier with its processing control sheet",
)
def get_dossier(request, code: str):
    return _detail(request.auth, _found(request, code))


class ActionIn(Schema):
    revision: int = Field(..., description="The revision read; a stale one is refused (409)")
    note: str = Field("", max_length=1000)
    reason: str = Field("", max_length=1000)
    items: list[str] = Field(default_factory=list, max_length=50)
    assignee: str | None = Field(None, max_length=150, description="A staff user name")
    new_due_at: datetime.datetime | None = None


Action = Literal[
    "receive",
    "supplement",
    "refuse",
    "take",
    "assign",
    "advance",
    "send_back",
    "ask_supplement",
    "pause",
    "resume",
    "refuse_processing",
    "return",
    "apology",
    "generate_result",
]


def _assignee(body: ActionIn) -> User | None:
    if not body.assignee:
        return None
    person = User.objects.filter(username=body.assignee, kind=User.Kind.STAFF).first()
    if person is None:
        raise ValidationError(_("No staff member has this user name."))
    return person


def _run(action: str, dossier: Dossier, user, body: ActionIn) -> None:
    rev = body.revision
    runners = {
        "receive": lambda: reception.receive(dossier, officer=user, revision=rev),
        "supplement": lambda: reception.request_supplement(
            dossier, officer=user, items=body.items, note=body.note, revision=rev
        ),
        "refuse": lambda: reception.refuse(dossier, officer=user, reason=body.reason, revision=rev),
        "take": lambda: processing.take(dossier, actor=user, revision=rev),
        "assign": lambda: processing.assign(
            dossier, actor=user, assignee=_assignee(body), revision=rev
        ),
        "advance": lambda: processing.advance(
            dossier, actor=user, note=body.note, assignee=_assignee(body), revision=rev
        ),
        "send_back": lambda: processing.send_back(
            dossier, actor=user, note=body.note, revision=rev
        ),
        "ask_supplement": lambda: processing.request_supplement(
            dossier, actor=user, items=body.items, note=body.note, revision=rev
        ),
        "pause": lambda: processing.pause(dossier, actor=user, reason=body.reason, revision=rev),
        "resume": lambda: processing.resume(dossier, actor=user, revision=rev),
        "refuse_processing": lambda: processing.refuse(
            dossier, actor=user, reason=body.reason, revision=rev
        ),
        "return": lambda: processing.return_result(
            dossier, actor=user, note=body.note, revision=rev
        ),
        "generate_result": lambda: processing.generate_result(dossier, actor=user, revision=rev),
        "apology": lambda: apologies.issue(
            dossier,
            actor=user,
            reason=body.reason,
            new_due_at=body.new_due_at or _missing_date(),
            revision=rev,
        ),
    }
    runners[action]()


def _missing_date():
    raise ValidationError(_("Give the new appointment date and time."))


def _act(request, code: str, run) -> dict:
    dossier = _found(request, code)
    try:
        run(dossier)
    except StaleDossier as exc:
        raise HttpError(
            409, _("Someone else changed this dossier; read it again before acting.")
        ) from exc
    except PermissionDenied as exc:
        raise HttpError(403, _("Your roles do not allow this action on this dossier.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _detail(
        request.auth, Dossier.objects.select_related(*worklists.LIST_RELATED).get(pk=dossier.pk)
    )


@staff_router.post(
    "/staff/dossiers/{code}/actions/{action}",
    response={200: DetailOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Act on a dossier at its current step (receive, hand on, return…)",
)
def act(request, code: str, action: Action, body: ActionIn):
    user = _staff(request)
    return _act(request, code, lambda dossier: _run(action, dossier, user, body))


@staff_router.post(
    "/staff/dossiers/{code}/result",
    response={
        200: DetailOut,
        400: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        413: Problem,
        415: Problem,
        422: Problem,
    },
    summary="Attach the result document (PDF) at a processing or approval step",
)
@decorate_view(multipart_required)
def attach_result(request, code: str, revision: Form[int], file: File[UploadedFile]):
    user = _staff(request)
    data = file.read()
    return _act(
        request,
        code,
        lambda dossier: processing.attach_result(
            dossier, actor=user, name=file.name or "result.pdf", data=data, revision=revision
        ),
    )
