"""The staffing report's counts per agency, kept beside the stored states.

Counting every state of the city for each report took 60–100 ms of PostgreSQL at 30,000 people
(29 filtered counts over every row; docs/personnel.md), so the counts of each agency are kept in
``StaffingCount`` and counted again only where something changed:

- every write of states marks the agencies it touched (before and after) stale, in the writer's
  transaction (:func:`mark_stale`), so a committed change is never read as counted;
- the report counts the stale rows of its scope again before reading (:func:`counts_by_agency`),
  and every row once a day (the age bands move with the day) or when the report's columns change.

The stale rows are locked *before* they are counted: a state committed while another request
counts waits for that count's commit and then marks the row stale again, instead of being
overwritten by counts that never saw it.
"""

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from egov.personnel.models import ACTIVE_STATUSES, CurrentState, StaffingCount


class Counted(Protocol):
    key: str
    condition: Q | None


def mark_stale(agency_ids: Iterable[int | None]) -> None:
    """The counts of these agencies are to be made again (call inside the writer's transaction)."""
    ids = sorted({pk for pk in agency_ids if pk})
    if not ids:
        return
    StaffingCount.objects.bulk_create(
        [StaffingCount(agency_id=pk) for pk in ids], ignore_conflicts=True
    )
    StaffingCount.objects.filter(agency_id__in=ids).exclude(counted_on=None).update(counted_on=None)


def mark_all_stale() -> None:
    """Every agency with a stored state (after a bulk write that did not say which)."""
    mark_stale(CurrentState.objects.values_list("agency_id", flat=True).distinct())


# The people in service of each minority ethnic group, kept beside the columns' counts under
# this prefix and the group's name: the report shows a column for each group present.
GROUP = "ethnicity:"


def layout_of(columns: Sequence[Counted]) -> str:
    keys = [*(c.key for c in columns), GROUP]
    return hashlib.sha256("|".join(keys).encode()).hexdigest()


def counts_by_agency(
    rows: QuerySet[StaffingCount], day: datetime.date, columns: Sequence[Counted]
) -> dict[int, dict[str, int]]:
    """The counts of the agencies of ``rows`` (already scoped) as of ``day``, counting again the
    rows that are stale, of another day or of another layout."""
    layout = layout_of(columns)
    current = Q(counted_on=day, layout=layout)
    stale = list(rows.exclude(current).values_list("agency_id", flat=True))
    if stale:
        _count_again(stale, day, columns, layout)
    return {
        agency_id: counts
        for agency_id, counts in rows.values_list("agency_id", "counts")
        if counts.get("total")
    }


def _count_again(
    agency_ids: list[int], day: datetime.date, columns: Sequence[Counted], layout: str
) -> None:
    with transaction.atomic():
        locked = list(
            StaffingCount.objects.select_for_update()
            .filter(agency_id__in=agency_ids)
            .exclude(counted_on=day, layout=layout)
            .order_by("agency_id")
            .values_list("agency_id", flat=True)
        )
        if not locked:
            return  # another request counted them meanwhile
        aggregates = {
            c.key: Count("pk", filter=c.condition) for c in columns if c.condition is not None
        }
        found: dict[int, dict[str, Any]] = {}
        for row in (
            CurrentState.objects.filter(status__in=ACTIVE_STATUSES, agency_id__in=locked)
            .values("agency")
            .annotate(**aggregates)
            .order_by()
        ):
            found[row["agency"]] = {k: v for k, v in row.items() if k != "agency"}
        for row in (
            CurrentState.objects.filter(
                status__in=ACTIVE_STATUSES, agency_id__in=locked, minority=True
            )
            .values("agency", "ethnicity")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            found[row["agency"]][GROUP + row["ethnicity"]] = row["n"]
        empty = dict.fromkeys(aggregates, 0)
        StaffingCount.objects.bulk_update(
            [
                StaffingCount(
                    agency_id=pk, counted_on=day, layout=layout, counts=found.get(pk, empty)
                )
                for pk in locked
            ],
            ["counted_on", "layout", "counts"],
            batch_size=500,
        )
