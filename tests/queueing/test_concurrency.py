"""Kiosks and officers at one desk at the same moment: no number given twice or skipped, no
ticket called by two officers."""

import threading

import pytest
from django.db import connection, connections

from egov.accounts.models import Role
from egov.queueing import services
from egov.queueing.models import Ticket, TicketSequence

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers are a PostgreSQL property; SQLite has one writer",
    ),
]


def run_together(work, arguments):
    """Runs ``work`` once per argument, all released at the same moment; returns the results
    and the errors."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(argument):
        try:
            barrier.wait()
            results.append(work(argument))
        except Exception as exc:  # collected and reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_forty_kiosk_presses_at_once(desk, fields):
    field = fields["ho_tich"]
    results, errors = run_together(lambda _: services.issue(desk, field=field), range(40))
    assert errors == []
    assert sorted(t.number for t in results) == list(range(1, 41))
    assert TicketSequence.objects.get(desk=desk).last == 40


def test_officers_calling_at_once_never_get_the_same_ticket(desk, fields, make_staff, agencies):
    officers = []
    for index in range(8):
        officer = make_staff(f"motcua{index}", agencies["justice"], Role.DESK_OFFICER)
        services.set_counter(desk, officer=officer, label=str(index + 1))
        officers.append(officer)
    for index in range(30):
        services.issue(desk, field=fields["ho_tich" if index % 2 else "dat_dai"])

    def work_the_queue(officer):
        """Calls and serves until nobody waits; returns the numbers this officer called."""
        called = []
        while (ticket := services.call_next(desk, officer=officer)) is not None:
            called.append(ticket.number)
            services.serve(ticket, officer=officer)
        return called

    results, errors = run_together(work_the_queue, officers)
    assert errors == []
    every_call = [number for numbers in results for number in numbers]
    assert sorted(every_call) == list(range(1, 31))  # each ticket called exactly once
    assert sum(1 for numbers in results if numbers) > 1  # the officers really worked together
    assert set(Ticket.objects.values_list("status", flat=True)) == {Ticket.Status.SERVED}
    assert all(numbers == sorted(numbers) for numbers in results)  # oldest first for each
