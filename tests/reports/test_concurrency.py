"""Twenty desk officers' receptions at once on PostgreSQL all land in the same tally rows: no
deadlock, no lost increment, and the recount agrees."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from egov.dossiers import reception
from egov.reports import tallies
from egov.reports.models import DayTally, MonthTally
from tests.dossiers import closing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are a PostgreSQL property; SQLite has one writer",
)
def test_parallel_receptions_add_up(record_version, citizen, people, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    submitted = [closing.submitted(record_version, citizen) for _ in range(20)]
    barrier = threading.Barrier(len(submitted))
    errors = []

    def receive(dossier):
        try:
            barrier.wait()
            reception.receive(dossier, officer=people["desk"])
        except Exception as exc:  # collected and reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive, args=(d,)) for d in submitted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for model in (DayTally, MonthTally):
        sums = model.objects.aggregate(received=Sum("received_online"), fees=Sum("fees_due"))
        assert sums == {"received": 20, "fees": 20}
    assert tallies.differences() == []
