"""Queue numbers at a desk: a citizen takes a number on the kiosk (a 360 px screen), the
officer calls it to their counter, the hall's display shows and announces it."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import Field
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.queueing.conftest import make_desk

pytestmark = pytest.mark.django_db(transaction=True)

TV = {"width": 1280, "height": 720}


def new_page(browser, viewport, **options):
    page = browser.new_context(viewport=viewport, locale="en-US", **options).new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    return page


def test_take_a_number_call_it_see_it(browser, page, check_page, live_server, make_staff, agencies):
    desk = make_desk(
        agencies["justice"],
        "Bộ phận Một cửa Sở Tư pháp",
        [
            (Field.objects.create(code="ho_tich", name="Hộ tịch"), "A"),
            (Field.objects.create(code="ly_lich", name="Lý lịch tư pháp"), "B"),
            (Field.objects.create(code="chung_thuc", name="Chứng thực"), "C"),
        ],
    )
    make_staff("motcua", agencies["justice"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")

    # Without the flash of a new call, so that the screenshots show the resting screen.
    display = new_page(browser, TV, reduced_motion="reduce")
    display.goto(f"{live_server.url}/so-thu-tu/{desk.pk}/man-hinh/")
    assert display.locator("[data-now-ticket]").inner_text() == "—"
    check_page(display, "queue-display-empty")

    # The citizen, at the kiosk.
    page.goto(f"{live_server.url}/so-thu-tu/{desk.pk}/")
    check_page(page, "queue-kiosk")
    page.get_by_role("button", name="Hộ tịch").click()
    assert page.locator(".ticket-number").inner_text() == "A001"
    assert "Số người chờ trước bạn\n0" in page.locator(".ticket").inner_text()
    expect(page.get_by_role("button", name="In phiếu")).to_be_visible()  # shown by ticket.js
    check_page(page, "queue-ticket")

    # The officer sets their counter and calls the next number.
    officer = new_page(browser, DESKTOP)
    officer.goto(f"{live_server.url}/accounts/login/?next=/staff/queue/")
    officer.fill("#id_username", "motcua")
    officer.fill("#id_password", PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").last.click()
    assert officer.locator("h1").inner_text() == desk.name
    officer.fill("#id_label", "2")
    officer.get_by_role("button", name="Lưu").click()
    assert "Đã lưu quầy của bạn" in officer.locator(".messages").inner_text()
    officer.get_by_role("button", name="Gọi số tiếp theo đến quầy 2").click()
    assert officer.locator(".officer-number").inner_text() == "A001"
    check_page(officer, "queue-officer")
    officer.set_viewport_size(PHONE)
    check_page(officer, "queue-officer")

    # The display picks the call up by itself and announces it.
    display.locator("[data-now-ticket]", has_text="A001").wait_for(timeout=15000)
    assert display.locator("[data-now-counter]").inner_text() == "2"
    assert display.locator("[data-live]").inner_text() == "Mời số A001 đến quầy 2."
    assert display.locator("[data-rows] td").first.inner_text() == "A001"
    check_page(display, "queue-display")
    display.set_viewport_size(PHONE)
    check_page(display, "queue-display")

    # Served: the number leaves the display.
    officer.get_by_role("button", name="Đã phục vụ").click()
    assert "Số A001 đã được phục vụ" in officer.locator(".messages").inner_text()
    display.locator("[data-now-ticket]", has_text="—").wait_for(timeout=15000)
    page.reload()
    assert "Đã phục vụ" in page.locator(".ticket").inner_text()
    for other in (display, officer):
        other.context.close()
