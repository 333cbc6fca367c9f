"""The aggregates follow each dossier through its life, in the transaction of each change, and
always equal a recount from scratch."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from egov.dossiers import apologies, processing, reception, services
from egov.dossiers.models import Dossier
from egov.payments import gateways
from egov.payments import services as payments
from egov.reports import figures, tallies
from egov.reports.models import DayTally, DossierFact, MonthTally
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY
from tests.payments.conftest import notice_params
from tests.payments.test_reconciliation import _signed_dict

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _agree():
    assert tallies.differences() == []


def _issue_result(dossier, people):
    specialist = people["specialist"]
    dossier = processing.take(dossier, actor=specialist)
    processing.attach_result(dossier, actor=specialist, name="ket-qua.pdf", data=closing.RESULT_PDF)
    return processing.advance(Dossier.objects.get(pk=dossier.pk), actor=specialist)


def test_a_received_dossier_is_counted_on_its_day_by_channel(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    submitted = closing.submitted(record_version, citizen)
    assert not DossierFact.objects.exists()  # submitted, not received: counted nowhere yet
    reception.receive(submitted, officer=people["desk"])
    day = MONDAY.date()
    report = figures.report(day, day)
    assert report.received == {
        "total": 1,
        "online": 1,
        "desk": 0,
        "post": 0,
        "online_share": 100.0,
        "carried_over": 0,
    }
    assert report.in_progress == {"total": 1, "overdue": 0, "within_time": 1}
    assert report.payments == {"fees_due": 1, "paid_online": 0, "online_rate": 0.0}
    assert report.digitisation == {"digitised": 1, "received": 1, "rate": 100.0}
    assert figures.report(day - DAY, day - DAY).received["total"] == 0
    assert figures.report(day + DAY, day + DAY).received == {
        "total": 0,
        "online": 0,
        "desk": 0,
        "post": 0,
        "online_share": None,
        "carried_over": 1,
    }
    _agree()


def test_early_on_time_and_late_results_and_the_overdue_stock_in_between(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    early, on_time, late = (closing.received(record_version, citizen, people) for _ in range(3))
    due = early.due_at
    time_machine.move_to(due - 2 * DAY, tick=False)
    _issue_result(early, people)
    time_machine.move_to(due - datetime.timedelta(hours=1), tick=False)
    _issue_result(on_time, people)
    # The appointment passed with one dossier still open: overdue at the end of that day.
    due_day = due.date()
    assert figures.report(due_day, due_day).in_progress == {
        "total": 1,
        "overdue": 1,
        "within_time": 0,
    }
    assert figures.report(due_day - DAY, due_day - DAY).in_progress["overdue"] == 0
    time_machine.move_to(due + 3 * DAY, tick=False)
    _issue_result(late, people)
    report = figures.report(MONDAY.date(), due_day + 3 * DAY)
    assert report.resolved == {
        "total": 3,
        "early": 1,
        "on_time": 1,
        "late": 1,
        "on_time_rate": Decimal(200) / Decimal(3),  # exact; shown as 66,67%
    }
    assert report.in_progress == {"total": 0, "overdue": 0, "within_time": 0}
    _agree()


def test_an_apology_does_not_make_a_late_result_on_time(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    dossier = processing.take(
        closing.received(record_version, citizen, people), actor=people["specialist"]
    )
    first_due = dossier.due_at
    time_machine.move_to(first_due - 3 * DAY, tick=False)
    apologies.issue(
        dossier,
        actor=people["leader"],
        reason="Cần xác minh thêm",
        new_due_at=first_due + 5 * DAY,
    )
    time_machine.move_to(first_due + 2 * DAY, tick=False)
    processing.attach_result(
        Dossier.objects.get(pk=dossier.pk),
        actor=people["specialist"],
        name="ket-qua.pdf",
        data=closing.RESULT_PDF,
    )
    processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["specialist"])
    report = figures.report(MONDAY.date(), (first_due + 2 * DAY).date())
    assert report.closed_otherwise["apologies"] == 1
    assert report.resolved["late"] == 1 and report.resolved["on_time_rate"] == 0.0
    _agree()


def test_refused_and_withdrawn_dossiers_count_whether_received_or_not(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    reception.refuse(
        closing.submitted(record_version, citizen), officer=people["desk"], reason="Sai thủ tục"
    )
    services.withdraw(
        closing.submitted(record_version, citizen), applicant=citizen, reason="Nộp nhầm"
    )
    received = processing.take(
        closing.received(record_version, citizen, people), actor=people["specialist"]
    )
    processing.refuse(received, actor=people["specialist"], reason="Không đủ điều kiện")
    report = figures.report(MONDAY.date(), MONDAY.date())
    assert report.closed_otherwise == {"refused": 2, "withdrawn": 1, "apologies": 0}
    assert report.received["total"] == 1  # only the one refused after its receipt
    assert report.in_progress["total"] == 0 and report.resolved["total"] == 0
    _agree()


def test_an_online_payment_counts_for_the_day_the_dossier_was_received(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    paid = closing.received(record_version, citizen, people)
    closing.received(record_version, citizen, people)  # fees still due
    time_machine.move_to(MONDAY + DAY, tick=False)
    payment, _url = payments.start_online_payment(
        paid, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    payments.handle_notice(gateways.get(), _signed_dict(notice_params(payment)))
    report = figures.report(MONDAY.date(), MONDAY.date())
    assert report.payments == {"fees_due": 2, "paid_online": 1, "online_rate": 50.0}
    _agree()


def test_a_failed_change_leaves_the_tallies_as_they_were(record_version, citizen, people):
    dossier = closing.received(record_version, citizen, people)
    before = list(DayTally.objects.values())
    with pytest.raises(RuntimeError), transaction.atomic():
        processing.refuse(
            processing.take(dossier, actor=people["specialist"]),
            actor=people["specialist"],
            reason="Không đủ điều kiện",
        )
        raise RuntimeError("the request failed after the refusal")
    assert list(DayTally.objects.values()) == before
    _agree()


def test_rebuild_gives_the_same_tallies_and_check_finds_tampering(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    for _ in range(2):
        _issue_result(closing.received(record_version, citizen, people), people)
    closing.received(record_version, citizen, people)
    live = sorted(
        (row["day"], row["received_online"], row["resolved_early"], row["opened"], row["closed"])
        for row in DayTally.objects.values()
    )
    out = io.StringIO()
    call_command("rebuild_reports", stdout=out)
    assert "3 dossiers" in out.getvalue()
    rebuilt = sorted(
        (row["day"], row["received_online"], row["resolved_early"], row["opened"], row["closed"])
        for row in DayTally.objects.values()
    )
    assert rebuilt == live
    call_command("check_reports", stdout=io.StringIO())
    MonthTally.objects.update(received_online=7)
    with pytest.raises(CommandError, match="differences"):
        call_command("check_reports", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("rebuild_reports", stdout=io.StringIO())
    DossierFact.objects.update(digitised=False)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_reports", stdout=io.StringIO(), stderr=err)
    assert "stored fact differs" in err.getvalue()


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
        (
            "2026-01-15",
            "2026-03-10",
            ("2026-02-01", "2026-02-01"),
            [("2026-01-15", "2026-01-31"), ("2026-03-01", "2026-03-10")],
        ),
        ("2026-02-03", "2026-02-20", None, [("2026-02-03", "2026-02-20")]),
        ("2026-02-01", "2026-02-27", None, [("2026-02-01", "2026-02-27")]),
        (None, "2026-03-10", (None, "2026-02-01"), [("2026-03-01", "2026-03-10")]),
        ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-01"), []),
    ],
)
def test_a_period_is_read_from_whole_months_and_the_days_at_its_edges(start, end, months, days):
    def d(value):
        return None if value is None else datetime.date.fromisoformat(value)

    got_months, got_days = figures.split(d(start), d(end))
    assert got_months == (None if months is None else tuple(d(m) for m in months))
    assert got_days == [(d(a), d(b)) for a, b in days]
