"""A citizen on a phone asks the post to pick up the papers and deliver the result, with an
address in another province of the region: sees the fees, submits, and follows both shipments
as the postal operator (the local simulator, over HTTP) reports their progress."""

import pytest

from egov.dossiers.models import Dossier
from egov.organizations import services as organizations
from egov.organizations.models import OneStopDesk
from egov.postal import services
from egov.postal.models import Shipment
from tests.conftest import PASSWORD
from tests.dossiers.conftest import PDF
from tests.postal.conftest import IMMEDIATE_TASKS, desk, units  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _report(simulator, tracking: str, status: str):
    row = simulator.locator("tr", has_text=tracking)
    row.get_by_label("Trạng thái mới").select_option(status)
    row.get_by_role("button", name="Gửi").click()
    assert "HTTP 200" in simulator.locator(".messages").inner_text()


def test_postal_pick_up_and_delivery(
    browser,
    live_server,
    page,
    check_page,
    catalogue,
    agencies,
    citizen,
    units,  # noqa: F811
    desk,  # noqa: F811
    settings,
    tmp_path,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    settings.EGOV_POSTAL_SIMULATOR = True
    settings.EGOV_POSTAL_API_URL = f"{live_server.url}/postal-simulator"
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.TASKS = IMMEDIATE_TASKS  # book as soon as the submission commits
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

    page.goto(live_server.url + "/accounts/login/?next=/thu-tuc/2.000488/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    page.fill("#id_ho_ten_tre", "Nguyễn Văn An")
    page.fill("#id_ngay_sinh", "2026-01-05")
    page.select_option("#id_gioi_tinh", "Nam")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.set_input_files("input[type=file]", str(scan))
    page.get_by_role("button", name="Đính kèm").click()
    page.get_by_role("link", name="Tiếp tục").click()

    # The delivery step: by post both ways, to a ward of Vĩnh Long (the script lists its wards).
    page.get_by_label("Qua dịch vụ bưu chính công ích").check()
    page.get_by_label("Nhân viên bưu điện đến địa chỉ này nhận giấy tờ").check()
    assert page.input_value("#id_recipient_name") == "Nguyễn Thị Công Dân"
    page.fill("#id_phone", "0912345678")
    page.select_option("#id_province", "86")
    page.wait_for_selector("#id_commune option[value='29242']", state="attached")
    page.select_option("#id_commune", "29242")
    page.fill("#id_street", "Số 5, đường 2 Tháng 9")
    page.select_option("#id_weight_class", "500g")
    page.get_by_role("button", name="Xem cước bưu chính").click()
    fees = page.get_by_role("status").filter(has_text="Cước bưu chính").inner_text()
    assert "nội vùng" in fees
    assert "34.000 đ" in fees and "28.000 đ" in fees and "62.000 đ" in fees
    assert page.input_value("#id_commune") == "29242"  # the quote keeps every answer
    check_page(page, "postal-delivery-fees")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    main = page.locator("main")
    assert "Số 5, đường 2 Tháng 9, Phường Long Châu, Vĩnh Long" in main.inner_text()
    assert "Tổng cước bưu chính: 62.000 đ" in main.inner_text()
    check_page(page, "postal-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.locator("h1", has_text="Hồ sơ 000.00.00.H13-").wait_for()

    # Submitting booked the pick-up with the operator: the citizen has its tracking number.
    dossier = Dossier.objects.get(applicant=citizen)
    pick_up = Shipment.objects.get(dossier=dossier, direction="pick_up")
    assert pick_up.tracking_number
    assert pick_up.tracking_number in main.inner_text()
    assert "Bưu điện đã nhận yêu cầu" in main.inner_text()
    check_page(page, "postal-dossier-booked")

    # The operator collects the papers and brings them to the agency.
    simulator = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    simulator.problems = []
    simulator.goto(live_server.url + "/postal-simulator/")
    for status in ["picked_up", "in_transit", "delivered"]:
        _report(simulator, pick_up.tracking_number, status)
    check_page(simulator, "postal-simulator")

    page.reload()
    history = page.locator(".shipment").first.inner_text()
    for label in ["Bưu điện đã nhận bưu gửi", "Đang vận chuyển", "Đã phát thành công"]:
        assert label in history

    # The result is issued (another app's work); the desk hands it to the post.
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT_READY)
    delivery = services.hand_over_result(dossier, desk)
    delivery.refresh_from_db()
    assert delivery.tracking_number
    simulator.reload()
    _report(simulator, delivery.tracking_number, "picked_up")
    _report(simulator, delivery.tracking_number, "in_transit")
    simulator.context.close()

    page.reload()
    result = page.locator(".shipment").nth(1).inner_text()
    assert "Chuyển trả kết quả đến người nộp" in result
    assert delivery.tracking_number in result and "Đang vận chuyển" in result
    check_page(page, "postal-dossier-result-on-its-way")
