"""Notification pages in a browser: a citizen's settings on a phone, the staff delivery log and
the template editor; each page passes axe-core."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.notifications import events, services
from egov.notifications.models import Notification
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def test_citizen_sets_how_to_be_told(live_server, page, check_page):
    accounts.create_user(
        actor=None,
        username="congdan",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        email="congdan@example.vn",
        full_name="Nguyễn Thị Công Dân",
    )
    _sign_in(page, live_server.url + "/accounts/login/", "congdan")
    page.get_by_role("link", name="Cài đặt thông báo").click()
    assert page.locator("h1").inner_text() == "Cài đặt thông báo"
    assert page.get_by_label("Thư điện tử tới c***@example.vn").is_checked()
    check_page(page, "notification-settings")

    page.get_by_label("Tin nhắn SMS (tài khoản chưa có số điện thoại)").check()
    page.get_by_role("button", name="Lưu").click()
    assert "chưa có số điện thoại" in page.locator(".error-summary").inner_text()
    check_page(page, "notification-settings-error")

    page.get_by_label("Tin nhắn SMS (tài khoản chưa có số điện thoại)").uncheck()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu cài đặt thông báo." in page.locator(".messages").inner_text()
    assert page.get_by_label("English").is_checked()
    check_page(page, "notification-settings-saved")


def test_staff_follow_deliveries_and_edit_a_template(
    live_server, page, check_page, make_staff, agencies
):
    make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    citizen = accounts.create_user(
        actor=None,
        username="nguoidan",
        password=None,
        kind=User.Kind.CITIZEN,
        email="tran.thi.binh@example.vn",
        phone="0912345678",
    )
    with transaction.atomic():
        rows = services.notify(
            "dossier.supplement_requested",
            recipient=citizen,
            context=events.SUPPLEMENT_REQUESTED.sample,
            about=("dossiers.dossier", "000.00.03.H13-260115-0042"),
            agency_id=agencies["justice"].pk,
            channels=["email", "sms"],
        )
    Notification.objects.filter(pk=rows[0].pk).update(
        status="failed", last_error="550 5.1.1 t***@example.vn: mailbox unavailable"
    )

    _sign_in(page, live_server.url + "/staff/", "quantri")
    page.get_by_role("link", name="Thông báo").click()
    assert "t***@example.vn" in page.locator("tbody").inner_text()
    check_page(page, "notification-log")
    page.select_option("#id_status", "failed")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody a").first.click()
    assert "Yêu cầu bổ sung" not in page.locator("h1").inner_text()
    assert "Bản sao Giấy chứng nhận kết hôn" in page.locator("pre").inner_text()
    check_page(page, "notification-detail")
    page.get_by_role("button", name="Thử lại").click()
    assert "hàng đợi" in page.locator(".messages").inner_text()

    page.goto(live_server.url + "/staff/notifications/templates/")
    check_page(page, "notification-templates")
    page.goto(live_server.url + "/staff/notifications/templates/dossier.received/sms/vi/")
    page.get_by_role("button", name="Xem trước").click()
    assert "DVC Can Tho: Ho so" in page.locator("pre").inner_text()
    check_page(page, "notification-template-preview")
    page.set_viewport_size(DESKTOP)
    check_page(page, "notification-template-preview")
