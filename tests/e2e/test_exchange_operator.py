"""The platform's operator reviews services and clients, grants and revokes a right, and reads
the message log filtered — on a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.exchange import health, services
from egov.exchange.models import AccessRight
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.exchange.conftest import (  # noqa: F401 - fixtures
    caller,
    dev_pki,
    pki_settings,
    platform_key,
    provider_url,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", "vanhanh")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_operator_grants_revokes_and_reads_the_log(
    browser,
    check_page,
    live_server,
    make_staff,
    agencies,
    caller,  # noqa: F811 - the fixture imported above
    client,
    viewport,
):
    make_staff("vanhanh", agencies["city"], role=Role.SYSTEM_ADMIN, full_name="Phạm Vận Hành")
    health.check(caller.service)
    caller.call(client, "cong-dan/001203004567", sub="001203004567")
    services.revoke_right(actor=None, right=AccessRight.objects.get(), reason="Đổi mục đích")
    page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    _sign_in(page, live_server, "/staff/exchange/")
    expect(page.locator("h1")).to_have_text("Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)")
    expect(page.get_by_text("Cơ sở dữ liệu quốc gia về dân cư")).to_be_visible()
    expect(page.get_by_text("đang trả lời", exact=False)).to_be_visible()
    check_page(page, "exchange-overview")

    page.get_by_role("link", name="Quyền truy cập").click()
    expect(page.locator("h1")).to_have_text("Quyền truy cập")
    page.select_option("#id_client", str(caller.client.pk))
    page.select_option("#id_service", str(caller.service.pk))
    page.fill("#id_purpose", "Cấp phiếu lý lịch tư pháp")
    page.get_by_role("button", name="Cấp quyền").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    page.problems.clear()  # the refused form answered 400, as it should
    page.fill("#id_legal_basis", "Luật Lý lịch tư pháp 2009")
    page.get_by_role("button", name="Cấp quyền").click()
    expect(page.get_by_text("Đã cấp quyền truy cập.")).to_be_visible()
    check_page(page, "exchange-rights")
    live = AccessRight.objects.get(revoked_at__isnull=True)
    page.fill(f"#reason-{live.pk}", "Hết thời hạn thỏa thuận")
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi quyền truy cập.")).to_be_visible()

    page.goto(f"{live_server.url}/staff/exchange/nhat-ky/?service=dan-cu")
    expect(page.locator("h1")).to_have_text("Nhật ký thông điệp")
    expect(page.get_by_text("cong-dan/********4567")).to_be_visible()
    check_page(page, "exchange-log")
    page.context.close()
