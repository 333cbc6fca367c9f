"""A citizen on a phone pays the fees of a received dossier online, through the local gateway
simulator speaking VNPAY's protocol to the platform's real adapter and IPN; gets the e-receipt;
the desk sees the dossier paid."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.payments.models import Payment
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP
from tests.payments.conftest import receive_another

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def test_citizen_pays_through_the_simulator(
    live_server,
    browser,
    page,
    check_page,
    settings,
    citizen,
    catalogue,
    make_staff,
    agencies,
    tmp_path,
):
    settings.VNPAY_URL = ""  # the simulator stands in for VNPAY
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.EGOV_MALWARE_SCANNER = "none"
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    dossier = receive_another(citizen, catalogue["record"], officer)

    _sign_in(page, f"{live_server.url}/accounts/login/?next=/ho-so/{dossier.public_id}/", "congdan")
    assert "Phí cung cấp thông tin lý lịch tư pháp: 200.000 đ" in page.locator("main").inner_text()
    check_page(page, "payment-dossier")
    page.get_by_role("button", name="Nộp 200.000 đ trực tuyến").click()

    assert "/gia-lap-vnpay/paymentv2/vpcpay.html?" in page.url
    assert "200.000 đ" in page.locator("h1").inner_text()
    check_page(page, "payment-simulator")
    page.select_option("#bank", "VCB")
    page.get_by_role("button", name="Xác nhận thanh toán").click()

    assert "/thanh-toan/ket-qua/?" in page.url
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PAID  # settled by the IPN, before the browser returned
    assert f"Biên lai điện tử {payment.receipt_number}" in page.locator("main").inner_text()
    check_page(page, "payment-result")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải biên lai điện tử").click()
    receipt = tmp_path / "bien-lai.pdf"
    info.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Quay lại hồ sơ").click()
    assert "Đã nộp" in page.locator("main").inner_text()
    expect(page.get_by_role("button", name="Nộp 200.000 đ trực tuyến")).to_have_count(0)
    check_page(page, "payment-dossier-paid")

    desk = browser.new_context(viewport=DESKTOP).new_page()
    desk.problems = []
    _sign_in(
        desk,
        f"{live_server.url}/accounts/login/?next=/staff/dossiers/{dossier.public_id}/",
        "motcua",
    )
    assert payment.receipt_number in desk.locator("main").inner_text()
    check_page(desk, "payment-desk")
    desk.context.close()


def test_a_cancelled_payment_can_be_tried_again(
    live_server, page, check_page, settings, citizen, catalogue, make_staff, agencies
):
    settings.VNPAY_URL = ""
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.EGOV_MALWARE_SCANNER = "none"
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    dossier = receive_another(citizen, catalogue["record"], officer)

    _sign_in(page, f"{live_server.url}/accounts/login/?next=/ho-so/{dossier.public_id}/", "congdan")
    page.get_by_role("button", name="Nộp 200.000 đ trực tuyến").click()
    page.get_by_role("button", name="Hủy thanh toán").click()
    assert "Thanh toán không thành công" in page.locator("main").inner_text()
    check_page(page, "payment-cancelled")
    page.get_by_role("link", name="Quay lại hồ sơ").click()
    expect(page.get_by_role("button", name="Nộp 200.000 đ trực tuyến")).to_be_visible()


def test_the_desk_takes_the_fees_of_a_pay_first_dossier_before_receiving_it(
    live_server, browser, check_page, settings, citizen, catalogue, make_staff, agencies
):
    from egov.catalog.models import ProcedureVersion
    from egov.dossiers import services

    settings.EGOV_MALWARE_SCANNER = "none"
    version = catalogue["record"]
    ProcedureVersion.objects.filter(pk=version.pk).update(payment_first=True)
    version.refresh_from_db()
    make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    services.save_answers(
        dossier,
        applicant=citizen,
        answers={"ho_ten_tre": "Lê Văn Cường", "ngay_sinh": "2026-03-01", "gioi_tinh": "Nam"},
    )
    from tests.dossiers.conftest import PDF

    services.attach(
        dossier,
        applicant=citizen,
        requirement_id=version.requirements.get().pk,
        name="to-khai.pdf",
        data=PDF,
    )
    dossier = services.submit(dossier, applicant=citizen)

    desk = browser.new_context(viewport=DESKTOP).new_page()
    desk.problems = []
    _sign_in(
        desk,
        f"{live_server.url}/accounts/login/?next=/staff/dossiers/{dossier.public_id}/",
        "motcua",
    )
    desk.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "phải được nộp trước khi tiếp nhận hồ sơ" in desk.locator(".messages").inner_text()
    check_page(desk, "payment-desk-pay-first")
    desk.select_option("#counter-method", "card")
    desk.fill("#counter-reference", "POS-000451")
    desk.get_by_role("button", name="Ghi nhận khoản nộp và cấp biên lai điện tử").click()
    assert "Đã ghi nhận khoản nộp" in desk.locator(".messages").inner_text()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "Đã tiếp nhận" in desk.locator(".messages").inner_text()
    check_page(desk, "payment-desk-received")
    desk.context.close()
