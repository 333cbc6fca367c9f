"""A head of unit (approver) signs in: the dashboard counts the dossiers waiting in each of
their tabs, the menu shows their entries only, and the review tab lists the dossier waiting
for their review (thẩm định). On a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.dossiers import processing, reception
from egov.dossiers.models import Dossier
from tests.catalog_fixtures import make_procedure
from tests.conftest import PASSWORD
from tests.dossiers.conftest import submitted_dossier
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_review(agencies, make_staff, citizen, settings):
    version = make_procedure(
        "2.000998",
        "Cấp giấy phép có thẩm định",
        owner=agencies["justice"],
        level="province",
        time_limit=8,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        workflow=[
            {
                "code": "nhan",
                "name": "Tiếp nhận",
                "action": "receive",
                "role": "desk_officer",
                "duration": "0.5",
            },
            {
                "code": "xu-ly",
                "name": "Thẩm tra, xử lý",
                "action": "process",
                "role": "specialist",
                "duration": "4",
            },
            {
                "code": "tham-dinh",
                "name": "Thẩm định",
                "action": "review",
                "role": "approver",
                "duration": "2",
            },
            {
                "code": "duyet",
                "name": "Phê duyệt",
                "action": "approve",
                "role": "leader",
                "duration": "1",
            },
            {
                "code": "tra",
                "name": "Trả kết quả",
                "action": "return",
                "role": "desk_officer",
                "duration": "0.5",
            },
        ],
    )
    desk = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    specialist = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    make_staff("truongphong", agencies["justice"], Role.APPROVER, full_name="Võ Trưởng Phòng")
    dossier = reception.receive(submitted_dossier(version, citizen, settings), officer=desk)
    processing.take(dossier, actor=specialist)
    return processing.advance(Dossier.objects.get(pk=dossier.pk), actor=specialist)


def signed_in(browser, live_server, username, viewport):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/?next=/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_approver_sees_the_count_and_the_review_tab(
    browser, live_server, at_review, check_page, viewport
):
    page = signed_in(browser, live_server, "truongphong", viewport)
    waiting = page.locator(".waiting-counts")
    expect(waiting).to_be_visible()
    review = waiting.get_by_role("link", name="Chờ thẩm định")
    expect(review).to_contain_text("1")
    expect(waiting.get_by_role("link", name="Chờ phê duyệt")).to_contain_text("0")
    nav = page.get_by_role("navigation", name="Chính")
    expect(nav.get_by_role("link", name="Hồ sơ", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Nhật ký hệ thống")).to_have_count(0)
    expect(nav.get_by_role("link", name="Đối soát thanh toán")).to_have_count(0)
    check_page(page, "staff-dashboard-counts")

    review.click()
    expect(page.get_by_role("link", name="Chờ thẩm định")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=at_review.code)).to_be_visible()
    check_page(page, "queue-review")
    page.get_by_role("link", name=at_review.code).click()
    expect(page.locator("h1")).to_contain_text(at_review.code)
    page.context.close()
