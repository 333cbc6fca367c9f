"""The public statistics page and the leaders' dashboard in a browser: axe-clean, readable on a
360 px phone, drill-down to an agency, the Excel download."""

import pytest

from egov.dossiers import ratings
from egov.dossiers.models import Rating
from tests.dossiers import closing
from tests.dossiers.conftest import people, record_version  # noqa: F401
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_back_office_journey import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures_to_show(record_version, citizen, people, settings):  # noqa: F811
    settings.EGOV_MALWARE_SCANNER = "none"
    returned = closing.returned(record_version, citizen, people)
    ratings.rate(returned, citizen, dict.fromkeys(Rating.SCORES, 2) | {"publicity": 1})
    closing.received(record_version, citizen, people)


def test_the_public_page_on_a_phone_and_its_drill_down(
    live_server, page, check_page, figures_to_show, agencies, tmp_path
):
    page.goto(live_server.url + "/thong-ke/")
    assert page.locator("h1").inner_text() == "Thống kê và công khai kết quả giải quyết"
    assert page.locator(".stats .figure").first.inner_text() == "2"
    chart = page.locator("svg[role=img] title").first.text_content()
    assert chart.startswith("Hồ sơ tiếp nhận theo hình thức: Trực tuyến 2")
    check_page(page, "statistics")
    page.get_by_label("Cơ quan", exact=True).select_option(label="Sở Tư pháp")
    page.get_by_role("button", name="Xem").click()
    assert "agency=000.00.03.H13" in page.url
    satisfaction = page.locator("section", has=page.locator("#t-satisfaction"))
    assert "Xuất sắc" in satisfaction.inner_text()  # 17 of 18
    check_page(page, "statistics-agency")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải các bảng này (Excel)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    page.set_viewport_size(DESKTOP)
    check_page(page, "statistics-agency")


def test_a_leader_opens_the_dashboard(browser, live_server, check_page, figures_to_show):
    page = signed_in(browser, live_server, "giamdoc")
    page.goto(live_server.url + "/staff/reports/")
    assert page.locator("h1").inner_text() == "Thống kê"
    staff_table = page.locator("section", has=page.locator("#t-staff-satisfaction"))
    assert "Trần Chuyên" in staff_table.inner_text()
    check_page(page, "statistics-dashboard")
