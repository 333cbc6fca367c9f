"""The statistics API: public, the same figures as the pages, clear refusals."""

import pytest

from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(record_version, citizen, people, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return closing.received(record_version, citizen, people)


def test_the_yearly_report_for_the_city_and_for_an_agency(client, received, agencies):
    body = client.get("/api/v1/reports/yearly", {"year": 2026}).json()
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-11-30")  # up to today
    assert body["received"]["online"] == 1 and body["in_progress"]["total"] == 1
    assert body["procedures"]["total"] >= 1
    justice = client.get("/api/v1/reports/yearly", {"agency": agencies["justice"].code}).json()
    assert justice["received"]["total"] == 1
    health = client.get("/api/v1/reports/yearly", {"agency": agencies["health"].code}).json()
    assert health["received"]["total"] == 0 and health["scope"]["agency"] == "000.00.10.H13"
    rows = client.get("/api/v1/reports/agencies", {"year": 2026}).json()
    assert [(row["agency"], row["received"]) for row in rows] == [(agencies["justice"].code, 1)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": 2014}, "Nhập giá trị tối thiểu là 2015."),
        ({"year": 2030}, "Chọn năm"),
        ({"agency": "000.00.99.H13"}, "000.00.99.H13"),
        ({"field": "khong-co"}, "khong-co"),
        ({"quarter": 5}, ""),
    ],
)
def test_a_bad_period_or_unit_is_refused_with_what_to_fix(client, received, query, message):
    response = client.get("/api/v1/reports/yearly", query, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    said = [body["title"]] + [error["message"] for error in body.get("errors") or []]
    assert any(message in text for text in said), said


def test_a_custom_period_must_not_end_before_it_starts(client, received):
    response = client.get("/api/v1/reports/period", {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 422
