"""Whatever sequence of changes dossiers go through, the tallies moved by differences equal the
sums of the dossiers' final contributions, by day and by month, and a report over any period
equals a count made directly from the final facts."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.reports import figures, tallies
from egov.reports.models import DayTally, DossierFact, MonthTally

pytestmark = pytest.mark.django_db
FIRST = datetime.date(2025, 12, 20)  # the period crosses two month ends and a year end
DAYS = 60


def _day(offset):
    return None if offset is None else FIRST + datetime.timedelta(days=offset)


@st.composite
def facts(draw, pk):
    received = draw(st.one_of(st.none(), st.integers(0, DAYS - 20)))
    channel = draw(st.sampled_from(["online", "desk", "post"]))
    fact = DossierFact(
        dossier_id=pk,
        province_code="92",
        agency_id=draw(st.sampled_from([1, 2])),
        field_id=1,
        online_mode=draw(st.sampled_from(["full", "partial"])),
        legacy_level=draw(st.sampled_from([3, 4])),
        channel=channel,
        received_on=_day(received),
        fees_due=draw(st.booleans()),
        came_by_post=channel == "post",
        digitised=draw(st.booleans()),
    )
    fact.paid_online = fact.fees_due and draw(st.booleans())
    outcome = draw(st.sampled_from(["open", "resolved", "refused", "withdrawn"]))
    closed = None
    if outcome != "open":
        closed = draw(st.integers(received or 0, DAYS - 1))
        if outcome == "resolved" and received is not None:
            fact.resolved_on = _day(closed)
            fact.resolution = draw(st.sampled_from(["early", "on_time", "late"]))
        elif outcome == "refused":
            fact.refused_on = _day(closed)
        else:
            fact.withdrawn_on = _day(closed)
    if received is not None:
        fact.closed_on = _day(closed) if outcome != "open" else None
        last = DAYS - 1 if closed is None else closed - 1
        if last >= received and draw(st.booleans()):
            fact.overdue_on = _day(draw(st.integers(received, last)))
    if received is None and outcome in ("open", "resolved"):
        return None  # before its receipt a dossier counts only when refused or withdrawn
    if draw(st.booleans()) and received is not None:
        fact.apology_on = _day(draw(st.integers(received, DAYS - 1)))
    return fact


histories = st.lists(
    st.integers(1, 4).flatmap(lambda n: st.lists(facts(0), min_size=n, max_size=n)),
    min_size=1,
    max_size=6,
)


def _expected(final, start, end):
    def within(day):
        return day is not None and start <= day <= end

    def open_at(fact, day):
        return (
            fact.received_on is not None
            and fact.received_on <= day
            and (fact.closed_on is None or fact.closed_on > day)
        )

    live = [fact for fact in final if fact is not None]
    overdue = [
        f for f in live if open_at(f, end) and f.overdue_on is not None and f.overdue_on <= end
    ]
    return {
        "received": sum(within(f.received_on) for f in live),
        "online": sum(within(f.received_on) and f.channel == "online" for f in live),
        "late": sum(within(f.resolved_on) and f.resolution == "late" for f in live),
        "refused": sum(within(f.refused_on) for f in live),
        "open": sum(open_at(f, end) for f in live),
        "carried": sum(open_at(f, start - datetime.timedelta(days=1)) for f in live),
        "overdue": len(overdue),
        "paid_online": sum(within(f.received_on) and f.paid_online for f in live),
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories=histories, bounds=st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)))
def test_differences_add_up_to_the_final_contributions(histories, bounds):
    DayTally.objects.all().delete()
    MonthTally.objects.all().delete()
    final = []
    with transaction.atomic():
        for history in histories:
            previous = None
            for fact in history:
                tallies.apply(previous, fact)
                previous = fact
            final.append(previous)
    days = tallies.contributions(None)
    for fact in final:
        tallies.contributions(fact, 1, days)
    assert tallies.stored(DayTally, "day") == tallies._clean(days)
    assert tallies.stored(MonthTally, "month") == tallies._clean(tallies.by_month(days))
    start, end = sorted(_day(offset) for offset in bounds)
    report = figures.report(start, end)
    expected = _expected(final, start, end)
    assert report.received["total"] == expected["received"]
    assert report.received["online"] == expected["online"]
    assert report.received["carried_over"] == expected["carried"]
    assert report.resolved["late"] == expected["late"]
    assert report.closed_otherwise["refused"] == expected["refused"]
    assert report.in_progress["total"] == expected["open"]
    assert report.in_progress["overdue"] == expected["overdue"]
    assert report.payments["paid_online"] == expected["paid_online"]
