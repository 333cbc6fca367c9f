"""A department's leader sees their department's index, its dossiers and its rank; another
department is not found; the city's leaders see every unit. Pages and API answer alike."""

import pytest

from egov.accounts import tokens
from egov.accounts.models import Role
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY
from tests.indicators.conftest import tally

pytestmark = pytest.mark.django_db
OCTOBER = {"year": 2026, "month": 10}


@pytest.fixture
def leaders(make_staff, agencies):
    return {
        "justice": make_staff("gdtuphap", agencies["justice"], Role.LEADER, include_subtree=True),
        "health": make_staff("gdyte", agencies["health"], Role.LEADER),
        "city": make_staff("ctthanhpho", agencies["city"], Role.LEADER, include_subtree=True),
    }


def test_a_department_leader_sees_their_department_only(today, client, agencies, leaders):
    tally(agencies["justice"], resolved_on_time=3, opened=3, closed=3)
    client.force_login(leaders["justice"])
    own = client.get("/staff/indicators/", OCTOBER)
    assert own.status_code == 200
    assert own.context["choice"].scope.agency == agencies["justice"]  # their department
    health = {**OCTOBER, "agency": agencies["health"].code}
    assert client.get("/staff/indicators/", health).status_code == 404
    assert client.get("/staff/indicators/excel/", health).status_code == 404
    figure = {**health, "figure": "late"}
    assert client.get("/staff/indicators/dossiers/", figure).status_code == 404
    ranking = client.get("/staff/indicators/ranking/", OCTOBER)
    names = [row.name for row in ranking.context["rows"]["agencies"]]
    assert names == ["Sở Tư pháp"] and ranking.context["rows"]["communes"] == []
    # A leader of one agency only (not its sub-agencies) still reads that agency's index.
    client.force_login(leaders["health"])
    assert client.get("/staff/indicators/", health).status_code == 200
    justice = {**OCTOBER, "agency": agencies["justice"].code}
    assert client.get("/staff/indicators/", justice).status_code == 404


def test_city_leaders_see_every_unit_and_the_ranking(today, client, agencies, leaders):
    tally(agencies["justice"], resolved_on_time=3, opened=3, closed=3)
    tally(agencies["health"], resolved_on_time=1, resolved_late=1, opened=2, closed=2)
    client.force_login(leaders["city"])
    health = client.get("/staff/indicators/", {**OCTOBER, "agency": agencies["health"].code})
    assert health.status_code == 200
    ranking = client.get("/staff/indicators/ranking/", OCTOBER).context["rows"]["agencies"]
    assert [row.name for row in ranking] == ["Sở Tư pháp", "Sở Y tế"]
    assert ranking[0].rank == 1 and ranking[0].points > ranking[1].points


def test_staff_without_a_leader_role_are_refused(today, client, make_staff, agencies):
    client.force_login(make_staff("motcua2", agencies["city"], Role.DESK_OFFICER))
    assert client.get("/staff/indicators/", OCTOBER).status_code == 403


def test_the_api_is_scoped_like_the_pages(today, client, agencies, leaders):
    tally(agencies["justice"], resolved_early=1, resolved_late=1, opened=2, closed=2)
    token = tokens.create(leaders["justice"], name="test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.get("/api/v1/indicators", OCTOBER, **auth)
    assert answer.status_code == 200
    body = answer.json()
    assert body["agency"] == agencies["justice"].code
    progress = next(group for group in body["groups"] if group["code"] == "progress")
    (on_time,) = progress["indicators"]
    assert on_time["status"] == "measured" and float(on_time["points"]) == 10
    sync = body["groups"][0]["indicators"][3]
    assert sync["code"] == "DOSSIER_SYNC" and sync["status"] == "not_measured"
    assert sync["points"] is None
    other = client.get("/api/v1/indicators", {**OCTOBER, "agency": agencies["health"].code}, **auth)
    assert other.status_code == 404
    assert other["Content-Type"].startswith("application/problem+json")
    ranking = client.get("/api/v1/indicators/ranking", OCTOBER, **auth).json()
    assert [row["code"] for row in ranking["agencies"]] == [agencies["justice"].code]
    assert client.get("/api/v1/indicators", OCTOBER).status_code == 401


def test_the_dossiers_behind_a_figure_are_those_the_leader_may_open(
    record_version, citizen, people, time_machine, client, agencies, leaders
):
    time_machine.move_to(MONDAY, tick=False)
    closing.received(record_version, citizen, people)
    # Two months later it is overdue (ten working days).
    time_machine.move_to(MONDAY.replace(year=2027, month=1, day=25), tick=False)
    query = {"year": 2027, "month": 1, "figure": "late"}
    client.force_login(leaders["justice"])
    page = client.get("/staff/indicators/dossiers/", query)
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 1
    client.force_login(leaders["health"])
    # Their own department has none; Justice's is not found.
    assert len(client.get("/staff/indicators/dossiers/", query).context["page"].object_list) == 0
    query["agency"] = agencies["justice"].code
    assert client.get("/staff/indicators/dossiers/", query).status_code == 404


def test_bad_filters_get_a_translated_message(today, client, leaders):
    client.force_login(leaders["city"])
    answer = client.get("/staff/indicators/", {"quarter": 5}, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == 400
    assert "Quý là 1, 2, 3 hoặc 4" in answer.content.decode()
    both = {"agency": "000.00.03.H13", "commune": "31135"}
    answer = client.get("/staff/indicators/ranking/", both, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == 400
