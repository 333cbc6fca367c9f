"""The staffing report's counts kept per agency (egov.personnel.staffing_counts): a change of a
state is never read as counted, fresh counts are read without counting, and a new day or a new
layout of the report counts again."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.personnel import queries, services
from egov.personnel.access import Scope
from egov.personnel.models import StaffingCount

from .conftest import D, event

TODAY = datetime.date.today()


def totals(report) -> dict[str, int]:
    return {row.agency.name: row.values["total"] for row in report.rows}


def test_a_transfer_is_counted_at_both_agencies(officers, recruit, agencies):
    scope = Scope(officers["home"])
    person = recruit("justice")
    recruit("health", full_name="Lê Thị Bình")
    assert totals(queries.staffing(scope, TODAY)) == {"Sở Tư pháp": 1, "Sở Y tế": 1}

    services.record_event(
        person, event("transfer", D(2020, 1, 1), agency=agencies["health"]), actor=officers["home"]
    )
    # Marked in the transfer's own transaction, before any report reads them.
    stale = StaffingCount.objects.filter(counted_on=None).values_list("agency_id", flat=True)
    assert set(stale) == {agencies["justice"].pk, agencies["health"].pk}
    assert totals(queries.staffing(scope, TODAY)) == {"Sở Y tế": 2}


def test_fresh_counts_are_read_without_counting_the_states(officers, recruit):
    scope = Scope(officers["home"])
    recruit("justice")
    queries.staffing(scope, TODAY)
    with CaptureQueriesContext(connection) as read:
        report = queries.staffing(scope, TODAY)
    assert report.total.values["total"] == 1
    assert not [q for q in read.captured_queries if "personnel_currentstate" in q["sql"]]


def test_another_day_counts_the_age_bands_again(officers, recruit):
    scope = Scope(officers["home"])
    # Thirty on the day before the thirty-first birthday, thirty-one on it.
    birthday = TODAY.replace(year=TODAY.year - 31) if TODAY.month != 2 or TODAY.day != 29 else None
    if birthday is None:  # pragma: no cover - 29 February
        birthday = D(TODAY.year - 31, 3, 1)
    recruit("justice", date_of_birth=birthday, on=D(2019, 3, 1))
    before = queries.staffing(scope, TODAY - datetime.timedelta(days=1)).total.values
    on_the_day = queries.staffing(scope, TODAY).total.values
    assert (before["age_0"], before["age_1"]) == (1, 0)
    assert (on_the_day["age_0"], on_the_day["age_1"]) == (0, 1)


def test_counts_of_another_layout_are_not_trusted(officers, recruit, agencies):
    scope = Scope(officers["home"])
    recruit("justice")
    queries.staffing(scope, TODAY)
    StaffingCount.objects.filter(agency=agencies["justice"]).update(
        layout="an older report", counts={"total": 99}
    )
    assert totals(queries.staffing(scope, TODAY)) == {"Sở Tư pháp": 1}


def test_an_agency_left_without_people_drops_out_of_the_report(officers, recruit, agencies):
    scope = Scope(officers["home"])
    person = recruit("justice")
    queries.staffing(scope, TODAY)
    services.record_event(person, event("retirement", TODAY), actor=officers["home"])
    assert totals(queries.staffing(scope, TODAY)) == {}
    assert StaffingCount.objects.get(agency=agencies["justice"]).counts["total"] == 0


def test_an_import_and_the_generator_mark_their_agencies(officers, agencies, ranks):
    from egov.personnel import generate, spreadsheet

    from .test_generate import plans
    from .test_spreadsheet import EVENTS, PEOPLE, workbook

    scope = Scope(officers["home"])
    assert queries.staffing(scope, TODAY).rows == []
    assert spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["home"]).ok
    imported = queries.staffing(scope, TODAY).total.values["total"]
    assert imported == 2

    generator, people = plans(agencies)
    generate.write(people, generator, batch=15)
    active = sum(1 for p in people if p.person.state.status in queries.ACTIVE_STATUSES)
    assert queries.staffing(scope, TODAY).total.values["total"] == imported + active
