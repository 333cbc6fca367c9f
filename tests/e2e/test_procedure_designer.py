"""The procedure designer in a browser: a catalogue editor builds a new procedure — an e-form
with a conditional field, two papers, a per-unit fee and a four-step workflow — without typing
JSON, publishes it, and a citizen on a 360 px phone sees the conditional field come and go."""

import datetime

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import ProcedureVersion
from egov.dossiers import services as dossiers
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE
from tests.e2e.test_back_office_journey import signed_in

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "9.000001"


def save(page, button):
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_be_visible()


def add_field(page, index, label, kind, **settings):
    page.fill(f"#id_f-{index}-label", label)
    page.select_option(f"#id_f-{index}-kind", kind)
    for name, value in settings.items():
        selector = f"#id_f-{index}-{name}"
        if value is True:
            page.check(selector)
        elif page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    save(page, "Lưu biểu mẫu điện tử")


def add_step(page, index, name, action, role, agency_role, duration):
    page.fill(f"#id_s-{index}-name", name)
    page.select_option(f"#id_s-{index}-action", action)
    page.select_option(f"#id_s-{index}-role", role)
    page.select_option(f"#id_s-{index}-agency_role", agency_role)
    page.fill(f"#id_s-{index}-duration", duration)
    save(page, "Lưu quy trình")


