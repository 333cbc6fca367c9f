"""The documents API for the agencies' other systems: search the registers, read a document
with its recipients' statuses, download its signed file, register an arrived document. The same
services and scoping as the pages: another agency's document is a 404."""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts import scoping
from egov.accounts.models import User
from egov.accounts.tokens import TokenAuth
from egov.core.problems import problem
from egov.core.schemas import IsoDate, Problem
from egov.documents import delivery, incoming, search
from egov.documents.models import OfficialDocument

router = Router(tags=["official documents"], auth=[TokenAuth(), django_auth])
MAX_PAGE = 100


class DocumentOut(Schema):
    id: uuid.UUID
    direction: str
    state: str
    agency: str
    agency_code: str
    document_type: str
    reference: str
    number: int | None
    year: int | None
    subject: str
    document_date: IsoDate | None
    urgency: str
    sender: str
    exchange_id: str


class RecipientOut(Schema):
    name: str
    kind: str
    code: str
    status: str
    status_label: str
    status_at: datetime.datetime | None


class DetailOut(DocumentOut):
    recipients: list[RecipientOut]
    handling_due: datetime.datetime | None
    has_signed_file: bool


class SearchPage(Schema):
    count: int = Field(description="How many match, counted up to 1001 (then `more` is true)")
    more: bool = Field(False, description="More than 1000 match: narrow the search")
    items: list[DocumentOut]


class SearchQuery(Schema):
    q: str = ""
    direction: Literal["in", "out", ""] | None = Field(
        None, description="in: incoming (văn bản đến), out: outgoing (văn bản đi), empty: both"
    )
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    page: int = Field(1, description="Pages of 100; past 1,000 matches only the first ten")


def _staff(request) -> User:
    if request.auth.kind != User.Kind.STAFF:
        raise HttpError(403, _("Only staff accounts use this part of the API."))
    return request.auth


def _out(document: OfficialDocument) -> dict:
    return {
        "id": document.public_id,
        "direction": document.direction,
        "state": document.state,
        "agency": document.agency.name,
        "agency_code": document.agency.code,
        "document_type": document.document_type,
        "reference": document.reference,
        "number": document.number,
        "year": document.year,
        "subject": document.subject,
        "document_date": document.document_date,
        "urgency": document.urgency,
        "sender": document.sender_name,
        "exchange_id": document.exchange_id,
    }


def _get(request, document_id) -> OfficialDocument:
    return scoping.get_scoped_or_404(
        OfficialDocument.objects.select_related("agency"), _staff(request), public_id=document_id
    )


@router.get(
    "/documents",
    response={200: SearchPage, 401: Problem, 403: Problem, 422: Problem},
    summary="Search the registers (number, notation, subject, sender; accent-free)",
)
def search_documents(request, query: Query[SearchQuery]):
    # Counted up to the cap, as on the search page: a common word matches much of a city's
    # registers, and counting every match cost more than finding the page.
    paginator = search.paginator(
        _staff(request),
        query.q,
        MAX_PAGE,
        direction=query.direction or None,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    try:
        items = list(paginator.page(max(query.page, 1)))
    except EmptyPage:
        items = []
    return {"count": paginator.count, "more": paginator.capped, "items": [_out(d) for d in items]}


@router.get(
    "/documents/{document_id}",
    response={200: DetailOut, 401: Problem, 403: Problem, 404: Problem},
    summary="One document, with its recipients' statuses (QCVN 102:2016 codes)",
)
def get_document(request, document_id: uuid.UUID):
    document = _get(request, document_id)
    return {
        **_out(document),
        "recipients": [
            {
                "name": r.name,
                "kind": r.kind,
                "code": r.organ_code,
                "status": r.status,
                "status_label": r.get_status_display() if r.status else "",
                "status_at": r.status_at,
            }
            for r in document.recipients.all()
        ],
        "handling_due": document.handling_due,
        "has_signed_file": delivery.signed_file(document) is not None,
    }


@router.get(
    "/documents/{document_id}/file",
    response={200: None, 401: Problem, 403: Problem, 404: Problem},
    summary="The signed PDF (or the file as received, or the scan)",
)
def get_file(request, document_id: uuid.UUID):
    item = delivery.signed_file(_get(request, document_id))
    if item is None:
        return problem(request, 404, _("Not found"), _("This document has no file yet."))
    return FileResponse(item.content.open("rb"), filename=item.name, content_type=item.mime)


@router.post(
    "/documents/{document_id}/register",
    response={200: DetailOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary="Register an arrived document in the incoming register (status 03 to the sender)",
)
def register_document(request, document_id: uuid.UUID):
    document = _get(request, document_id)
    try:
        incoming.register(document, actor=request.auth)
    except PermissionDenied:
        return problem(
            request,
            403,
            _("Not allowed"),
            _("Only the agency's clerk registers incoming documents."),
        )
    except ValidationError as exc:
        return problem(request, 409, _("Not possible now"), " ".join(exc.messages))
    return get_document(request, document_id)
