"""The staff menu shows the entries a person's roles give them work on; pages still refuse."""

import pytest

from egov.accounts.models import Role
from egov.backoffice import menu as staff_menu

pytestmark = pytest.mark.django_db


def menu(client, user) -> list[str]:
    client.force_login(user)
    menu = client.get("/staff/").context["staff_menu"]
    return [label for _link, label in (menu() if callable(menu) else menu)]


def test_a_specialist_sees_only_their_entries(client, make_staff, agencies):
    specialist = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    entries = menu(client, specialist)
    assert "Hồ sơ" in entries and "Văn bản" in " ".join(entries)
    for hidden in ("Nhật ký hệ thống", "Nhập dữ liệu", "Thủ tục", "Cán bộ", "Số thứ tự"):
        assert hidden not in entries, hidden
    html = client.get("/staff/").content.decode()
    assert 'href="/staff/audit/"' not in html
    assert 'href="/staff/payments/statements/"' not in html


def test_a_system_administrator_sees_every_entry(client, make_staff, agencies):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    client.force_login(admin)
    html = client.get("/staff/").content.decode()
    for link in ("/staff/audit/", "/staff/payments/statements/", "/staff/organizations/import/"):
        assert f'href="{link}"' in html, link


def test_roles_bring_their_entries(client, make_staff, agencies):
    auditor = make_staff("kiemtra", agencies["city"], Role.AUDITOR)
    client.force_login(auditor)
    html = client.get("/staff/").content.decode()
    assert 'href="/staff/audit/"' in html
    assert 'href="/staff/dossiers/"' not in html
    # Reconciliation is for an agency administrator over the whole city, not of one department.
    local = make_staff("qtso", agencies["justice"], Role.AGENCY_ADMIN)
    client.force_login(local)
    assert 'href="/staff/payments/statements/"' not in client.get("/staff/").content.decode()
    city = make_staff("qttp", agencies["city"], Role.AGENCY_ADMIN, include_subtree=True)
    client.force_login(city)
    assert 'href="/staff/payments/statements/"' in client.get("/staff/").content.decode()


def test_a_hidden_page_is_still_refused_by_url(client, make_staff, agencies):
    specialist = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    client.force_login(specialist)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/payments/statements/").status_code == 403
    assert client.get("/staff/organizations/import/").status_code == 403


def test_the_menu_costs_one_query(make_staff, agencies, django_assert_num_queries):
    leader = make_staff("giamdoc", agencies["justice"], Role.LEADER)
    with django_assert_num_queries(1):
        staff_menu.entries_for(leader)
