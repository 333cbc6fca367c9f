"""The service index in a browser: a department's leader reads it on a 360 px phone and on a
desktop (axe-clean, nothing scrolls sideways), and opens the dossiers behind a figure."""

import pytest
from playwright.sync_api import expect

from tests.dossiers import closing
from tests.dossiers.conftest import people, record_version  # noqa: F401
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dossiers(record_version, citizen, people, settings):  # noqa: F811
    settings.EGOV_MALWARE_SCANNER = "none"
    closing.returned(record_version, citizen, people)
    closing.received(record_version, citizen, people)


def test_a_leader_reads_the_index_and_its_dossiers(browser, live_server, check_page, dossiers):
    page = signed_in(browser, live_server, "giamdoc", viewport=PHONE)
    page.goto(live_server.url + "/staff/indicators/")
    expect(page.locator("h1")).to_have_text("Bộ chỉ số phục vụ (QĐ 766)")
    expect(page.locator("#total-heading")).to_contain_text("Sở Tư pháp")
    expect(page.locator("#PUBLISH_ON_TIME")).to_contain_text("Chưa đo được")
    expect(page.locator("#ON_TIME")).to_contain_text("Nền tảng tự đo")
    check_page(page, "service-index")
    page.locator("#ORIGINAL_RESULT_AVAILABLE").get_by_role(
        "link", name="Các hồ sơ đứng sau số liệu này"
    ).click()
    expect(page.locator("h1")).to_have_text("Đã giải quyết nhưng không có kết quả điện tử")
    check_page(page, "service-index-dossiers")
    page.goto(live_server.url + "/staff/indicators/ranking/")
    expect(page.locator("#rank-agencies")).to_be_visible()
    check_page(page, "service-index-ranking")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/staff/indicators/")
    check_page(page, "service-index")
