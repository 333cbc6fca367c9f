"""Satisfaction: the nine indicators averaged per agency and per staff member to one decimal,
graded with the thresholds of the law, per quarter and year; and units over the organisation
tree of the period."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from egov.catalog.models import Field, ProcedureVersion
from egov.dossiers import ratings
from egov.dossiers.models import Rating
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports import figures, satisfaction
from egov.reports.figures import Scope
from egov.reports.models import RatingTally
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY

pytestmark = pytest.mark.django_db
ALL_TWO = dict.fromkeys(Rating.SCORES, 2)


def _rated(version, citizen, people, scores):
    dossier = closing.returned(version, citizen, people)
    return ratings.rate(dossier, citizen, scores)


def test_averages_per_agency_and_staff_member_with_their_grade(
    record_version, citizen, people, time_machine, agencies
):
    time_machine.move_to(MONDAY, tick=False)
    _rated(record_version, citizen, people, ALL_TWO)  # 18
    _rated(record_version, citizen, people, ALL_TWO | {"publicity": 0, "feedback": 1})  # 15
    _rated(record_version, citizen, people, dict.fromkeys(Rating.SCORES, 1))  # 9
    month = MONDAY.date().replace(day=1)
    agencies_scores, staff = satisfaction.scores(month, month)
    (justice,) = agencies_scores
    assert justice.id == agencies["justice"].pk and justice.ratings == 3
    assert justice.average == 14.0  # (18 + 15 + 9) / 3
    assert justice.grade == "Tốt"  # 12 to under 15: good
    assert justice.indicators["publicity"] == 1.0  # (2 + 0 + 1) / 3
    assert justice.indicators["feedback"] == Decimal("1.3")  # 4 / 3, half up to one decimal
    (member,) = staff[agencies["justice"].pk]
    assert member.id == people["specialist"].pk and member.average == 14.0
    # Another quarter has no ratings.
    earlier = datetime.date(2026, 7, 1)
    assert satisfaction.scores(earlier, earlier.replace(month=9)) == ([], {})
    assert satisfaction.differences() == []


@pytest.mark.parametrize(
    ("total", "grade"),
    [(18, "Xuất sắc"), (15, "Xuất sắc"), (14.9, "Tốt"), (12, "Tốt"), (11.9, "Khá"),
     (9, "Khá"), (8.9, "Trung bình"), (6, "Trung bình"), (5.9, "Yếu"), (0, "Yếu")],
)  # fmt: skip
def test_grade_thresholds(total, grade):
    scores = {"ratings": 1, "total": total, **dict.fromkeys(Rating.SCORES, 0)}
    assert satisfaction.Score.of(1, scores).grade == grade


def test_a_tampered_rating_tally_is_found_and_rebuilt(record_version, citizen, people):
    _rated(record_version, citizen, people, ALL_TWO)
    RatingTally.objects.update(total=3)
    with pytest.raises(CommandError):
        call_command("check_reports", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("rebuild_reports", stdout=io.StringIO())
    assert RatingTally.objects.get().total == 18
    call_command("check_reports", stdout=io.StringIO())


def test_units_follow_the_organisation_tree_of_the_period(
    record_version, citizen, people, time_machine, agencies, province
):
    time_machine.move_to(MONDAY, tick=False)
    closing.received(record_version, citizen, people)
    day = MONDAY.date()
    justice = agencies["justice"]
    # An agency and its sub-agencies; the city's tree includes Justice.
    assert figures.report(day, day, Scope(agency=justice)).received["total"] == 1
    assert figures.report(day, day, Scope(agency=agencies["city"])).received["total"] == 1
    assert figures.report(day, day, Scope(agency=agencies["legal_aid"])).received["total"] == 0
    # A field.
    field = record_version.field
    other = Field.objects.create(code="khac", name="Khác")
    assert figures.report(day, day, Scope(field=field)).received["total"] == 1
    assert figures.report(day, day, Scope(field=other)).received["total"] == 0
    # A commune: the agencies of that unit as they stood in the period.
    ward = AdministrativeUnit.objects.create(
        code="31117", name="Phường Ninh Kiều", level=3, kind="phuong", parent=province
    )
    assert figures.report(day, day, Scope(commune=ward)).received["total"] == 0
    Agency.objects.filter(pk=justice.pk).update(unit=ward)
    assert figures.report(day, day, Scope(commune=ward)).received["total"] == 1
    # Justice dissolved the day after: next year's tree does not have it, this year's does.
    Agency.objects.filter(pk=justice.pk).update(valid_to=day)
    assert figures.report(day, day, Scope(commune=ward)).received["total"] == 1
    later = day + datetime.timedelta(days=40)
    assert Scope(commune=ward).agency_ids(later, later) == []
    # Procedures counted for the unit: those its agencies decide or receive.
    counted = figures.report(day, day, Scope(agency=justice)).procedures["total"]
    assert (
        counted
        == ProcedureVersion.objects.filter(deciding_agency=justice, status="published").count()
    )
