"""The index of a period and a unit (the city, an agency or a commune), the previous period's, and
the ranking of agencies and communes: each indicator measured from the platform's data, taken
from a figure an administrator entered, or "not measured yet" (never a made-up 0)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from egov.indicators.definitions import GROUPS, INDICATORS, Group, Indicator, Measure
from egov.indicators.models import EnteredFigure
from egov.indicators.readings import Readings, Unit
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports.figures import Scope

MEASURED = "measured"
ENTERED = "entered"
NOT_MEASURED = "not_measured"
# Departments, boards and sector agencies: the agencies a city ranks beside its communes.
T = TypeVar("T", bound=Model)
RANKED_KINDS = (Agency.Kind.DEPARTMENT, Agency.Kind.BOARD, Agency.Kind.SECTOR)


@dataclass
class Result:
    indicator: Indicator
    status: str
    rate: Decimal | None = None
    points: Decimal | None = None
    inputs: list = field(default_factory=list)
    drill: str = ""
    entry: EnteredFigure | None = None

    @property
    def has_points(self) -> bool:
        return self.points is not None


@dataclass
class GroupResult:
    group: Group
    results: list[Result]

    @property
    def points(self) -> Decimal | None:
        known = [r.points for r in self.results if r.points is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def scored_weight(self) -> Decimal:
        """The weight of the indicators that have points: what ``points`` is out of."""
        return sum((r.indicator.weight for r in self.results if r.has_points), Decimal(0))


@dataclass
class Index:
    start: datetime.date
    end: datetime.date
    scope: Scope
    groups: list[GroupResult]

    @property
    def results(self) -> list[Result]:
        return [result for group in self.groups for result in group.results]

    @property
    def points(self) -> Decimal | None:
        known = [r.points for r in self.results if r.points is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def scored_weight(self) -> Decimal:
        return sum((group.scored_weight for group in self.groups), Decimal(0))

    @property
    def missing(self) -> list[Result]:
        return [r for r in self.results if r.status == NOT_MEASURED]


def entries(start: datetime.date, end: datetime.date, scope: Scope) -> dict[str, EnteredFigure]:
    """The newest figure entered for each indicator for exactly this period and unit."""
    figures = EnteredFigure.objects.filter(
        start=start,
        end=end,
        agency=scope.agency,
        commune=scope.commune,
    ).select_related("entered_by")
    newest: dict[str, EnteredFigure] = {}
    for entry in figures.order_by("entered_at", "pk"):
        newest[entry.indicator] = entry
    return newest


def entries_history(
    code: str, start: datetime.date, end: datetime.date, scope: Scope
) -> list[EnteredFigure]:
    """Every figure entered for this indicator, period and unit, newest first."""
    return list(
        EnteredFigure.objects.filter(
            indicator=code, start=start, end=end, agency=scope.agency, commune=scope.commune
        )
        .select_related("entered_by")
        .order_by("-entered_at", "-pk")
    )


def result(indicator: Indicator, unit: Unit, entry: EnteredFigure | None) -> Result:
    measure: Measure | None = None
    if indicator.measure is not None:
        measure = indicator.measure(unit)
    if measure is not None:
        points = indicator.points(measure.rate)
        if measure.rate is None and measure.full_when_empty:
            points = indicator.weight
        return Result(indicator, MEASURED, measure.rate, points, measure.inputs, measure.drill)
    if entry is not None:
        return Result(indicator, ENTERED, entry.rate, indicator.points(entry.rate), entry=entry)
    return Result(indicator, NOT_MEASURED)


def compute(
    start: datetime.date,
    end: datetime.date,
    scope: Scope | None = None,
    readings: Readings | None = None,
    entered: dict[str, EnteredFigure] | None = None,
) -> Index:
    """The index of one unit; a ranking passes the period's ``readings`` and ``entered``
    figures it read once for every unit."""
    scope = scope or Scope()
    unit = Unit(start, end, scope, readings)
    if entered is None:
        entered = entries(start, end, scope)
    groups = []
    for group in GROUPS:
        results = [
            result(indicator, unit, entered.get(indicator.code))
            for indicator in INDICATORS
            if indicator.group == group.code
        ]
        groups.append(GroupResult(group, results))
    return Index(start, end, scope, groups)


def previous(year: int, quarter: int | None, month: int | None) -> dict[str, int | None]:
    """The month, quarter or year before the one chosen."""
    if month:
        return {
            "year": year - (month == 1),
            "quarter": None,
            "month": 12 if month == 1 else month - 1,
        }
    if quarter:
        return {
            "year": year - (quarter == 1),
            "quarter": 4 if quarter == 1 else quarter - 1,
            "month": None,
        }
    return {"year": year - 1, "quarter": None, "month": None}


def _in_period(queryset: QuerySet[T], start: datetime.date, end: datetime.date) -> QuerySet[T]:
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )


def ranked_agencies(
    start: datetime.date, end: datetime.date, allowed: list[int] | None = None
) -> list[Agency]:
    agencies = _in_period(Agency.objects.filter(kind__in=RANKED_KINDS), start, end)
    if allowed is not None:
        agencies = agencies.filter(pk__in=allowed)
    return list(agencies.order_by("code"))


def ranked_communes(start: datetime.date, end: datetime.date) -> list[AdministrativeUnit]:
    """The communes and wards of the organisation tree of the period: those merged during it
    appear beside the commune that took them over, each for what its agencies did."""
    units = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
    return list(_in_period(units, start, end).order_by("code"))


@dataclass
class RankRow:
    kind: str  # "agency" or "commune"
    code: str
    name: str
    points: Decimal | None
    scored_weight: Decimal
    previous: Decimal | None
    rank: int = 0

    @property
    def change(self) -> Decimal | None:
        if self.points is None or self.previous is None:
            return None
        return self.points - self.previous


@dataclass
class Period:
    """What a ranking reads once for a period: the agencies' readings and the figures entered
    for any unit."""

    start: datetime.date
    end: datetime.date
    readings: Readings
    entered: dict[tuple[int | None, int | None], dict[str, EnteredFigure]]

    @classmethod
    def read(cls, start: datetime.date, end: datetime.date, allowed: list[int] | None) -> "Period":
        entered: dict[tuple[int | None, int | None], dict[str, EnteredFigure]] = {}
        figures = EnteredFigure.objects.filter(start=start, end=end).select_related("entered_by")
        for entry in figures.order_by("entered_at", "pk"):
            entered.setdefault((entry.agency_id, entry.commune_id), {})[entry.indicator] = entry
        return cls(start, end, Readings(start, end, allowed), entered)

    def points(self, scope: Scope) -> tuple[Decimal | None, Decimal]:
        key = (
            scope.agency.pk if scope.agency else None,
            scope.commune.pk if scope.commune else None,
        )
        computed = compute(self.start, self.end, scope, self.readings, self.entered.get(key, {}))
        return computed.points, computed.scored_weight


def ranking(
    start: datetime.date,
    end: datetime.date,
    allowed: list[int] | None = None,
    before: tuple[datetime.date, datetime.date] | None = None,
) -> dict[str, list[RankRow]]:
    """Agencies and communes by points, highest first (those without points last), each with
    its points in ``before`` (the previous period) and the change."""
    now = Period.read(start, end, allowed)
    earlier = Period.read(*before, allowed) if before else None
    units: list[tuple[str, str, str, Scope]] = [
        ("agencies", agency.code, agency.name, Scope(agency=agency))
        for agency in ranked_agencies(start, end, allowed)
    ]
    if allowed is None:
        units += [
            ("communes", commune.code, commune.name, Scope(commune=commune))
            for commune in ranked_communes(start, end)
        ]
    rows: dict[str, list[RankRow]] = {"agencies": [], "communes": []}
    for kind, code, name, scope in units:
        points, weight = now.points(scope)
        previous_points = earlier.points(scope)[0] if earlier is not None else None
        rows[kind].append(RankRow(kind, code, name, points, weight, previous_points))
    for listed in rows.values():
        listed.sort(key=lambda row: (row.points is None, -(row.points or 0), row.name))
        for position, row in enumerate(listed, start=1):
            row.rank = position if row.points is not None else 0
    return rows


def unit_label(scope: Scope) -> str:
    if scope.agency is not None:
        return scope.agency.name
    if scope.commune is not None:
        return scope.commune.name
    return _("The whole city")
