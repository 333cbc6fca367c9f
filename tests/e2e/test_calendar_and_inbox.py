"""The citizen's notifications page and the working calendar page in a browser, on a phone and
on a desktop, each passing axe-core."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.notifications import events, services
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser, viewport):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    return page


def _sign_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_citizen_reads_their_notifications(browser, live_server, check_page, viewport):
    citizen = accounts.create_user(
        actor=None,
        username="congdan",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        email="congdan@example.vn",
        full_name="Nguyễn Thị Công Dân",
    )
    with transaction.atomic():
        services.notify(
            "dossier.submitted", recipient=citizen, context=events.DOSSIER_SUBMITTED.sample
        )
    page = _page(browser, viewport)
    _sign_in(page, live_server.url + "/accounts/login/", "congdan")
    page.get_by_role("link", name="Thông báo của bạn").click()
    expect(page.locator("h1")).to_have_text("Thông báo của bạn")
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ trực tuyến")).to_be_visible()
    expect(page.locator(".inbox-item")).to_have_count(1)
    check_page(page, "citizen-notifications")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_administrator_declares_a_day_off(
    browser, live_server, check_page, make_staff, agencies, viewport
):
    make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    page = _page(browser, viewport)
    _sign_in(page, live_server.url + "/accounts/login/?next=/staff/", "quantri")
    page.get_by_role("link", name="Lịch làm việc").click()
    page.get_by_role("link", name="2026").click()
    page.get_by_label("Ngày", exact=True).fill("2026-12-31")
    page.get_by_label("Loại ngày").select_option("off")
    page.get_by_label("Lý do (quyết định hoặc thông báo công bố ngày này)").fill(
        "Quyết định số 99/QĐ-UBND cho nghỉ cuối năm"
    )
    page.get_by_role("button", name="Công bố", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã công bố ngày 31/12/2026")
    expect(page.locator("tbody")).to_contain_text("Quyết định số 99/QĐ-UBND")
    check_page(page, "working-calendar")
    page.context.close()
