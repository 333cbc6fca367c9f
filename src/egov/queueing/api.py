"""Queue numbers over the API: take a number and read the display (public), call and close
numbers (desk officers, with a personal access token)."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, Throttled

from egov.accounts.models import Role
from egov.accounts.scoping import get_scoped_or_404
from egov.accounts.tokens import TokenAuth
from egov.catalog.models import Field as ProcedureField
from egov.core.schemas import IsoDate, Problem
from egov.queueing import queries, services
from egov.queueing.limits import issue_limited
from egov.queueing.models import Ticket

router = Router(tags=["queue"])
staff_router = Router(tags=["queue"], auth=TokenAuth())

FIELD_CODE = Field(None, max_length=50, pattern=r"^[A-Za-z0-9_-]+$", description="Field code")


class TicketIn(Schema):
    field: str | None = FIELD_CODE


class TicketOut(Schema):
    id: uuid.UUID
    desk: int
    label: str = Field(..., description="What is printed and displayed, e.g. A007")
    number: int = Field(..., description="Order of arrival at the desk today, from 1")
    field: str | None
    day: IsoDate
    status: Ticket.Status
    issued_at: datetime.datetime
    called_at: datetime.datetime | None
    counter: str
    waiting_ahead: int = Field(..., description="Waiting tickets of the same field before it")
    url: str = Field(..., description="The ticket's page")


class CallingOut(Schema):
    ticket: str
    counter: str
    field: str
    called_at: datetime.datetime
    call_count: int


class FieldWaitingOut(Schema):
    field: str
    name: str
    letter: str
    waiting: int


class BoardOut(Schema):
    desk: int
    desk_name: str
    as_of: datetime.datetime
    calling: list[CallingOut] = Field(..., description="Being called now, latest call first")
    waiting: int
    waiting_by_field: list[FieldWaitingOut]


class CallIn(Schema):
    counter: str | None = Field(
        None, min_length=1, max_length=services.COUNTER_MAX_LENGTH, pattern=r"^[^\x00-\x1f]+$"
    )
    fields: list[str] | None = Field(
        None,
        max_length=50,
        description="Codes of the fields to call from; default: those saved on the officer's "
        "queue page (none: every field)",
    )


def _out(ticket: Ticket) -> dict:
    return {
        "id": ticket.public_id,
        "desk": ticket.desk_id,
        "label": ticket.label,
        "number": ticket.number,
        "field": ticket.field.code if ticket.field else None,
        "day": ticket.day,
        "status": ticket.status,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "counter": ticket.counter,
        "waiting_ahead": queries.waiting_ahead(ticket),
        "url": reverse("queueing:ticket", args=[ticket.desk_id, ticket.public_id]),
    }


@router.post(
    "/queue/desks/{desk_id}/tickets",
    response={201: TicketOut, 404: Problem, 422: Problem, 429: Problem},
    summary="Take a queue number at a one-stop desk (as at the kiosk; limited per address)",
)
def issue_ticket(request, desk_id: int, data: TicketIn | None = None):
    desk = get_object_or_404(queries.public_desks(), pk=desk_id)
    if issue_limited(request):
        raise Throttled(wait=60)
    field = None
    code = data.field if data else None
    if code:
        field = ProcedureField.objects.filter(code=code).first()
        if field is None:
            raise HttpError(422, _("Choose one of the fields offered at this desk."))
    try:
        ticket = services.issue(desk, field=field)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201, _out(ticket))


@router.get(
    "/queue/desks/{desk_id}/display",
    response={200: BoardOut, 404: Problem},
    summary="What a desk's display shows: numbers being called, at which counter; waiting",
    url_name="queue_display",
)
def display_state(request, desk_id: int):
    return queries.board(get_object_or_404(queries.public_desks(), pk=desk_id))


def _officer(request):
    if request.auth.kind != "staff":
        raise HttpError(403, _("Only the desk's officers call and close queue numbers."))
    return request.auth


@staff_router.post(
    "/queue/desks/{desk_id}/call",
    response={200: TicketOut, 204: None, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Call the oldest waiting number to your counter (204: nobody is waiting)",
)
def call_next(request, desk_id: int, data: CallIn | None = None):
    officer = _officer(request)
    desk = get_scoped_or_404(queries.public_desks(), officer, roles=[Role.DESK_OFFICER], pk=desk_id)
    fields = None
    if data and data.fields is not None:
        fields = list(ProcedureField.objects.filter(code__in=data.fields))
        if len(fields) != len(set(data.fields)):
            raise HttpError(422, _("Choose only fields offered at this desk."))
    try:
        ticket = services.call_next(
            desk, officer=officer, counter=data.counter if data else None, fields=fields
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    if ticket is None:
        return Status(204, None)
    return _out(ticket)


def _act(request, ticket_id: uuid.UUID, operation):
    officer = _officer(request)
    ticket = get_scoped_or_404(
        Ticket.objects.select_related("field"),
        officer,
        roles=[Role.DESK_OFFICER],
        agency_field="desk__agency",
        public_id=ticket_id,
    )
    try:
        ticket = operation(ticket, officer=officer)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _out(ticket)


TICKET_ANSWERS = {200: TicketOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


@staff_router.post(
    "/queue/tickets/{ticket_id}/recall", response=TICKET_ANSWERS, summary="Call a number again"
)
def recall(request, ticket_id: uuid.UUID):
    return _act(request, ticket_id, services.recall)


@staff_router.post(
    "/queue/tickets/{ticket_id}/serve", response=TICKET_ANSWERS, summary="Close a number: served"
)
def serve(request, ticket_id: uuid.UUID):
    return _act(request, ticket_id, services.serve)


@staff_router.post(
    "/queue/tickets/{ticket_id}/no-show",
    response=TICKET_ANSWERS,
    summary="Close a number: the person did not come",
)
def no_show(request, ticket_id: uuid.UUID):
    return _act(request, ticket_id, services.mark_no_show)
