"""The first journey: the public home page in Vietnamese, a staff member's sign-in with TOTP,
and the audit trail; every page passes axe-core, on a phone and on a desktop."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from egov.accounts import enrolment
from egov.accounts.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _only_the_pages_own_404(page) -> None:
    """The browser logs the document's own 404 status as a console error; nothing else may fail."""
    page.wait_for_load_state("networkidle")
    assert page.problems == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    page.problems.clear()


def _token_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_public_home_in_vietnamese(live_server, page, check_page):
    page.goto(live_server.url + "/")
    heading = page.locator("h1")
    assert heading.inner_text() == "Cổng dịch vụ công Cần Thơ"
    assert page.locator("html").get_attribute("lang") == "vi"
    # The glyphs are drawn from a font that has them (no fallback boxes): width check.
    assert heading.bounding_box()["width"] > 100
    check_page(page, "home")
    page.set_viewport_size(DESKTOP)
    check_page(page, "home")
    page.set_viewport_size(PHONE)
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Đổi").click()
    assert page.locator("h1").inner_text() == "Public service portal of Cần Thơ"
    check_page(page, "home-en")


def test_units_page_shows_a_past_tree(live_server, page, check_page, province):
    page.goto(live_server.url + "/don-vi-hanh-chinh/?as_of=2025-08-01")
    assert "Thành phố Cần Thơ" in page.locator("main h2").inner_text()
    check_page(page, "units")


def test_staff_signs_in_with_totp_and_reads_the_audit_trail(
    live_server, page, check_page, make_staff, agencies, settings
):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    auditor = make_staff(
        "kiemtoan", agencies["city"], Role.AUDITOR, include_subtree=True, full_name="Trần Thị Kiểm"
    )
    # The administrator gives the new staff member a setup code (in person or by telephone).
    _record, setup_code = enrolment.issue(actor=None, user=auditor)
    page.goto(live_server.url + "/staff/")
    assert "/accounts/login/" in page.url
    check_page(page, "login")
    page.fill("#id_username", "kiemtoan")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="Đăng nhập").last.click()
    assert "không đúng" in page.locator(".error-summary").inner_text()
    check_page(page, "login-error")
    page.fill("#id_username", "kiemtoan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()

    # First sign-in: the password alone does not connect an app; the setup code does.
    assert page.url.endswith("/accounts/login/setup/")
    check_page(page, "totp-setup-code")
    page.fill("#id_code", "AAAAA-AAAAA")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".errorlist").nth(0)).to_be_attached()
    page.fill("#id_code", setup_code)
    page.get_by_role("button", name="Tiếp tục").click()
    # Then enrol an authenticator app, as a new staff member would.
    assert page.url.endswith("/accounts/login/setup/")
    check_page(page, "totp-setup")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_token", _token_for(secret))
    page.get_by_role("button", name="Bật").click()
    assert page.url.endswith("/staff/")
    assert "Trần Thị Kiểm" in page.locator("h1").inner_text()
    check_page(page, "staff-dashboard")

    page.get_by_role("link", name="Nhật ký hệ thống").click()
    rows = page.locator("tbody tr")
    # agencies, user, role, code issued and used, enrolment, sign-in
    expect(rows.nth(6)).to_be_attached()
    # Actions by their names, never their codes.
    expect(page.locator("tbody")).to_contain_text("Kết nối ứng dụng xác thực (đăng nhập hai bước)")
    expect(page.locator("tbody")).not_to_contain_text("accounts.totp_enrolled")
    check_page(page, "audit")
    page.fill("#id_action", "Cán bộ đăng nhập")  # found by its Vietnamese name
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody a").first.click()
    expect(page.locator("dl")).to_contain_text("Cán bộ đăng nhập")
    check_page(page, "audit-detail")
    page.set_viewport_size(DESKTOP)
    page.go_back()
    check_page(page, "audit")
    # A page that is not there: the staff site's translated page, not Django's debug page.
    assert page.goto(live_server.url + "/staff/khong-co-trang-nay/").status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    _only_the_pages_own_404(page)
    check_page(page, "not-found-staff")
    page.set_viewport_size(PHONE)
    check_page(page, "not-found-staff")


def test_a_missing_public_page_is_the_portals_translated_page(live_server, page, check_page):
    assert page.goto(live_server.url + "/khong-co-trang-nay/").status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    _only_the_pages_own_404(page)
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()
    check_page(page, "not-found")
    page.set_viewport_size(DESKTOP)
    check_page(page, "not-found")
