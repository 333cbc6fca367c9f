"""At a city's proportions the dashboard's dossier counts read their indexes: today's returns
the index on the moment of return, the open dossiers the work queues' partial index of open
dossiers; never the whole dossier table (PostgreSQL's plans)."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from egov.dossiers.models import Dossier
from egov.indicators import dashboard
from tests.dossiers.conftest import consulted_version, people, received  # noqa: F401
from tests.dossiers.test_worklists import _copies, _plan

pytestmark = pytest.mark.django_db


def test_the_dossier_counts_read_their_indexes(received, agencies):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("partial covering indexes and EXPLAIN are PostgreSQL's")
    _copies(received, 20_000, Dossier.Status.RETURNED)
    _copies(received, 5_000, Dossier.Status.IN_PROGRESS, agency=agencies["health"].pk)
    with connection.cursor() as cursor:
        # Returned over the past year, one day's share each day.
        cursor.execute(
            "UPDATE dossiers_dossier SET returned_at = now() - mod(id, 365) * interval '1 day' "
            "WHERE status = 'returned'"
        )
        cursor.execute("ANALYZE dossiers_dossier")
    now = timezone.now()
    day = timezone.localdate(now)
    begin, finish = dashboard.moments(day, day)
    returned = (
        Dossier.objects.filter(returned_at__gte=begin, returned_at__lt=finish)
        .values("deciding_agency_id")
        .order_by()
    )
    plan = _plan(returned)
    assert "dossier_returned_at" in plan and "Seq Scan" not in plan, plan
    open_ones = (
        Dossier.objects.filter(
            status__in=dashboard.processing.OVERDUE_STATUSES, current_agency__isnull=False
        )
        .values("current_agency_id")
        .annotate(overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by()
    )
    plan = _plan(open_ones)
    # One of the partial indexes of open dossiers, as the planner prefers at this size.
    assert "dossier_open_" in plan or "dossier_live_due" in plan, plan
    assert "Seq Scan" not in plan, plan
    # And the counts themselves come out of those queries.
    assert dashboard.deadlines(now, None)[agencies["health"].pk]["open"] == 5_000
