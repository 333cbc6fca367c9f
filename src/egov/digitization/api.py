"""The digitisation API: the figures for staff systems, the store for the citizen's apps."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.core.schemas import IsoDate, Problem
from egov.digitization import figures, services
from egov.dossiers import processing

router = Router(tags=["digitisation"], auth=[TokenAuth(), django_auth])


class FiguresOut(Schema):
    agency: str
    dossiers: int
    dossiers_digitised: int
    dossiers_digitised_share: Decimal | None
    dossiers_reusing: int
    dossiers_reusing_share: Decimal | None
    results: int
    results_digitised: int
    results_digitised_share: Decimal | None
    papers: int
    papers_reused: int
    papers_reused_share: Decimal | None


class FiguresPage(Schema):
    start: datetime.date
    end: datetime.date
    agencies: list[FiguresOut]
    total: FiguresOut


class Period(Schema):
    start: IsoDate
    end: IsoDate


class PaperOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    number: str
    issuer: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    source: str
    signed: bool
    dossier: str | None
    used_in: list[str]


def _out(row: figures.Figures) -> FiguresOut:
    return FiguresOut(
        agency=row.agency_name,
        dossiers=row.dossiers,
        dossiers_digitised=row.dossiers_digitised,
        dossiers_digitised_share=row.shares["dossiers_digitised"],
        dossiers_reusing=row.dossiers_reusing,
        dossiers_reusing_share=row.shares["dossiers_reusing"],
        results=row.results,
        results_digitised=row.results_digitised,
        results_digitised_share=row.shares["results_digitised"],
        papers=row.papers,
        papers_reused=row.papers_reused,
        papers_reused_share=row.shares["papers_reused"],
    )


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # the user, from either authentication


@router.get(
    "/digitization/figures",
    response={200: FiguresPage, 403: Problem, 422: Problem},
    summary="Digitisation figures per receiving agency (QĐ 766)",
)
def digitisation_figures(request: HttpRequest, period: Query[Period]) -> FiguresPage:
    """Shares of dossiers digitised, results digitised and papers reused, per receiving agency
    in the caller's scope, from ``start`` to ``end`` (inclusive)."""
    user = _user(request)
    if user.kind != "staff":
        raise HttpError(403, _("Only staff read the digitisation figures."))
    if period.start > period.end:
        raise HttpError(422, _("The period must not end before it starts."))
    ids = processing.StaffScope(user).ids(processing.STAFF_ROLES)
    if ids == []:
        raise HttpError(403, _("You hold no role in an agency that receives dossiers."))
    rows = figures.by_agency(period.start, period.end, ids)
    return FiguresPage(
        start=period.start,
        end=period.end,
        agencies=[_out(row) for row in rows],
        total=_out(figures.totals(period.start, period.end, ids)),
    )


@router.get(
    "/me/papers",
    response={200: list[PaperOut], 403: Problem},
    summary="The citizen's store of papers",
)
def my_papers(request: HttpRequest) -> list[PaperOut]:
    """The signed-in citizen's papers and results, newest first (at most 200)."""
    user = _user(request)
    if user.kind != "citizen":
        raise HttpError(403, _("Only citizens have a store of papers."))
    papers = list(services.store(user).select_related("dossier")[:200])
    used = services.where_used(papers)
    return [
        PaperOut(
            id=paper.public_id,
            kind=paper.kind,
            name=paper.kind_name,
            number=paper.number,
            issuer=paper.issuer,
            issued_on=paper.issued_on,
            expires_on=paper.expires_on,
            source=paper.source,
            signed=paper.signed,
            dossier=paper.dossier.code if paper.dossier else None,
            used_in=used[paper.pk],
        )
        for paper in papers
    ]
