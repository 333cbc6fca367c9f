"""The city's days off and make-up working days: a staff page for system administrators, every
change in the audit trail, and the deadlines computed afterwards follow it."""

import datetime

import pytest

from egov.accounts.models import Role
from egov.core import calendar
from egov.core.models import AuditEvent, CalendarDay

pytestmark = pytest.mark.django_db
FRIDAY = datetime.date(2026, 12, 11)
SATURDAY = datetime.date(2026, 12, 12)


@pytest.fixture
def admin(make_staff, agencies):
    return make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)


def test_a_system_administrator_declares_changes_and_withdraws_a_day(client, admin):
    client.force_login(admin)
    assert calendar.is_working_day(FRIDAY)
    response = client.post(
        "/staff/calendar/",
        {"date": "2026-12-11", "kind": "off", "reason": "Quyết định 12/QĐ-UBND nghỉ bù"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?nam=2026")
    assert not calendar.is_working_day(FRIDAY)
    declared = AuditEvent.objects.get(action="core.calendar_day_declared")
    assert declared.actor_id == admin.pk and declared.after["kind"] == "off"

    client.post("/staff/calendar/", {"date": "2026-12-11", "kind": "working", "reason": "Đổi"})
    assert calendar.is_working_day(FRIDAY) and CalendarDay.objects.count() == 1
    changed = AuditEvent.objects.get(action="core.calendar_day_changed")
    assert (changed.before["kind"], changed.after["kind"]) == ("off", "working")

    page = client.get("/staff/calendar/?nam=2026").content.decode()
    assert "Đổi" in page
    day = CalendarDay.objects.get()
    client.post(f"/staff/calendar/{day.pk}/withdraw/")
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="core.calendar_day_withdrawn").exists()


def test_a_make_up_saturday_counts_in_deadlines(client, admin):
    client.force_login(admin)
    assert not calendar.is_working_day(SATURDAY)
    client.post("/staff/calendar/", {"date": "2026-12-12", "kind": "working", "reason": "Làm bù"})
    assert calendar.is_working_day(SATURDAY)


def test_the_page_shows_the_year_and_the_national_holidays(client, admin):
    client.force_login(admin)
    page = client.get("/staff/calendar/?nam=2026").content.decode()
    assert "Tết Nguyên Đán" in page and 'href="/staff/calendar/"' in page


def test_bad_input_is_explained(client, admin):
    client.force_login(admin)
    response = client.post("/staff/calendar/", {"date": "31/02/2026", "kind": "off", "reason": ""})
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    assert "2026-01-31" in response.content.decode()


def test_others_are_refused(client, make_staff, agencies):
    day = CalendarDay.objects.create(date=FRIDAY, kind="off", reason="x")
    for role in (Role.AGENCY_ADMIN, Role.LEADER):
        client.force_login(
            make_staff(f"nguoi-{role}", agencies["city"], role, include_subtree=True)
        )
        assert client.get("/staff/calendar/").status_code == 403
        response = client.post(
            "/staff/calendar/", {"date": "2026-12-12", "kind": "off", "reason": "x"}
        )
        assert response.status_code == 403
        assert client.post(f"/staff/calendar/{day.pk}/withdraw/").status_code == 403
        assert 'href="/staff/calendar/"' not in client.get("/staff/").content.decode()
    assert CalendarDay.objects.count() == 1
