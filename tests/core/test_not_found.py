"""A page that is not there: the platform's translated 404 page in development as in production,
the staff site's for staff, a problem document on the API (never Django's English debug page)."""

import pytest

from egov.accounts.models import Role

pytestmark = pytest.mark.django_db

DEBUG_PAGE = "DEBUG = True"


@pytest.mark.parametrize("debug", [True, False])
def test_a_missing_portal_page_is_translated(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and DEBUG_PAGE not in page
    assert '<html lang="vi"' in page


def test_a_staff_member_gets_the_staff_sites_page_for_a_missing_record(staff_client, settings):
    settings.DEBUG = True
    client, _user = staff_client(Role.AUDITOR, "city", include_subtree=True)
    for address in ("/staff/khong-co/", "/staff/audit/987654/"):  # no route; a view's Http404
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code == 404, address
        assert "Không tìm thấy trang" in page and DEBUG_PAGE not in page
        assert "Nhật ký hệ thống" in page  # the staff menu: the staff site's layout


def test_the_api_answers_a_problem_document(client, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json") or (
        response["Content-Type"].startswith("application/json")
    )
    assert DEBUG_PAGE not in response.content.decode()


def test_a_developer_can_keep_djangos_debug_page(client, settings):
    settings.DEBUG = True
    settings.EGOV_DEBUG_404 = True
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and DEBUG_PAGE in response.content.decode()


def test_a_page_that_cannot_be_laid_out_is_still_a_translated_404(client, monkeypatch):
    # As in production started before collectstatic: the layout's static files are unknown.
    def no_layout(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'egov/site.css'")

    monkeypatch.setattr("django.shortcuts.loader.render_to_string", no_layout)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