def test_editor_designs_and_publishes_a_procedure_a_citizen_fills_on_a_phone(
    browser, live_server, page, check_page, agencies, make_staff, citizen, catalogue
):
    make_staff("bientap", agencies["justice"], Role.CATALOGUE_EDITOR, full_name="Phạm Thị Biên")
    editor = signed_in(browser, live_server, "bientap")
    editor.problems = []
    editor.on("console", lambda m: m.type == "error" and editor.problems.append(m.text))
    editor.goto(live_server.url + "/staff/catalog/new/")
    editor.fill("#id_code", CODE)
    editor.select_option("#id_owner_agency", label="Sở Tư pháp")
    editor.fill("#id_name", "Cấp bản sao trích lục hộ tịch")
    editor.select_option("#id_field", label="Hộ tịch")
    editor.select_option("#id_level", "commune")
    editor.select_option("#id_online_mode", "full")
    editor.select_option("#id_legacy_service_level", "4")
    editor.fill("#id_time_limit", "3")
    editor.get_by_role("button", name="Tạo").click()

    # The e-form: a choice, a field shown only for one of its answers, a bounded number.
    editor.get_by_role("link", name="Thiết kế biểu mẫu điện tử").click()
    add_field(
        editor,
        0,
        "Hình thức nhận kết quả",
        "choice",
        required=True,
        options="Tại quầy\nQua bưu điện",
        name="hinh_thuc",
    )
    add_field(
        editor,
        1,
        "Địa chỉ nhận qua bưu điện",
        "text",
        required=True,
        show_when_field="hinh_thuc",
        show_when_value="Qua bưu điện",
    )
    add_field(
        editor,
        2,
        "Số bản sao",
        "number",
        required=True,
        minimum="1",
        maximum="10",
        name="so_ban_sao",
    )
    preview = editor.locator(".preview-phone")
    expect(preview.get_by_label("Số bản sao")).to_be_visible()
    expect(preview.get_by_label("Địa chỉ nhận qua bưu điện")).to_be_hidden()
    preview.get_by_label("Hình thức nhận kết quả").select_option(label="Qua bưu điện")
    expect(preview.get_by_label("Địa chỉ nhận qua bưu điện")).to_be_visible()
    # The preview follows an unsaved change.
    editor.fill("#id_f-2-help", "Mỗi bản 5.000 đồng")
    expect(editor.locator(".preview-desktop")).to_contain_text("Mỗi bản 5.000 đồng")
    check_page(editor, "designer-form")
    # Ordering by keyboard: the number moves up above the address.
    editor.get_by_role("button", name="Chuyển trường 3 lên").click()
    expect(editor.locator("#id_f-1-label")).to_have_value("Số bản sao")
    editor.set_viewport_size(PHONE)
    check_page(editor, "designer-form")
    editor.set_viewport_size({"width": 1280, "height": 900})

    # Two papers.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Thành phần hồ sơ").click()
    editor.fill("#id_p-0-name", "Tờ khai đề nghị cấp bản sao trích lục")
    save(editor, "Lưu thành phần hồ sơ")
    editor.fill("#id_p-1-name", "Giấy ủy quyền")
    editor.fill("#id_p-1-condition", "Khi người khác nộp thay")
    save(editor, "Lưu thành phần hồ sơ")
    check_page(editor, "designer-papers")

    # A per-unit fee, tried on sample answers.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Phí, lệ phí").click()
    editor.fill("#id_fee-0-name", "Lệ phí cấp bản sao trích lục")
    editor.select_option("#id_fee-0-kind", "le_phi")
    editor.select_option("#id_fee-0-rule_type", "per_unit")
    editor.fill("#id_fee-0-amount", "5000")
    editor.select_option("#id_fee-0-field", "so_ban_sao")
    save(editor, "Lưu phí, lệ phí")
    editor.select_option("#id_try-hinh_thuc", label="Tại quầy")
    editor.fill("#id_try-so_ban_sao", "3")
    editor.get_by_role("button", name="Tính phí").click()
    expect(editor.get_by_role("status")).to_contain_text("15.000 đ")
    check_page(editor, "designer-fees")

    # Four steps; the diagram and the checks follow.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Quy trình").click()
    add_step(editor, 0, "Tiếp nhận", "receive", "desk_officer", "receiving", "0.5")
    add_step(editor, 1, "Xử lý", "process", "specialist", "deciding", "2")
    expect(editor.locator("main")).to_contain_text("Bước cuối cùng phải là trả kết quả")
    add_step(editor, 2, "Lãnh đạo ký", "sign", "leader", "deciding", "0.25")
    add_step(editor, 3, "Trả kết quả", "return", "desk_officer", "receiving", "0.25")
    expect(editor.locator("svg.workflow-diagram")).to_be_visible()
    check_page(editor, "designer-workflow")
    editor.set_viewport_size(PHONE)
    check_page(editor, "designer-workflow")
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Phí, lệ phí").click()
    check_page(editor, "designer-fees")
    editor.set_viewport_size({"width": 1280, "height": 900})
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    # Before publishing, the draft's page says what it is; nothing was published before.
    expect(editor.locator("main")).to_contain_text("chưa có phiên bản nào được công bố")

    editor.fill("#id_effective_from", "2025-07-01")
    editor.fill("#id_change_note", "Ban hành")
    editor.get_by_role("button", name="Công bố").click()
    expect(editor.locator(".messages")).to_contain_text("Đã công bố phiên bản 1")
    version = ProcedureVersion.objects.get(procedure__code=CODE)
    assert version.status == "published" and version.effective_from == datetime.date(2025, 7, 1)
    editor.context.close()

    # A citizen's declaration on a phone: the address shows only for delivery by post.
    dossier = dossiers.start(applicant=citizen, version=version, agency=agencies["justice"])
    page.goto(live_server.url + f"/accounts/login/?next=/ho-so/{dossier.public_id}/to-khai/")
    page.fill("#id_username", citizen.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    address = page.get_by_label("Địa chỉ nhận qua bưu điện")
    expect(address).to_be_hidden()
    page.get_by_label("Số bản sao").fill("2")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Qua bưu điện")
    expect(address).to_be_visible()
    check_page(page, "designer-citizen-form")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator(".error-summary")).to_contain_text("Địa chỉ nhận qua bưu điện")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Tại quầy")
    expect(address).to_be_hidden()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator("h1")).not_to_have_text("Tờ khai")
    dossier.refresh_from_db()
    assert dossier.form_data == {"hinh_thuc": "tai_quay", "so_ban_sao": 2}
