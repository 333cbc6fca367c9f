"""A citizen on a phone signs up, submits a birth registration dossier (đăng ký khai sinh) to
their ward with an attachment, gets the code and, once the ward's desk receives it, the receipt;
then tracks it."""

import datetime

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency
from tests.conftest import PASSWORD
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def _code_sent_to(destination):
    import re

    from egov.notifications.models import Notification

    body = Notification.objects.filter(address=destination).latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_submit_and_track(
    browser,
    make_staff,
    agencies,
    live_server,
    province,
    page,
    check_page,
    catalogue,
    settings,
    clamd_socket,
    tmp_path,
):
    ward_unit = AdministrativeUnit.objects.create(
        code="31135",
        name="Phường Ninh Kiều",
        level=3,
        kind="phuong",
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )
    ward = organizations.save_agency(
        Agency(
            code="000.01.50.H13",
            name="Ủy ban nhân dân phường Ninh Kiều",
            kind="ubnd",
            parent=agencies["city"],
            unit=ward_unit,
        ),
        actor=None,
    )
    make_staff("motcua", ward, Role.DESK_OFFICER)
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)

    # A new citizen signs up with a phone number and the code sent by SMS.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Đăng ký tài khoản").click()
    page.fill("#id_full_name", "Huỳnh Thị Diễm")
    page.fill("#id_contact", "0987654321")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    check_page(page, "sign-up")
    page.get_by_role("button", name="Gửi mã cho tôi").click()
    check_page(page, "sign-up-code")
    page.fill("#id_code", _code_sent_to("0987654321"))
    page.get_by_role("button", name="Xác nhận").click()
    assert "Tài khoản của bạn đã sẵn sàng" in page.locator(".messages").inner_text()

    page.goto(live_server.url + "/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    check_page(page, "dossier-start")
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.locator(".error-summary")).to_be_visible()  # the ward must be chosen
    page.fill("#id_commune", "ninh kieu")  # typed, with the list of wards as suggestions
    page.get_by_role("button", name="Bắt đầu").click()

    check_page(page, "dossier-form")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "dossier-form-errors")
    page.fill("#id_ho_ten_tre", "Nguyễn Văn An")
    page.fill("#id_ngay_sinh", "2026-01-05")
    page.select_option("#id_gioi_tinh", "Nam")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    check_page(page, "dossier-documents")
    page.set_input_files("input[type=file]", str(scan))
    page.get_by_role("button", name="Đính kèm").click()
    assert "Đã đính kèm" in page.locator(".messages").inner_text()
    check_page(page, "dossier-documents-attached")
    page.get_by_role("link", name="Tiếp tục").click()

    check_page(page, "dossier-delivery")
    page.get_by_label("Trực tuyến").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    check_page(page, "dossier-review")
    assert "Ủy ban nhân dân phường Ninh Kiều" in page.locator("main").inner_text()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    heading = page.locator("h1").inner_text()
    assert heading.startswith("Hồ sơ 000.01.50.H13-")
    code = heading.removeprefix("Hồ sơ ")
    check_page(page, "dossier-detail")

    # The one-stop desk receives it; the citizen then has the receipt (form 01).
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.problems = []
    desk.goto(live_server.url + "/accounts/login/?next=/staff/dossiers/")
    desk.fill("#id_username", "motcua")
    desk.fill("#id_password", PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").last.click()
    desk.get_by_role("link", name=code).click()
    check_page(desk, "desk-dossier")
    desk.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "Đã tiếp nhận" in desk.locator(".messages").inner_text()
    desk.context.close()
    page.reload()
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{code}-01.pdf").click()
    receipt = tmp_path / "receipt.pdf"
    info.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")
    check_page(page, "dossier-received")

    page.get_by_role("link", name="Tra cứu hồ sơ").first.click()
    page.fill("#id_ma", code)
    page.get_by_role("button", name="Tra cứu").click()
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    check_page(page, "track")
