"""Citizen satisfaction (mức độ hài lòng): the nine indicators of each rating summed by month,
agency and staff member, averaged per agency and per staff member to one decimal, and graded
with the same thresholds as one rating (``dossiers.ratings.GRADES``)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from egov.core import shares
from egov.dossiers.models import RATING_SCORES, Rating
from egov.dossiers.ratings import grade
from egov.reports.figures import reading
from egov.reports.models import RatingTally
from egov.reports.tallies import increment_sql, take_turn

SUMS = ("ratings", "total", *RATING_SCORES)


def _month(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment).replace(day=1)


def _row(rating: Rating) -> tuple:
    scores = [getattr(rating, name) for name in RATING_SCORES]
    return (
        _month(rating.created_at),
        rating.province_code,
        rating.deciding_agency_id,
        rating.staff_id or 0,
        1,
        sum(scores),
        *scores,
    )


def add(rating: Rating) -> None:
    """Counts a new rating (ratings are never changed or deleted)."""
    take_turn(rating.deciding_agency_id)
    with connection.cursor() as cursor:
        cursor.execute(
            increment_sql(
                RatingTally._meta.db_table,
                ["month", "province_code", "agency_id", "staff_id"],
                SUMS,
            ),
            _row(rating),
        )


def recounted() -> dict[tuple, tuple]:
    sums: dict[tuple, list[int]] = {}
    for rating in Rating.objects.order_by("pk").iterator(chunk_size=5000):
        row = _row(rating)
        current = sums.setdefault(row[:4], [0] * len(SUMS))
        for index, value in enumerate(row[4:]):
            current[index] += value
    return {key: tuple(values) for key, values in sums.items()}


def stored() -> dict[tuple, tuple]:
    return {
        (row[0], row[1], row[2], row[3]): tuple(row[4:])
        for row in RatingTally.objects.values_list(
            "month", "province_code", "agency_id", "staff_id", *SUMS
        )
        if row[4]
    }


def rebuild() -> int:
    RatingTally.objects.all().delete()
    rows = recounted()
    RatingTally.objects.bulk_create(
        RatingTally(
            month=key[0],
            province_code=key[1],
            agency_id=key[2],
            staff_id=key[3],
            **dict(zip(SUMS, values, strict=True)),
        )
        for key, values in rows.items()
    )
    return sum(values[0] for values in rows.values())


def differences() -> list[str]:
    expected, actual = recounted(), stored()
    return [
        f"RatingTally {key}: stored {actual.get(key)}, recounted {expected.get(key)}"
        for key in sorted(expected.keys() | actual.keys())
        if expected.get(key) != actual.get(key)
    ]


@dataclass
class Score:
    """Averages of one agency or staff member over a period."""

    id: int
    ratings: int
    indicators: dict[str, Decimal | None]
    average: Decimal | None
    grade: str

    @classmethod
    def of(cls, pk: int, sums: dict) -> "Score":
        count = sums["ratings"] or 0
        if not count:
            return cls(pk, 0, dict.fromkeys(RATING_SCORES, None), None, "")
        # One decimal, half up on the exact average: the grade is read from what is published.
        average = shares.rounded(Decimal(sums["total"]) / count, 1)
        return cls(
            pk,
            count,
            {name: shares.rounded(Decimal(sums[name]) / count, 1) for name in RATING_SCORES},
            average,
            grade(average),
        )


def scores(
    start: datetime.date, end: datetime.date, agency_ids: Iterable[int] | None = None
) -> tuple[list[Score], dict[int, list[Score]]]:
    """Per agency, and per staff member within each agency, for the months ``start`` to
    ``end`` (first days of months, both included)."""
    rows = RatingTally.objects.using(reading()).filter(month__gte=start, month__lte=end)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    totals = {name: Sum(name) for name in SUMS}
    agencies = [
        Score.of(row["agency_id"], row)
        for row in rows.values("agency_id").annotate(**totals).order_by("agency_id")
    ]
    staff: dict[int, list[Score]] = {}
    for row in rows.exclude(staff_id=0).values("agency_id", "staff_id").annotate(**totals):
        staff.setdefault(row["agency_id"], []).append(Score.of(row["staff_id"], row))
    for members in staff.values():
        members.sort(key=lambda score: (-(score.average or 0), score.id))
    return agencies, staff
