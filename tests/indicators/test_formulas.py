"""Each measured indicator's formula on a small data set whose counts are written here, checked
by hand (points = weight × rate / the rate that earns all points, at most the weight)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from egov.catalog.models import ProcedureVersion
from egov.dossiers import ratings
from egov.dossiers.models import Attachment, Rating
from egov.feedback.models import Category, Report
from egov.feedback.models import Rating as ReportRating
from egov.indicators import index
from egov.reports import tallies
from egov.reports.figures import Scope
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY
from tests.indicators.conftest import OCTOBER, open_store, tally

pytestmark = pytest.mark.django_db
OCTOBER_END = datetime.date(2026, 10, 31)


def _results(start, end, scope):
    return {result.indicator.code: result for result in index.compute(start, end, scope).results}


def test_progress_online_payment_and_digitisation_from_the_statistics(today, agencies, citizen):
    open_store(citizen, datetime.date(2026, 9, 1))
    justice, legal_aid, health = agencies["justice"], agencies["legal_aid"], agencies["health"]
    # Justice, full-online procedures: 10 received (6 online), 14 opened since ever, 10 closed.
    tally(
        justice,
        received_online=6, received_desk=3, received_post=1, fees_due=8, paid_online=6,
        stored=5, resolved_early=3, resolved_on_time=5, resolved_late=2,
        opened=14, closed=10, overdue_opened=1,
    )  # fmt: skip
    # Its legal aid centre (counted with Justice), partly online procedures: 4 at the desk.
    tally(
        legal_aid, mode="partial", level=3,
        received_desk=4, fees_due=2, stored=1, resolved_on_time=4, opened=4, closed=4,
    )  # fmt: skip
    # Health is another unit: nothing of it counts for Justice.
    tally(health, received_online=50, resolved_late=50, opened=50, closed=50)

    found = _results(OCTOBER, OCTOBER_END, Scope(agency=justice))

    # 2.1: (early 3 + on time 9 + open within time 3) / (resolved 14 + open 4) = 15/18.
    on_time = found["ON_TIME"]
    assert on_time.rate == Decimal(100 * 15) / 18
    assert on_time.points == Decimal(20 * 15) / 18  # 16.67 of 20
    inputs = {str(label): value for label, value in on_time.inputs}
    assert inputs["Giải quyết quá hạn"] == 2 and inputs["Đang giải quyết quá hạn cuối kỳ"] == 1
    # 3.1: full-online procedures: 6 of 10 received online = 60% of 12 points.
    assert found["FULL_ONLINE"].rate == 60
    assert found["FULL_ONLINE"].points == Decimal("7.2")
    # 3.2: 6 of the 10 dossiers with fees paid online = 60% of 10 points.
    assert found["ONLINE_PAYMENT"].points == 6
    # 4.2: 6 of 14 received digitised: 4 × 6/14.
    assert found["DIGITISED_DOSSIERS"].points == Decimal(4 * 6) / 14
    # The city adds Health: 2.1 = (3 + 9 + 3) / (64 + 4).
    city = _results(OCTOBER, OCTOBER_END, Scope())
    assert city["ON_TIME"].rate == Decimal(100 * 15) / 68


def test_procedures_published_with_every_part(today, catalogue, agencies):
    justice = agencies["justice"]
    found = _results(OCTOBER, OCTOBER_END, Scope(agency=justice))["PUBLIC_CONTENT_FULL"]
    # Justice decides the judicial record procedure (the others are the communes').
    assert found.rate == 100 and found.points == 2
    ProcedureVersion.objects.filter(pk=catalogue["record"].pk).update(steps="")
    found = _results(OCTOBER, OCTOBER_END, Scope(agency=justice))["PUBLIC_CONTENT_FULL"]
    assert found.rate == 0 and found.points == 0
    # The city: six procedures in force, five with every part.
    city = _results(OCTOBER, OCTOBER_END, Scope())["PUBLIC_CONTENT_FULL"]
    assert city.rate == Decimal(500) / 6


def test_electronic_results_and_satisfaction_with_dossiers(
    record_version, citizen, people, time_machine, agencies
):
    time_machine.move_to(MONDAY, tick=False)
    first = closing.returned(record_version, citizen, people)
    second = closing.returned(record_version, citizen, people)
    closing.received(record_version, citizen, people)  # still open: not resolved
    ratings.rate(second, citizen, dict.fromkeys(Rating.SCORES, 0))  # 0 of 18: not satisfied
    Attachment.objects.filter(dossier=first, kind=Attachment.Kind.RESULT).delete()
    tallies.refresh(first.pk)  # as a recount finds it
    time_machine.move_to(MONDAY + datetime.timedelta(days=7), tick=False)
    november = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))

    found = _results(*november, Scope(agency=agencies["justice"]))

    # 4.1: two resolved, one with its result as a file: 50% of 6 points.
    assert found["ORIGINAL_RESULT_AVAILABLE"].rate == 50
    assert found["ORIGINAL_RESULT_AVAILABLE"].points == 3
    # 5.3: two resolved (early), one rated not satisfied: 50%, all points from 90%: 6 × 50/90.
    assert found["DOSSIER_SATISFACTION"].rate == 50
    assert found["DOSSIER_SATISFACTION"].points == Decimal(6 * 50) / 90
    # 2.1: two early, one open within its time: 100%.
    assert found["ON_TIME"].points == 20


def _report(number, category, agency, received, due, answered, **fields):
    return Report.objects.create(
        code=f"PA-{number}",
        category=category,
        description="Đèn đường hỏng.",
        agency=agency,
        place_source=Report.PlaceSource.ADDRESS,
        received_at=received,
        due_at=due,
        answered_at=answered,
        **({"status": Report.Status.ANSWERED} | fields),
    )


def test_citizen_reports_on_time_and_satisfaction(today, agencies):
    justice = agencies["justice"]
    category = Category.objects.create(
        code="street-light", name="Đèn chiếu sáng", routing=Category.Routing.AGENCY,
        agency=justice, deadline_days=5,
    )  # fmt: skip
    zone = timezone.get_current_timezone()
    received = datetime.datetime(2026, 10, 5, 9, tzinfo=zone)
    due = received + datetime.timedelta(days=7)
    _report(1, category, justice, received, due, received + datetime.timedelta(days=2),
            rating=ReportRating.SATISFIED)  # fmt: skip
    _report(2, category, justice, received, due, due + datetime.timedelta(days=1))  # late
    _report(3, category, justice, received, due, received + datetime.timedelta(days=1),
            rating=ReportRating.UNSATISFIED)  # fmt: skip

    waiting = {"status": Report.Status.NEW}
    late_received = datetime.datetime(2026, 10, 29, 9, tzinfo=zone)
    _report(4, category, justice, late_received, late_received + datetime.timedelta(days=7),
            None, **waiting)  # still within its deadline on 31 October  # fmt: skip
    _report(5, category, justice, received, due, None, **waiting)  # past its deadline
    # Answered in November: waiting at the end of October, past its deadline.
    _report(6, category, justice, received, due, datetime.datetime(2026, 11, 3, tzinfo=zone))

    found = _results(OCTOBER, OCTOBER_END, Scope(agency=justice))

    # 5.1: (2 answered on time + 1 waiting within its deadline) / (3 answered + 3 waiting):
    # 6 × 3/6 = 3 points.
    assert found["PETITION_ON_TIME"].rate == 50
    assert found["PETITION_ON_TIME"].points == 3
    # 5.2: 3 answered, one late and one not satisfied: 1 of 3, 2 points.
    assert found["PETITION_SATISFACTION"].points == 2
    # Health had no citizen report: nothing handled late, all points (the portal's rule).
    health = _results(OCTOBER, OCTOBER_END, Scope(agency=agencies["health"]))
    assert health["PETITION_ON_TIME"].rate is None
    assert health["PETITION_ON_TIME"].points == 6
