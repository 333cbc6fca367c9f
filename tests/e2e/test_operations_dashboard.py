"""The operations dashboard in a browser: a department's leader watches it on a phone while the
desk returns a dossier in another tab, and "results returned today" moves without a reload;
then the same page on a desktop and the wall screen at 1920×1080 (axe-clean, screenshots)."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from tests.dossiers import closing
from tests.dossiers.conftest import people, record_version  # noqa: F401
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import act, signed_in

pytestmark = pytest.mark.django_db(transaction=True)
WALL = {"width": 1920, "height": 1080}


@pytest.fixture
def ready(record_version, citizen, people, settings):  # noqa: F811
    settings.EGOV_MALWARE_SCANNER = "none"
    # Refresh every second so that the test waits for seconds, not for the default 20.
    settings.EGOV_DASHBOARD_REFRESH_SECONDS = 1
    return closing.result_ready(record_version, citizen, people)


def test_the_dashboard_follows_a_return_without_reloading(browser, live_server, check_page, ready):
    leader = signed_in(browser, live_server, "giamdoc", viewport=PHONE)
    leader.goto(live_server.url + "/staff/indicators/dashboard/")
    expect(leader.locator("h1")).to_have_text("Màn hình điều hành")
    expect(leader.locator("#returned-today")).to_have_text("0")
    expect(leader.locator("#board-agencies")).to_contain_text("Sở Tư pháp")
    check_page(leader, "operations-dashboard")
    # A mark on the page: it is still there only if the page was not reloaded.
    leader.evaluate("window.stillTheSamePage = true")

    desk = signed_in(browser, live_server, "motcua")
    desk.get_by_role("link", name="Chờ trả kết quả").click()
    desk.get_by_role("link", name=ready.code).click()
    act(
        desk,
        "Đã trả kết quả: kết thúc hồ sơ",
        **{"Ghi chú (người nhận, số bưu gửi…)": "Trực tuyến"},
    )
    desk.context.close()

    expect(leader.locator("#returned-today")).to_have_text("1", timeout=15_000)
    assert leader.evaluate("window.stillTheSamePage") is True
    leader.set_viewport_size(DESKTOP)
    check_page(leader, "operations-dashboard")
    leader.set_viewport_size(WALL)
    leader.goto(live_server.url + "/staff/indicators/dashboard/?wall=1")
    expect(leader.locator("nav")).to_have_count(0)
    expect(leader.locator("#returned-today")).to_have_text("1")
    font = leader.locator("#returned-today").evaluate("e => getComputedStyle(e).fontSize")
    assert float(font.removesuffix("px")) >= 48  # read from across the room
    check_page(leader, "operations-dashboard-wall")
    leader.context.close()


def test_a_city_leader_reads_the_self_assessment(
    browser, live_server, check_page, make_staff, agencies
):
    make_staff("ctthanhpho", agencies["city"], Role.LEADER, include_subtree=True)
    page = signed_in(browser, live_server, "ctthanhpho", viewport=PHONE)
    page.goto(live_server.url + "/staff/indicators/assessment/")
    expect(page.locator("h1")).to_have_text("Tự đánh giá chính quyền điện tử")
    expect(page.locator("#SA_ON_TIME")).to_contain_text("Nền tảng tự đo")
    expect(page.locator("#SA_LGSP")).to_contain_text("Chưa đo được")
    check_page(page, "self-assessment")
    page.set_viewport_size(DESKTOP)
    check_page(page, "self-assessment")
    page.context.close()
