"""The operator adds a member and subscribes a client system on the platform's pages; a citizen
takes a land parcel's data from the land database for a dossier — on a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import DocumentRequirement
from egov.dossiers import registry_prefill, services
from tests.catalog_fixtures import make_procedure
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.exchange.conftest import (  # noqa: F401 - fixtures
    caller,
    dev_pki,
    pki_settings,
    platform_key,
    provider_url,
)
from tests.exchange.registry_fixtures import registries, registry_servers  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


def signed_in(browser, live_server, username, path, viewport):
    page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    return page


@VIEWPORTS
def test_the_operator_adds_a_member_and_a_subscription(
    browser,
    check_page,
    live_server,
    make_staff,
    agencies,
    caller,  # noqa: F811
    viewport,
):
    make_staff("vanhanh", agencies["city"], role=Role.SYSTEM_ADMIN)
    page = signed_in(browser, live_server, "vanhanh", "/staff/", viewport)
    page.goto(f"{live_server.url}/staff/exchange/")
    expect(page.locator("h1")).to_have_text("Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)")
    page.get_by_role("link", name="Thành viên", exact=True).click()
    page.get_by_label("Mã thành viên").fill("bo-tai-chinh")
    page.locator("#id_name").fill("Bộ Tài chính")
    page.get_by_role("button", name="Lưu thành viên").click()
    expect(page.get_by_text("Đã lưu thành viên.")).to_be_visible()
    expect(page.get_by_role("cell", name="Bộ Tài chính")).to_be_visible()
    check_page(page, "exchange-members")

    page.get_by_role("link", name="Đăng ký nhận sự kiện").click()
    page.get_by_label("Hệ thống máy trạm").select_option(label="Hệ thống một cửa (Sở Tư pháp)")
    page.get_by_label("Địa chỉ nhận").fill("https://he-thong.example.vn/su-kien")
    page.get_by_label("Hồ sơ đã được tiếp nhận").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("chỉ hiển thị một lần", exact=False)).to_be_visible()
    check_page(page, "exchange-subscriptions")


@VIEWPORTS
def test_a_parcel_is_taken_from_the_land_database(
    browser,
    check_page,
    live_server,
    citizen,
    agencies,
    registries,  # noqa: F811
    monkeypatch,
    settings,
    viewport,
):
    settings.EGOV_LAND_REGISTRY = {"gateway_url": live_server.url}
    monkeypatch.setattr(registry_prefill, "client", lambda name: registries[name])
    version = make_procedure(
        "1.012345",
        "Đăng ký biến động đất đai",
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        form=[
            {"name": "so_to_ban_do", "label": "Số tờ bản đồ", "type": "integer"},
            {"name": "so_thua", "label": "Số thửa", "type": "integer"},
            {"name": "dien_tich", "label": "Diện tích (m²)", "type": "number"},
            {"name": "muc_dich_su_dung", "label": "Mục đích sử dụng", "type": "string"},
        ],
    )
    DocumentRequirement.objects.create(
        version=version,
        position=5,
        name="Giấy chứng nhận quyền sử dụng đất",
        registry=DocumentRequirement.Registry.LAND,
        accepted_types=["pdf"],
    )
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    path = f"/ho-so/{dossier.public_id}/to-khai/"
    page = signed_in(browser, live_server, citizen.username, path, viewport)
    expect(page.get_by_role("heading", name="Lấy giấy tờ từ Cơ sở dữ liệu đất đai")).to_be_visible()
    check_page(page, "registry-land-offer")
    page.get_by_label("Số phát hành giấy chứng nhận").fill("DA 123456")
    page.get_by_label("Tôi đồng ý", exact=False).check()
    page.get_by_role("button", name="Lấy từ cơ sở dữ liệu").click()
    expect(
        page.get_by_text("Dữ liệu đã được lấy từ Cơ sở dữ liệu đất đai", exact=False)
    ).to_be_visible()
    expect(page.locator("#id_dien_tich")).to_have_value("86.5")
    check_page(page, "registry-land-filled")
