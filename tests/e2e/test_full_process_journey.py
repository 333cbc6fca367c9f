"""The whole full-process (toàn trình) journey in one go, as a citizen on a phone lives it: submit
the judicial record application online asking for the result by post, pay the fees first through
the VNPAY simulator (the platform's real adapter and IPN), see the desk receive it once paid, and
follow the result's shipment as the postal operator (the simulator, over HTTP) reports it. The
desk officer receives and hands the result to the post from the back office."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import ProcedureVersion
from egov.dossiers import processing
from egov.dossiers.models import Dossier
from egov.organizations import services as organizations
from egov.organizations.models import OneStopDesk
from egov.payments.models import Payment
from egov.postal.models import Shipment
from tests.conftest import PASSWORD
from tests.dossiers.closing import RESULT_PDF
from tests.dossiers.conftest import PDF
from tests.e2e.conftest import DESKTOP
from tests.postal.conftest import IMMEDIATE_TASKS, units  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def _report(simulator, tracking: str, status: str):
    row = simulator.locator("tr", has_text=tracking)
    row.get_by_label("Trạng thái mới").select_option(status)
    row.get_by_role("button", name="Gửi").click()
    assert "HTTP 200" in simulator.locator(".messages").inner_text()


def test_submit_pay_online_and_receive_the_result_by_post(
    browser,
    live_server,
    page,
    check_page,
    catalogue,
    agencies,
    citizen,
    units,  # noqa: F811
    make_staff,
    settings,
    tmp_path,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    settings.VNPAY_URL = ""  # the simulator stands in for VNPAY
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_POSTAL_SIMULATOR = True
    settings.EGOV_POSTAL_API_URL = f"{live_server.url}/postal-simulator"
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.TASKS = IMMEDIATE_TASKS  # book with the operator as soon as the hand-over commits
    version = catalogue["record"]
    assert version.online_mode == "full"
    ProcedureVersion.objects.filter(pk=version.pk).update(payment_first=True)
    make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    specialist = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    organizations.save_desk(
        OneStopDesk(
            agency=agencies["city"],
            name="Bộ phận Một cửa thành phố",
            address="Số 02 Hòa Bình, phường Ninh Kiều, thành phố Cần Thơ",
            phone="02923820000",
        ),
        actor=None,
    )
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)

    # 1. The citizen fills the e-form, attaches the scan and asks for the result by post.
    _sign_in(page, f"{live_server.url}/accounts/login/?next=/thu-tuc/2.000488/", "congdan")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    page.fill("#id_ho_ten_tre", "Nguyễn Văn An")
    page.fill("#id_ngay_sinh", "2026-01-05")
    page.select_option("#id_gioi_tinh", "Nam")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.set_input_files("input[type=file]", str(scan))
    page.get_by_role("button", name="Đính kèm").click()
    page.get_by_role("link", name="Tiếp tục").click()
    page.get_by_label("Qua dịch vụ bưu chính công ích").check()
    page.fill("#id_phone", "0912345678")
    page.select_option("#id_province", "92")
    page.wait_for_selector("#id_commune option[value='31135']", state="attached")
    page.select_option("#id_commune", "31135")
    page.fill("#id_street", "Số 12, đường Hòa Bình")
    page.select_option("#id_weight_class", "500g")
    page.get_by_role("button", name="Xem cước bưu chính").click()
    fees = page.get_by_role("status").filter(has_text="Cước bưu chính").inner_text()
    assert "đ" in fees  # the delivery fee is shown before submitting
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    assert "Số 12, đường Hòa Bình, Phường Ninh Kiều" in page.locator("main").inner_text()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.locator("h1", has_text="Hồ sơ 000.00.00.H13-").wait_for()
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.result_delivery == "post"
    main = page.locator("main").inner_text()
    assert "Phí cung cấp thông tin lý lịch tư pháp: 200.000 đ" in main  # due at submission
    check_page(page, "full-process-submitted")

    # 2. The desk cannot receive it before the fees are paid.
    officer = browser.new_context(viewport=DESKTOP).new_page()
    officer.problems = []
    _sign_in(
        officer,
        f"{live_server.url}/accounts/login/?next=/staff/dossiers/{dossier.public_id}/",
        "motcua",
    )
    officer.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "phải được nộp trước khi tiếp nhận hồ sơ" in officer.locator(".messages").inner_text()

    # 3. The citizen pays through the simulator; the IPN settles it before the browser returns.
    page.get_by_role("button", name="Nộp 200.000 đ trực tuyến").click()
    assert "/gia-lap-vnpay/paymentv2/vpcpay.html?" in page.url
    page.select_option("#bank", "VCB")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    payment = Payment.objects.get(order__dossier=dossier)
    assert payment.status == Payment.Status.PAID
    assert f"Biên lai điện tử {payment.receipt_number}" in page.locator("main").inner_text()
    check_page(page, "full-process-paid")
    page.get_by_role("link", name="Quay lại hồ sơ").click()

    # 4. Now the desk receives it; Justice processes it (the back-office journey covers the
    # pages of that part) and the result is ready for the post.
    officer.reload()
    officer.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "Đã tiếp nhận" in officer.locator(".messages").inner_text()
    dossier = processing.take(Dossier.objects.get(pk=dossier.pk), actor=specialist)
    processing.attach_result(dossier, actor=specialist, name="ket-qua.pdf", data=RESULT_PDF)
    dossier = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=specialist)
    assert dossier.status == Dossier.Status.RESULT_READY

    # 5. The desk hands the result to the post from the dossier's page.
    officer.reload()
    officer.get_by_role("button", name="Giao kết quả cho bưu điện").click()
    delivery = Shipment.objects.get(dossier=dossier, direction=Shipment.Direction.DELIVERY)
    assert delivery.tracking_number
    assert delivery.tracking_number in officer.locator("main").inner_text()
    check_page(officer, "full-process-handed-to-post")
    officer.context.close()

    # 6. The operator reports its progress; the citizen follows the shipment to the door.
    simulator = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    simulator.problems = []
    simulator.goto(live_server.url + "/postal-simulator/")
    for status in ["picked_up", "in_transit"]:
        _report(simulator, delivery.tracking_number, status)
    page.reload()
    shipment = page.locator(".shipment").first.inner_text()
    assert "Chuyển trả kết quả đến người nộp" in shipment
    assert delivery.tracking_number in shipment and "Đang vận chuyển" in shipment
    check_page(page, "full-process-on-its-way")
    _report(simulator, delivery.tracking_number, "delivered")
    simulator.context.close()
    page.reload()
    assert "Đã phát thành công" in page.locator(".shipment").first.inner_text()
    expect(page.get_by_role("button", name="Nộp 200.000 đ trực tuyến")).to_have_count(0)
    check_page(page, "full-process-delivered")
