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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "today"),
    [(2026, datetime.date(2026, 1, 20)), (2025, datetime.date(2026, 1, 20)), (2026, None)],
)
def test_the_raw_report_script_reads_what_the_report_reads(year, today):
    """The pgbench script for the report scenario (bench/raw_sql.report) sums the same rows as
    figures.report: a past year from its month rows, this year's days from the day rows."""
    if connection.vendor != "postgresql":
        pytest.skip("the filler sends rows with PostgreSQL's COPY")
    from bench import raw_sql

    connection.ensure_connection()
    report_scale.fill(connection.connection, COMBOS, FIRST, 40, 100_000, "92", 7)
    end = datetime.date(year, 12, 31) if today is None or today.year > year else today
    expected = figures.report(datetime.date(year, 1, 1), end)
    received, stocks = {"online": 0, "desk": 0, "post": 0}, []
    with connection.cursor() as cursor:
        for statement in raw_sql.report(year, today).strip().split("\n"):
            cursor.execute(statement)
            rows = cursor.fetchall()
            if "online_mode" in statement:
                for row in rows:
                    for channel, value in zip(received, row[2:5], strict=True):
                        received[channel] += value
            else:
                stocks.append(rows[0])
    assert received == {name: expected.received[name] for name in received}
    *at_end, before = stocks
    assert sum(row[0] or 0 for row in at_end) == expected.in_progress["total"]
    assert sum(row[1] or 0 for row in at_end) == expected.in_progress["overdue"]
    assert (before[0] or 0) == expected.received["carried_over"]
    assert received["online"] > 0  # the rows compared are not all empty
