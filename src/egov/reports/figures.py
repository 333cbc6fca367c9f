"""The figures of a report for a period and a unit, read from the tallies and the catalogue.

A period is a range of local days, both included. Whole months inside it are read from the
monthly tallies and the days at its edges from the daily ones, so a year is twelve buckets per
combination of dimensions whatever the number of dossiers. Stocks (in progress, overdue) are
what was open at the end of a day: everything opened minus everything closed up to it.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum

from egov.catalog.models import Field, Level, OnlineMode
from egov.catalog.search import current_versions
from egov.core import shares
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports.models import (
    AgencyDayTally,
    AgencyMonthTally,
    DayTally,
    MonthTally,
    ReceiptDayTally,
    Tally,
)

MODES = (OnlineMode.FULL, OnlineMode.PARTIAL)
LEVELS = (3, 4)


@dataclass(frozen=True)
class Scope:
    """The unit a report covers: the whole city, an agency (with its sub-agencies), a commune
    (the agencies of that administrative unit) or a field; an agency or commune may be combined
    with a field."""

    agency: Agency | None = None
    commune: AdministrativeUnit | None = None
    field: Field | None = None

    def agency_ids(self, start: datetime.date, end: datetime.date) -> list[int] | None:
        """The agencies in the unit as the organisation tree stood during the period (an agency
        dissolved or merged in the period still answers for what it did before)."""
        if self.agency is None and self.commune is None:
            return None
        agencies = Agency.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )
        if self.agency is not None:
            agencies = agencies.filter(path__startswith=self.agency.path)
        if self.commune is not None:
            agencies = agencies.filter(unit=self.commune)
        return list(agencies.values_list("pk", flat=True))

    def describe(self) -> dict:
        return {
            "agency": self.agency.code if self.agency else None,
            "commune": self.commune.code if self.commune else None,
            "field": self.field.code if self.field else None,
        }


def reading() -> str:
    """The database the statistics read: a replica when REPORTS_DATABASE_URL names one."""
    return settings.EGOV_REPORTS_DATABASE


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _next_month(month: datetime.date) -> datetime.date:
    return _month_end(month) + datetime.timedelta(days=1)


def split(start: datetime.date | None, end: datetime.date):
    """The whole months of [start, end] as (first month, last month) or None, and the ranges
    of days left at its edges."""
    first = None if start is None else (start if start.day == 1 else _next_month(start))
    last = end.replace(day=1) if _month_end(end) == end else None
    if last is None:
        last = (end.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if first is not None and first > last:
        return None, [(start, end)]
    days = []
    if start is not None and start < first:
        days.append((start, first - datetime.timedelta(days=1)))
    if end > _month_end(last):
        days.append((_month_end(last) + datetime.timedelta(days=1), end))
    return (first, last), days


def sums(
    scope_filter: Q,
    start: datetime.date | None,
    end: datetime.date,
    group_by: tuple[str, ...] = (),
    metrics: tuple[str, ...] = Tally.METRICS,
    by_agency: bool = False,
) -> dict[tuple, dict[str, int]]:
    """The metrics summed over [start, end] (from the beginning when start is None), grouped.
    ``by_agency``: from the tallies by agency and online mode only (``AgencyMonthTally``,
    ``AgencyDayTally``: a tenth of the rows or less), for a filter and a grouping on those."""
    months, days = split(start, end)
    month_model: type[models.Model] = AgencyMonthTally if by_agency else MonthTally
    day_model: type[models.Model] = AgencyDayTally if by_agency else DayTally
    queries = []
    if months is not None:
        first, last = months
        month_filter = Q(month__lte=last) if first is None else Q(month__range=(first, last))
        queries.append(
            month_model._default_manager.using(reading()).filter(scope_filter, month_filter)
        )
    for since, until in days:
        queries.append(
            day_model._default_manager.using(reading()).filter(
                scope_filter, day__range=(since, until)
            )
        )
    totals: dict[tuple, dict[str, int]] = {}
    aggregates = {name: Sum(name) for name in metrics}
    for query in queries:
        if group_by:
            rows = query.values(*group_by).annotate(**aggregates).order_by()
        else:
            rows = [query.aggregate(**aggregates)]
        for row in rows:
            current = totals.setdefault(tuple(row[g] for g in group_by), dict.fromkeys(metrics, 0))
            for name in metrics:
                current[name] += row[name] or 0
    return totals


def _rate(part: int, whole: int) -> Decimal | None:
    return shares.share(part, whole)


def _received(row: dict) -> int:
    return row["received_online"] + row["received_desk"] + row["received_post"]


def procedures(scope: Scope, end: datetime.date, agency_ids: list[int] | None) -> dict:
    """Procedures in force at the end of the period, by online mode and legacy level."""
    versions = current_versions(end).using(reading())
    if scope.field is not None:
        versions = versions.filter(field=scope.field)
    if agency_ids is not None:
        serves = Q(deciding_agency_id__in=agency_ids) | Q(receiving_agencies__in=agency_ids)
        if scope.commune is not None:
            serves |= Q(level=Level.COMMUNE, deciding_agency__isnull=True)
        versions = versions.filter(
            pk__in=versions.filter(serves).values("pk")
        )  # distinct without DISTINCT
    counts = versions.aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(online_mode=OnlineMode.FULL)),
        partial=Count("pk", filter=Q(online_mode=OnlineMode.PARTIAL)),
        level_3=Count("pk", filter=Q(legacy_service_level=3)),
        level_4=Count("pk", filter=Q(legacy_service_level=4)),
    )
    total = counts["total"]
    result = {"total": total}
    for name in ("full", "partial", "level_3", "level_4"):
        result[name] = {"count": counts[name], "share": _rate(counts[name], total)}
    both = counts["level_3"] + counts["level_4"]
    result["levels_3_4"] = {"count": both, "share": _rate(both, total)}
    return result


def _online_share(row: dict) -> dict:
    received = _received(row)
    return {
        "received": received,
        "online": row["received_online"],
        "share": _rate(row["received_online"], received),
    }


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    scope: dict
    procedures: dict
    received: dict
    by_mode: dict
    by_level: dict
    resolved: dict
    in_progress: dict
    closed_otherwise: dict
    payments: dict
    postal: dict
    digitisation: dict
    totals: dict = field(default_factory=dict)  # the unit's line of the dossiers table


def scope_filter(scope: Scope, agency_ids: list[int] | None) -> Q:
    condition = Q()
    if agency_ids is not None:
        condition &= Q(agency_id__in=agency_ids)
    if scope.field is not None:
        condition &= Q(field_id=scope.field.pk)
    return condition


def stock(
    condition: Q, day: datetime.date, group_by: tuple[str, ...] = (), by_agency: bool = False
) -> dict[tuple, dict]:
    """Open and overdue at the end of ``day``."""
    rows = sums(
        condition,
        None,
        day,
        group_by,
        ("opened", "closed", "overdue_opened", "overdue_closed"),
        by_agency=by_agency,
    )
    return {
        key: {
            "open": row["opened"] - row["closed"],
            "overdue": row["overdue_opened"] - row["overdue_closed"],
        }
        for key, row in rows.items()
    }


def report(start: datetime.date, end: datetime.date, scope: Scope | None = None) -> Report:
    scope = scope or Scope()
    agency_ids = scope.agency_ids(start, end)
    condition = scope_filter(scope, agency_ids)
    zero = dict.fromkeys(Tally.METRICS, 0)
    grouped = sums(condition, start, end, ("online_mode", "legacy_level"))
    total = dict(zero)
    by_mode = {mode: dict(zero) for mode in MODES}
    by_level = {level: dict(zero) for level in LEVELS}
    for (mode, level), row in grouped.items():
        for name, value in row.items():
            total[name] += value
            if mode in by_mode:
                by_mode[mode][name] += value
            if level in by_level:
                by_level[level][name] += value
    levels_3_4 = {name: by_level[3][name] + by_level[4][name] for name in Tally.METRICS}
    empty = {"open": 0, "overdue": 0}
    before = stock(condition, start - datetime.timedelta(days=1)).get((), empty)
    after = stock(condition, end).get((), empty)
    totals = line(total, before, after)
    received = totals["received"]
    return Report(
        start=start,
        end=end,
        scope=scope.describe(),
        procedures=procedures(scope, end, agency_ids),
        received={
            "total": received,
            **{name: totals[name] for name in ("online", "desk", "post", "online_share")},
            "carried_over": totals["carried_over"],
        },
        by_mode={mode.value: _online_share(row) for mode, row in by_mode.items()},
        by_level={
            "level_3": _online_share(by_level[3]),
            "level_4": _online_share(by_level[4]),
            "levels_3_4": _online_share(levels_3_4),
        },
        resolved={
            "total": totals["resolved"],
            **{name: totals[name] for name in ("early", "on_time", "late", "on_time_rate")},
        },
        in_progress={
            "total": totals["in_progress"],
            "overdue": totals["overdue"],
            "within_time": totals["in_progress"] - totals["overdue"],
        },
        closed_otherwise={name: totals[name] for name in ("refused", "withdrawn", "apologies")},
        totals=totals,
        payments={
            "fees_due": total["fees_due"],
            "paid_online": total["paid_online"],
            "online_rate": _rate(total["paid_online"], total["fees_due"]),
        },
        postal={
            "received_by_post": total["came_by_post"],
            "returned_by_post": total["sent_by_post"],
            "both_ways": total["sent_by_post_both_ways"],
        },
        digitisation={
            "digitised": total["digitised"],
            "received": received,
            "rate": _rate(total["digitised"], received),
        },
    )


def line(row: dict, before: dict, after: dict) -> dict:
    """One line of the dossiers table (an agency's, or the unit's total): the period's sums
    ``row``, and what was open before the period and at its end."""
    resolved = row["resolved_early"] + row["resolved_on_time"] + row["resolved_late"]
    received = _received(row)
    return {
        "received": received,
        "online": row["received_online"],
        "desk": row["received_desk"],
        "post": row["received_post"],
        "online_share": _rate(row["received_online"], received),
        "carried_over": before["open"],
        "resolved": resolved,
        "early": row["resolved_early"],
        "on_time": row["resolved_on_time"],
        "late": row["resolved_late"],
        "on_time_rate": _rate(row["resolved_early"] + row["resolved_on_time"], resolved),
        "in_progress": after["open"],
        "overdue": after["overdue"],
        "refused": row["refused"],
        "withdrawn": row["withdrawn"],
        "apologies": row["apologies"],
    }


def by_agency(start: datetime.date, end: datetime.date, scope: Scope | None = None) -> list[dict]:
    """The figures of each agency in the unit, for the drill-down tables."""
    scope = scope or Scope()
    agency_ids = scope.agency_ids(start, end)
    condition = scope_filter(scope, agency_ids)
    period = sums(condition, start, end, ("agency_id",))
    before = stock(condition, start - datetime.timedelta(days=1), ("agency_id",))
    after = stock(condition, end, ("agency_id",))
    ids = {key[0] for key in period} | {key[0] for key, row in after.items() if row["open"]}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids).only("code", "name")}
    empty = {"open": 0, "overdue": 0}
    rows = []
    for pk in ids:
        agency = agencies.get(pk)
        rows.append(
            {
                "agency": agency.code if agency else "",
                "id": pk,
                "name": agency.name if agency else "",
                **line(
                    period.get((pk,), dict.fromkeys(Tally.METRICS, 0)),
                    before.get((pk,), empty),
                    after.get((pk,), empty),
                ),
            }
        )
    rows.sort(key=lambda row: (-row["received"], row["name"]))
    return rows


def by_receiving_desk(start: datetime.date, end: datetime.date, scope: Scope) -> list[dict]:
    """What each receiving desk received in the period, and how much of it for other agencies
    (a Public Administration Service Centre receiving regardless of administrative boundary,
    Nghị định 118/2025/NĐ-CP). For a unit: the desks in it. The tally has no field, so a
    report for a field has no such rows."""
    if scope.field is not None:
        return []
    tallies = ReceiptDayTally.objects.using(reading()).filter(day__range=(start, end))
    ids = scope.agency_ids(start, end)
    if ids is not None:
        tallies = tallies.filter(receiving_agency_id__in=ids)
    rows = (
        tallies.values("receiving_agency_id", "agency_id")
        .annotate(**{name: Sum(name) for name in ReceiptDayTally.METRICS})
        .order_by()
    )
    desks: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        desks.setdefault(row["receiving_agency_id"], []).append(dict(row))
    agencies = Agency.objects.using(reading()).in_bulk(list(desks))
    result = []
    for desk_id, pairs in desks.items():
        desk = agencies.get(desk_id)
        own: set[int | None] = {desk_id}
        if desk is not None and desk.kind == Agency.Kind.COMMUNE_SERVICE_CENTRE:
            own.add(desk.parent_id)  # its People's Committee's dossiers are its own
        entry: dict[str, Any] = {
            "id": desk_id,
            "name": desk.name if desk else str(desk_id),
            "service_centre": bool(desk and desk.is_service_centre),
            "received": 0,
            "for_others": 0,
            "online": 0,
            "desk": 0,
            "post": 0,
            "agencies_served": 0,
        }
        for pair in pairs:
            total = _received(pair)
            entry["received"] += total
            if pair["agency_id"] not in own and total:
                entry["for_others"] += total
                entry["agencies_served"] += 1
                entry["online"] += pair["received_online"]
                entry["desk"] += pair["received_desk"]
                entry["post"] += pair["received_post"]
        if entry["service_centre"] or entry["for_others"]:
            result.append(entry)
    result.sort(key=lambda entry: (-entry["for_others"], entry["name"]))
    return result
