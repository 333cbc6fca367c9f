"""Staff see only their agencies: another agency's objects are 404, never 403."""

import pytest

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit

pytestmark = pytest.mark.django_db


def test_agency_page_of_a_neighbour_is_not_found(staff_client, agencies):
    client, _user = staff_client(Role.SPECIALIST, "justice")
    assert client.get(f"/staff/agencies/{agencies['justice'].pk}/").status_code == 200
    assert client.get(f"/staff/agencies/{agencies['health'].pk}/").status_code == 404
    # Without a sub-tree role, the agency below is out of scope too.
    assert client.get(f"/staff/agencies/{agencies['legal_aid'].pk}/").status_code == 404


def test_subtree_role_covers_the_agencies_below(staff_client, agencies):
    client, user = staff_client(Role.LEADER, "justice", include_subtree=True)
    assert client.get(f"/staff/agencies/{agencies['legal_aid'].pk}/").status_code == 200
    assert client.get(f"/staff/agencies/{agencies['health'].pk}/").status_code == 404
    assert set(scoping.agency_scope(user)) == {agencies["justice"], agencies["legal_aid"]}


def test_system_admin_sees_everything(staff_client, agencies):
    client, user = staff_client(Role.SYSTEM_ADMIN, "city")
    assert client.get(f"/staff/agencies/{agencies['health'].pk}/").status_code == 200
    assert scoping.agency_scope(user).count() == 4


def test_citizens_and_visitors_are_kept_out_of_the_staff_site(client, citizen):
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.get("/staff/").status_code == 403


def _event_in(agency):
    from django.db import transaction

    with transaction.atomic():
        return audit.record(
            actor=None,
            action="test.changed",
            object_type="test.thing",
            object_id=str(agency.pk),
            agency_id=agency.pk,
        )


def test_auditor_sees_only_events_of_their_agencies(staff_client, agencies):
    client, _user = staff_client(Role.AUDITOR, "justice", include_subtree=True)
    mine = _event_in(agencies["legal_aid"])
    theirs = _event_in(agencies["health"])
    listing = client.get("/staff/audit/", {"action": "test.changed"}).content.decode()
    assert f'/staff/audit/{mine.pk}/"' in listing
    assert f'/staff/audit/{theirs.pk}/"' not in listing
    assert client.get(f"/staff/audit/{mine.pk}/").status_code == 200
    assert client.get(f"/staff/audit/{theirs.pk}/").status_code == 404


def test_city_wide_auditor_sees_all_and_filters(staff_client, agencies):
    client, _user = staff_client(Role.AUDITOR, "city", include_subtree=True)
    theirs = _event_in(agencies["health"])
    assert client.get(f"/staff/audit/{theirs.pk}/").status_code == 200
    filtered = client.get(
        "/staff/audit/", {"object_id": str(agencies["health"].pk), "action": "test"}
    ).content.decode()
    assert f"/staff/audit/{theirs.pk}/" in filtered
    bad = client.get("/staff/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "error-summary" in bad.content.decode()


def test_the_audit_trail_lists_the_newest_record_first_across_chains(staff_client, agencies):
    client, _user = staff_client(Role.AUDITOR, "city", include_subtree=True)
    older = [_event_in(agencies["justice"]) for _ in range(3)]
    newest = _event_in(agencies["health"])  # first of its agency's chain where chains apply
    listing = client.get("/staff/audit/", {"action": "test.changed"}).content.decode()
    positions = [listing.index(f'/staff/audit/{e.pk}/"') for e in [newest, *reversed(older)]]
    assert positions == sorted(positions)
    detail = client.get(f"/staff/audit/{newest.pk}/").content.decode()
    assert f"{newest.chain} / {newest.seq}" in detail and newest.prev_hash in detail


def test_staff_without_an_audit_role_cannot_open_the_audit_trail(staff_client):
    client, _user = staff_client(Role.DESK_OFFICER, "justice")
    assert client.get("/staff/audit/").status_code == 403


def test_people_list_masks_contact_details(staff_client, make_staff, agencies):
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice")
    make_staff(
        "colleague", agencies["justice"], email="nguyen.van.a@stp.cantho.gov.vn", phone="0912345678"
    )
    make_staff("other", agencies["health"])
    page = client.get("/staff/people/").content.decode()
    assert "colleague" in page and "other" not in page
    assert "nguyen.van.a@" not in page and "n***@stp.cantho.gov.vn" in page
    assert "0912345678" not in page and "091****678" in page
