"""The tally filler behind the 20-million-dossier report figure (bench/report_scale.py): month
rows are the sums of their days, the figures are reproducible from the seed, and the report
reads back what was written."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum

from bench import report_scale
from egov.reports import figures
from egov.reports.models import DayTally, MonthTally, Tally

COMBOS = [(1, 1, "full", 4), (1, 2, "partial", 3), (2, 1, "none", 2)]
FIRST = datetime.date(2025, 12, 15)


def _rows(seed):
    return list(report_scale.day_rows(COMBOS, FIRST, 40, 100_000, "92", seed))


def test_the_rows_are_reproducible_and_add_up():
    rows = _rows(7)
    assert rows == _rows(7) and rows != _rows(8)
    assert len(rows) == 40 * len(COMBOS)
    for _day, _key, metrics in rows:
        named = dict(zip(report_scale.PROPORTIONS, metrics, strict=True))
        assert named["opened"] == sum(metrics[:3])  # the channels add up to the received
        assert named["resolved_late"] <= named["opened"]
    received = sum(sum(metrics[:3]) for _day, _key, metrics in rows)
    assert 100_000 * 40 / 365.25 * 0.8 < received < 100_000 * 40 / 365.25 * 1.2


@pytest.mark.django_db
def test_month_rows_are_the_sums_of_their_days_and_the_report_reads_them():
    if connection.vendor != "postgresql":
        pytest.skip("the filler sends rows with PostgreSQL's COPY")
    connection.ensure_connection()
    loaded = report_scale.fill(connection.connection, COMBOS, FIRST, 40, 100_000, "92", 7)
    assert loaded["day_rows"] == DayTally.objects.count() == 40 * len(COMBOS)
    sums = {name: Sum(name) for name in Tally.METRICS}
    for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
        days = DayTally.objects.filter(day__year=month.year, day__month=month.month)
        assert MonthTally.objects.filter(month=month).aggregate(**sums) == days.aggregate(**sums)
    january = figures.report(datetime.date(2026, 1, 1), datetime.date(2026, 1, 20))
    expected = DayTally.objects.filter(day__range=("2026-01-01", "2026-01-20")).aggregate(
        online=Sum("received_online")
    )
    assert january.received["online"] == expected["online"]
