"""The review tab (thẩm định by a head of unit) and the dashboard's counts of waiting work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.accounts.models import Role
from egov.dossiers import processing, reception, worklists
from egov.dossiers.models import Dossier
from tests.catalog_fixtures import make_procedure
from tests.dossiers.conftest import MONDAY, submitted_dossier
from tests.dossiers.test_staff_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_version(agencies):
    """Processed by a specialist of Justice, reviewed by its head of unit, approved."""
    return make_procedure(
        "2.000998",
        "Thủ tục có thẩm định",
        owner=agencies["justice"],
        level="province",
        time_limit=8,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        workflow=[
            {"code": "nhan", "action": "receive", "role": "desk_officer", "duration": "0.5"},
            {"code": "xu-ly", "action": "process", "role": "specialist", "duration": "4"},
            {"code": "tham-dinh", "action": "review", "role": "approver", "duration": "2"},
            {"code": "duyet", "action": "approve", "role": "leader", "duration": "1"},
            {"code": "tra", "action": "return", "role": "desk_officer", "duration": "0.5"},
        ],
    )


@pytest.fixture
def at_review(reviewed_version, citizen, settings, people, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    dossier = reception.receive(
        submitted_dossier(reviewed_version, citizen, settings), officer=people["desk"]
    )
    processing.take(dossier, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["specialist"])
    assert dossier.current_step.action == "review" and dossier.current_role == Role.APPROVER
    return dossier


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_the_head_of_unit_finds_the_review_in_the_review_tab(at_review, people):
    head = people["head"]
    assert "review" in {t.code for t in worklists.tabs_for(head)}
    assert codes(worklists.queue(head, "review")) == {at_review.code}
    # Not in any tab they had before: that was the bug.
    for tab in ("assign", "approve"):
        assert at_review.code not in codes(worklists.queue(head, tab))
    # Nor twice for someone who holds both roles, nor for the specialist.
    assert at_review.code not in codes(worklists.queue(people["specialist"], "process"))
    assert "review" not in {t.code for t in worklists.tabs_for(people["specialist"])}


def test_an_approver_of_another_agency_does_not_see_it(at_review, make_staff, agencies):
    neighbour = make_staff("truongphongyte", agencies["health"], Role.APPROVER)
    assert not codes(worklists.queue(neighbour, "review"))


def test_the_review_tab_on_the_page_and_the_api(client, at_review, people):
    client.force_login(people["head"])
    page = client.get("/staff/dossiers/?tab=review").content.decode()
    assert at_review.code in page and "Chờ thẩm định" in page
    client.logout()
    bearer(client, people["head"])
    listed = client.get("/api/v1/staff/dossiers?tab=review").json()
    assert [item["code"] for item in listed["items"]] == [at_review.code]
    bearer(client, people["specialist"])
    assert client.get("/api/v1/staff/dossiers?tab=review").json()["items"] == []


def test_the_dashboard_counts_each_tab_with_one_query(client, at_review, people):
    head = people["head"]
    client.force_login(head)
    scope = processing.StaffScope(head)
    with CaptureQueriesContext(connection) as queries:
        counted = worklists.counts(head, scope)
    assert {tab.code: n for tab, n in counted} == {
        "assign": 0,
        "review": 1,
        "approve": 0,
        "overdue": 0,
    }
    assert len(queries) == len(counted)
    page = client.get("/staff/").content.decode()
    assert "Hồ sơ đang chờ bạn" in page
    assert 'href="/staff/dossiers/?tab=review" data-tab="review"' in page


def test_the_dashboard_counts_only_the_users_agencies(client, at_review, people):
    client.force_login(people["health"])
    page = client.get("/staff/").content.decode()
    assert 'data-tab="process"' in page
    assert 'data-tab="review"' not in page


def test_no_counts_for_staff_without_a_dossier_role(client, make_staff, agencies):
    clerk = make_staff("vanthu", agencies["justice"], Role.CLERK)
    client.force_login(clerk)
    page = client.get("/staff/").content.decode()
    assert "Hồ sơ đang chờ bạn" not in page


def test_the_dashboard_reads_the_roles_once(client, at_review, people):
    client.force_login(people["head"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    roles = [q["sql"] for q in queries if "accounts_roleassignment" in q["sql"]]
    assert len(roles) == 1, roles
