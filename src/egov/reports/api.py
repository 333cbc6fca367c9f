"""Statistics as JSON (public: the same figures the disclosure page shows)."""

import dataclasses
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from egov.core.schemas import IsoDate, Problem
from egov.organizations.models import Agency
from egov.reports import figures, params, satisfaction, tables

router = Router(tags=["statistics"])


class UnitFilter(Schema):
    agency: str | None = Field(None, description="Agency code: this agency and its sub-agencies")
    commune: str | None = Field(None, description="Statistical code of a commune or ward")
    field: str | None = Field(None, description="Field (lĩnh vực) code")


class YearFilter(UnitFilter):
    year: int | None = Field(
        None,
        ge=params.FIRST_YEAR,
        le=9999,
        description="From 2015; default: this year",
    )
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)


class PeriodFilter(UnitFilter):
    start: IsoDate
    end: IsoDate


class Share(Schema):
    count: int
    share: float | None = Field(
        description="Percent of all procedures: the exact ratio (pages and tables round it half up "
        "to two decimals)"
    )


class Procedures(Schema):
    total: int = Field(description="Procedures in force at the end of the period")
    full: Share = Field(description="Full-process online (toàn trình)")
    partial: Share = Field(description="Partly online (một phần)")
    level_3: Share
    level_4: Share
    levels_3_4: Share


class OnlineShare(Schema):
    received: int
    online: int
    share: float | None


class Received(Schema):
    total: int
    online: int
    desk: int
    post: int
    online_share: float | None
    carried_over: int = Field(description="Still in progress from before the period")


class Resolved(Schema):
    total: int
    early: int
    on_time: int
    late: int
    on_time_rate: float | None = Field(description="Early and on time, percent of resolved")


class InProgress(Schema):
    total: int = Field(description="Open at the end of the period")
    overdue: int
    within_time: int


class ClosedOtherwise(Schema):
    refused: int
    withdrawn: int
    apologies: int = Field(description="Apology letters (thư xin lỗi) issued")


class Payments(Schema):
    fees_due: int = Field(description="Received dossiers with fees to pay")
    paid_online: int
    online_rate: float | None


class Postal(Schema):
    received_by_post: int
    returned_by_post: int
    both_ways: int


class Digitisation(Schema):
    digitised: int
    received: int
    rate: float | None


class ScopeOut(Schema):
    agency: str | None
    commune: str | None
    field: str | None


class ReportOut(Schema):
    start: IsoDate
    end: IsoDate
    scope: ScopeOut
    procedures: Procedures
    received: Received
    by_mode: dict[str, OnlineShare] = Field(description="Keys: full, partial")
    by_level: dict[str, OnlineShare] = Field(description="Keys: level_3, level_4, levels_3_4")
    resolved: Resolved
    in_progress: InProgress
    closed_otherwise: ClosedOtherwise
    payments: Payments
    postal: Postal
    digitisation: Digitisation


class AgencyRow(Schema):
    agency: str
    name: str
    received: int
    online: int
    online_share: float | None
    resolved: int
    on_time_rate: float | None
    late: int
    in_progress: int
    overdue: int


class AgencyScore(Schema):
    agency: str
    name: str
    ratings: int
    indicators: dict[str, float | None] = Field(description="Average of each indicator, 0 to 2")
    average: float | None = Field(description="Average total, 0 to 18, one decimal (half up)")
    grade: str


class OnlineServicesRow(Schema):
    label: str
    cells: list[str] = Field(description="The six columns of the Cần Thơ 2018 table")


@contextmanager
def _as_problem():
    try:
        yield
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc


def _period_and_scope(filters: YearFilter):
    with _as_problem():
        start, end = params.period(filters.year, filters.quarter, filters.month)
        scope = params.scope(filters.agency, filters.commune, filters.field)
    return start, end, scope


RESPONSES = {422: Problem}


@router.get(
    "/reports/yearly",
    response={200: ReportOut, **RESPONSES},
    summary="The figures of a year, quarter or month for the city or a unit",
)
def yearly(request, filters: Query[YearFilter]):
    start, end, scope = _period_and_scope(filters)
    return dataclasses.asdict(figures.report(start, end, scope))


@router.get(
    "/reports/period",
    response={200: ReportOut, **RESPONSES},
    summary="The same figures for any range of days",
)
def period(request, filters: Query[PeriodFilter]):
    with _as_problem():
        start, end = params.custom_period(filters.start, filters.end)
        scope = params.scope(filters.agency, filters.commune, filters.field)
    return dataclasses.asdict(figures.report(start, end, scope))


@router.get(
    "/reports/agencies",
    response={200: list[AgencyRow], **RESPONSES},
    summary="The main figures of each agency in the unit (drill-down)",
)
def agencies(request, filters: Query[YearFilter]):
    start, end, scope = _period_and_scope(filters)
    return figures.by_agency(start, end, scope)


@router.get(
    "/reports/satisfaction",
    response={200: list[AgencyScore], **RESPONSES},
    summary="Citizens' satisfaction per agency: the nine indicators and the grade",
)
def agency_satisfaction(request, filters: Query[YearFilter]):
    start, end, scope = _period_and_scope(filters)
    ids = scope.agency_ids(start, end)
    scores, _staff = satisfaction.scores(start.replace(day=1), end.replace(day=1), ids)
    names = dict(Agency.objects.filter(pk__in=[s.id for s in scores]).values_list("pk", "name"))
    codes = dict(Agency.objects.filter(pk__in=[s.id for s in scores]).values_list("pk", "code"))
    return [
        {
            "agency": codes[score.id],
            "name": names[score.id],
            "ratings": score.ratings,
            "indicators": score.indicators,
            "average": score.average,
            "grade": score.grade,
        }
        for score in scores
    ]


@router.get(
    "/reports/online-services",
    response={200: OnlineServicesRow, **RESPONSES},
    summary="Online services at levels 3 and 4, in the layout of the city's yearly table",
)
def online_services(request, filters: Query[YearFilter]):
    start, end, scope = _period_and_scope(filters)
    report = figures.report(start, end, scope)
    return {"label": tables.period_label(start, end), "cells": tables.online_services_cells(report)}
