"""The service index as JSON, read-only, for staff (a personal access token or the staff site's
session): the same scoping as the pages, so a department's leader reads their department and
another department's index is a 404; city leaders read every unit."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.core.schemas import IsoDate, Problem
from egov.indicators import access, dashboard, index
from egov.indicators.index import Index, Result
from egov.reports import params
from egov.reports.figures import Scope

router = Router(tags=["service index"], auth=[TokenAuth(), django_auth])


class IndexFilter(Schema):
    year: int | None = Field(
        None, ge=params.FIRST_YEAR, le=9999, description="From 2015; default: this year"
    )
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)
    agency: str | None = Field(None, max_length=30, description="Agency code")
    commune: str | None = Field(None, max_length=10, description="Statistical code of a commune")


class InputOut(Schema):
    label: str
    value: int


class EntryOut(Schema):
    source: str
    entered_by: str | None
    entered_at: datetime.datetime


class IndicatorOut(Schema):
    code: str
    number: str = Field(description="Its number in the index, e.g. 2.1")
    name: str
    weight: Decimal
    status: str = Field(description="measured, entered or not_measured (never a made-up 0)")
    rate: Decimal | None = Field(description="Percent, exact")
    points: Decimal | None = Field(description="None when not measured yet")
    inputs: list[InputOut] = Field(description="The counts the rate comes from")
    entry: EntryOut | None = Field(description="The entered figure's source, when entered")
    formula: str
    source: str = Field(description="Legal source")


class GroupOut(Schema):
    code: str
    name: str
    weight: int
    points: Decimal | None
    scored_weight: Decimal = Field(description="Weight of the indicators that have points")
    indicators: list[IndicatorOut]


class IndexOut(Schema):
    start: IsoDate
    end: IsoDate
    agency: str | None
    commune: str | None
    points: Decimal | None
    scored_weight: Decimal
    groups: list[GroupOut]


class RankOut(Schema):
    rank: int | None = Field(description="None when the unit has no points yet")
    code: str
    name: str
    points: Decimal | None
    scored_weight: Decimal
    previous: Decimal | None = Field(description="Points in the previous month, quarter or year")
    change: Decimal | None


class RankingOut(Schema):
    start: IsoDate
    end: IsoDate
    agencies: list[RankOut]
    communes: list[RankOut]


RESPONSES = {403: Problem, 404: Problem, 422: Problem}


def _choice(
    request: HttpRequest, filters: IndexFilter
) -> tuple[datetime.date, datetime.date, Scope, dict]:
    if getattr(request.user, "kind", "") != "staff":
        raise HttpError(403, _("The service index is for staff."))
    try:
        allowed = access.allowed_agencies(request.user)
    except PermissionDenied as exc:
        raise HttpError(403, _("Your roles do not cover any agency's index.")) from exc
    try:
        start, end = params.period(filters.year, filters.quarter, filters.month)
        scope = params.scope(filters.agency, filters.commune)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    if scope.agency is not None and scope.commune is not None:
        raise HttpError(422, _("Choose an agency or a commune, not both."))
    if allowed is not None and scope.agency is None and scope.commune is None:
        scope = Scope(agency=access.default_agency(allowed))
    if not access.may_see(scope, allowed, start, end):
        raise Http404
    year = filters.year or start.year
    return start, end, scope, {"allowed": allowed, "year": year}


def _result(result: Result) -> dict:
    entry = result.entry
    return {
        "code": result.indicator.code,
        "number": result.indicator.number,
        "name": str(result.indicator.name),
        "weight": result.indicator.weight,
        "status": result.status,
        "rate": result.rate,
        "points": result.points,
        "inputs": [{"label": str(label), "value": value} for label, value in result.inputs],
        "entry": {
            "source": entry.source,
            "entered_by": entry.entered_by.get_username() if entry.entered_by else None,
            "entered_at": entry.entered_at,
        }
        if entry is not None
        else None,
        "formula": str(result.indicator.formula),
        "source": result.indicator.source,
    }


def serialise(computed: Index) -> dict:
    return {
        "start": computed.start,
        "end": computed.end,
        "agency": computed.scope.agency.code if computed.scope.agency else None,
        "commune": computed.scope.commune.code if computed.scope.commune else None,
        "points": computed.points,
        "scored_weight": computed.scored_weight,
        "groups": [
            {
                "code": group.group.code,
                "name": str(group.group.name),
                "weight": group.group.weight,
                "points": group.points,
                "scored_weight": group.scored_weight,
                "indicators": [_result(result) for result in group.results],
            }
            for group in computed.groups
        ],
    }


@router.get(
    "/indicators",
    response={200: IndexOut, **RESPONSES},
    summary="The QĐ 766 service index of a month, quarter or year for the city, an agency or "
    "a commune",
)
def index_of(request: HttpRequest, filters: Query[IndexFilter]) -> dict:
    start, end, scope, _extra = _choice(request, filters)
    return serialise(index.compute(start, end, scope))


@router.get(
    "/indicators/ranking",
    response={200: RankingOut, **RESPONSES},
    summary="Agencies and communes ranked by their points, with the change against the "
    "previous period",
)
def ranking(request: HttpRequest, filters: Query[IndexFilter]) -> dict:
    start, end, _scope, extra = _choice(request, filters)
    try:
        before = params.period(**index.previous(extra["year"], filters.quarter, filters.month))
    except ValidationError:
        before = None
    rows = index.ranking(start, end, extra["allowed"], before)

    def rank(row: index.RankRow) -> dict:
        return {
            "rank": row.rank or None,
            "code": row.code,
            "name": row.name,
            "points": row.points,
            "scored_weight": row.scored_weight,
            "previous": row.previous,
            "change": row.change,
        }

    return {
        "start": start,
        "end": end,
        "agencies": [rank(row) for row in rows["agencies"]],
        "communes": [rank(row) for row in rows["communes"]],
    }


class DashboardLineOut(Schema):
    code: str
    name: str
    received: int = Field(description="Received today")
    returned: int = Field(description="Results returned today")
    open: int
    on_time: int
    due_soon: int = Field(description="Due within one working day")
    overdue: int
    overdue_share: str | None = Field(description="Percent of the open ones, one decimal")


class QueueOut(Schema):
    desk: str
    agency: str
    waiting: int
    served: int
    average_wait_minutes: int | None


class DashboardOut(Schema):
    day: IsoDate
    at: datetime.datetime
    total: DashboardLineOut
    agencies: list[DashboardLineOut]
    communes: list[DashboardLineOut]
    queues: list[QueueOut]
    payments: dict[str, int] = Field(description="count, amount (VND) and online, today")
    notifications_failing: int = Field(description="Failed in the last 24 hours")
    citizen_reports: dict[str, int] = Field(description="open, and overdue among them")
    documents_awaiting_direction: int


@router.get(
    "/indicators/dashboard",
    response={200: DashboardOut, 403: Problem},
    summary="The operations dashboard's figures of today (a department's leader: their "
    "department; a city leader: the city)",
)
def dashboard_of(request: HttpRequest) -> dict:
    if getattr(request.user, "kind", "") != "staff":
        raise HttpError(403, _("The operations dashboard is for leaders."))
    try:
        allowed = access.dashboard_agencies(request.user)
    except PermissionDenied as exc:
        raise HttpError(403, _("The operations dashboard is for leaders.")) from exc
    board = dashboard.board(allowed)
    return {**board.as_dict(), "day": board.day, "at": board.at}
