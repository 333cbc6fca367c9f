"""Receipt regardless of administrative boundary (tiếp nhận không phụ thuộc địa giới hành chính,
Nghị định 118/2025/NĐ-CP) in a browser: the desk officer of one ward's Public Administration
Service Centre receives a paper dossier for another ward, and that ward's specialist finds it
in their queue; a procedure not on the province's list is refused with where to hand it in;
the list is public on a phone."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.dossiers.models import Dossier
from tests.boundary_fixtures import list_it, make_communes
from tests.dossiers.conftest import PDF
from tests.e2e.test_back_office_journey import act, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_ward_centre_receives_for_another_ward(
    browser,
    live_server,
    page,
    check_page,
    catalogue,
    agencies,
    province,
    make_staff,
    settings,
    tmp_path,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    communes = make_communes(province, agencies["city"])
    a, b = communes["a"], communes["b"]
    birth = list_it(catalogue["birth"])
    make_staff("motcua.ninhkieu", a["centre"], Role.DESK_OFFICER, full_name="Lê Thị Quầy")
    make_staff("chuyenvien.caikhe", b["committee"], Role.SPECIALIST, full_name="Trần Văn Khế")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)

    desk = signed_in(browser, live_server, "motcua.ninhkieu")
    desk.goto(live_server.url + "/staff/dossiers/counter/")
    desk.select_option("#procedure", str(birth.pk))
    desk.get_by_role("button", name="Tiếp tục").click()
    expect(desk.get_by_role("heading", name="Hồ sơ giấy tại quầy")).to_be_visible()
    desk.fill("#id_a-full_name", "Võ Thị Quầy")
    desk.fill("#id_a-phone", "0912345678")
    desk.select_option("#id_a-channel", "desk")
    desk.select_option("#id_a-result_delivery", "desk")
    desk.select_option("#deciding", label="Ủy ban nhân dân phường Cái Khế")
    expect(desk.locator("#return_agency")).to_have_value(str(a["centre"].pk))
    desk.fill("#id_ho_ten_tre", "Nguyễn Văn An")
    desk.fill("#id_ngay_sinh", "2026-01-05")
    desk.select_option("#id_gioi_tinh", "Nam")
    desk.set_input_files(f"#scan-{birth.requirements.get().pk}", str(scan))
    check_page(desk, "boundary-free-counter")
    desk.get_by_role("button", name="Tiếp nhận và in giấy tiếp nhận").click()
    expect(desk.locator(".messages")).to_contain_text("Đã tiếp nhận với mã 001.01.50.H13-")
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency == a["centre"] and dossier.deciding_agency == b["committee"]
    expect(desk.locator("main")).to_contain_text("Ủy ban nhân dân phường Cái Khế")
    check_page(desk, "boundary-free-received")
    act(desk, "Chuyển tiếp", **{"Ghi chú vào phiếu kiểm soát": "Đã chuyển hồ sơ giấy"})
    expect(desk.locator(".messages")).to_contain_text("Đã chuyển sang bước tiếp theo")

    # A procedure not on the list (the judicial record, received by the city's desk): the
    # ward's centre is told where it is handed in, and no form is offered.
    desk.goto(live_server.url + "/staff/dossiers/counter/")
    desk.select_option("#procedure", str(catalogue["record"].pk))
    desk.get_by_role("button", name="Tiếp tục").click()
    alert = desk.get_by_role("alert")
    expect(alert).to_contain_text("không thuộc danh mục thủ tục tiếp nhận không phụ thuộc")
    expect(alert).to_contain_text(agencies["city"].name)
    expect(desk.get_by_role("button", name="Tiếp nhận và in giấy tiếp nhận")).to_have_count(0)
    check_page(desk, "boundary-free-refused")
    desk.context.close()

    specialist = signed_in(browser, live_server, "chuyenvien.caikhe")
    specialist.get_by_role("link", name="Chờ xử lý").click()
    expect(specialist.get_by_role("link", name=dossier.code)).to_be_visible()
    check_page(specialist, "boundary-free-queue-other-ward")
    specialist.get_by_role("link", name=dossier.code).click()
    expect(specialist.locator("main")).to_contain_text(
        "Trung tâm Phục vụ hành chính công phường Ninh Kiều"
    )
    specialist.context.close()

    # The province's list, public, on a phone.
    page.goto(live_server.url + "/thu-tuc/khong-phu-thuoc-dia-gioi/")
    expect(page.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
    check_page(page, "boundary-free-list")
