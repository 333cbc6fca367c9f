"""The ranking reads each period's data with a fixed number of grouped queries, however many
agencies and communes it ranks (a city has hundreds of agencies and thousands of communes at
the target scale), and scores each unit as the unit's own index does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.indicators import index
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports.figures import Scope
from tests.indicators.conftest import OCTOBER, tally

pytestmark = pytest.mark.django_db
PERIOD = (OCTOBER, datetime.date(2026, 10, 31))
BEFORE = (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))


def _add_units(province, city, first: int, count: int) -> None:
    """``count`` departments and ``count`` communes, each with its committee and a month of
    figures."""
    for number in range(first, first + count):
        department = organizations.save_agency(
            Agency(code=f"000.00.{number:02}.H13", name=f"Sở thứ {number}", kind="so",
                   parent=city, unit=province),
            actor=None,
        )  # fmt: skip
        commune = AdministrativeUnit.objects.create(
            code=f"31{number:03}", name=f"Xã thứ {number}", level=3, kind="xa", parent=province
        )
        committee = organizations.save_agency(
            Agency(code=f"000.{number:02}.51.H13", name=f"UBND xã thứ {number}", kind="ubnd",
                   parent=city, unit=commune),
            actor=None,
        )  # fmt: skip
        tally(department, resolved_on_time=number % 4 + 1, resolved_late=1, received_online=3,
              received_desk=number % 3, fees_due=2, paid_online=number % 3)  # fmt: skip
        tally(committee, resolved_early=number % 5, resolved_late=number % 2, received_desk=4,
              digitised=number % 4)  # fmt: skip


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        index.ranking(*PERIOD, before=BEFORE)
    return len(captured.captured_queries)


def test_the_ranking_reads_a_fixed_number_of_queries(today, province, agencies):
    _add_units(province, agencies["city"], 20, 3)
    few = _queries()
    _add_units(province, agencies["city"], 40, 12)
    assert _queries() == few
    # Two periods of a dozen grouped readings each, the units and the entered figures.
    assert few <= 30


def test_the_ranking_scores_each_unit_as_its_own_index(today, province, agencies):
    _add_units(province, agencies["city"], 20, 6)
    tally(agencies["legal_aid"], resolved_late=3, received_online=2)
    rows = index.ranking(*PERIOD, before=BEFORE)
    by_code = {agency.code: agency for agency in Agency.objects.all()}
    communes = {unit.code: unit for unit in AdministrativeUnit.objects.filter(level=3)}
    assert len(rows["agencies"]) == 8 and len(rows["communes"]) == 6
    for row in rows["agencies"] + rows["communes"]:
        if row.kind == "agencies":
            scope = Scope(agency=by_code[row.code])
        else:
            scope = Scope(commune=communes[row.code])
        alone = index.compute(*PERIOD, scope)
        assert (row.points, row.scored_weight) == (alone.points, alone.scored_weight)
    justice = next(row for row in rows["agencies"] if row.name == "Sở Tư pháp")
    # The department answers for its sub-department's three late dossiers: 2.1 earns nothing.
    assert justice.points is not None
