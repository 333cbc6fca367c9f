"""A designed procedure carried end to end in the browser (issue 33's proof): a catalogue editor
builds a new procedure without typing JSON — an e-form with a condition, two papers, a per-unit
fee, a four-step workflow whose processing consults two agencies at once, and a result template
with form placeholders — and publishes it; a citizen submits it on a 360 px phone through the
portal's pages; the desk receives it, each consulted agency's staff answer, the dossier moves on
by itself, the leader signs the result drawn from the template, the desk returns it. The signed
PDF carries the template's layout and the answers (pdftotext) and validates (pdfsig)."""

import subprocess

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import ProcedureVersion, ResultTemplate
from egov.dossiers.models import Attachment, Dossier
from tests.conftest import PASSWORD
from tests.dossiers.conftest import PDF
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import act, signed_in
from tests.e2e.test_procedure_designer import add_field, add_step, save
from tests.signatures import fixtures
from tests.signatures.fixtures import nss_database, pdfsig

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "9.000033"
# The signature tests' fixtures: a development PKI with its responders on localhost.
dev_pki = fixtures.dev_pki
pki_settings = fixtures.pki_settings
agency_issued = fixtures.agency_issued
import_agency_certificate = fixtures.import_agency_certificate


def watched(page):
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    return page


def design(browser, live_server, check_page, agencies):
    editor = watched(signed_in(browser, live_server, "bientap"))
    editor.goto(live_server.url + "/staff/catalog/new/")
    editor.fill("#id_code", CODE)
    editor.select_option("#id_owner_agency", label="Sở Tư pháp")
    editor.fill("#id_name", "Cấp bản sao trích lục hộ tịch")
    editor.select_option("#id_field", label="Hộ tịch")
    editor.select_option("#id_level", "province")
    editor.select_option("#id_online_mode", "full")
    editor.select_option("#id_legacy_service_level", "4")
    editor.fill("#id_time_limit", "5")
    editor.get_by_role("button", name="Tạo").click()
    # Who decides and where it is received, on the draft's own page.
    editor.select_option("#id_deciding_agency", agencies["justice"].code)
    editor.select_option("#id_receiving_agencies", agencies["city"].code)
    save(editor, "Lưu dự thảo")

    # The e-form: a choice, an address shown only for delivery by post, a bounded number.
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
        editor, 2, "Số bản sao", "number", required=True, minimum="1", maximum="10", name="so_ban"
    )
    check_page(editor, "journey33-designer-form")

    # Two papers, the second only when someone applies on the citizen's behalf.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Thành phần hồ sơ").click()
    editor.fill("#id_p-0-name", "Tờ khai đề nghị cấp bản sao trích lục")
    save(editor, "Lưu thành phần hồ sơ")
    editor.fill("#id_p-1-name", "Giấy ủy quyền")
    editor.uncheck("#id_p-1-mandatory")
    editor.fill("#id_p-1-condition", "Khi người khác nộp thay")
    save(editor, "Lưu thành phần hồ sơ")
    check_page(editor, "journey33-designer-papers")

    # A per-unit fee: 5.000 đ a copy.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Phí, lệ phí").click()
    editor.fill("#id_fee-0-name", "Lệ phí cấp bản sao trích lục")
    editor.select_option("#id_fee-0-kind", "le_phi")
    editor.select_option("#id_fee-0-rule_type", "per_unit")
    editor.fill("#id_fee-0-amount", "5000")
    editor.select_option("#id_fee-0-field", "so_ban")
    save(editor, "Lưu phí, lệ phí")
    check_page(editor, "journey33-designer-fees")

    # Four steps; processing is a consultation of Health and the legal aid centre at once.
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Quy trình").click()
    add_step(editor, 0, "Tiếp nhận", "receive", "desk_officer", "receiving", "0.5")
    editor.fill("#id_s-1-name", "Xử lý, lấy ý kiến các cơ quan")
    editor.select_option("#id_s-1-action", "consultation")
    editor.select_option("#id_s-1-role", "specialist")
    editor.select_option("#id_s-1-agency_role", "deciding")
    editor.fill("#id_s-1-duration", "3")
    slots = editor.locator(".consultation-setting").nth(1)
    if slots.get_attribute("open") is None:
        slots.locator("summary").click()
    editor.select_option("#id_s-1-consult_agency_1", agencies["health"].code)
    editor.fill("#id_s-1-consult_days_1", "2")
    editor.select_option("#id_s-1-consult_agency_2", agencies["legal_aid"].code)
    editor.fill("#id_s-1-consult_days_2", "1")
    save(editor, "Lưu quy trình")
    add_step(editor, 2, "Lãnh đạo ký", "sign", "leader", "deciding", "1")
    add_step(editor, 3, "Trả kết quả", "return", "desk_officer", "receiving", "0.5")
    diagram = editor.locator("svg.workflow-diagram")
    expect(diagram).to_contain_text(agencies["health"].name[:12])
    check_page(editor, "journey33-designer-workflow")

    # The result template, with the answers inserted from the list (no template code typed).
    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.get_by_role("link", name="Mẫu kết quả").click()
    editor.fill("#id_title", "Trích lục bản sao hộ tịch")
    editor.fill("#id_parent_agency", "UBND thành phố Cần Thơ")
    editor.fill("#id_place", "Cần Thơ")
    editor.fill("#id_signer_title", "Giám đốc")
    body = editor.locator("#id_body")
    body.fill("")
    insert = editor.locator(".insert-list")
    body.press_sequentially("Cấp cho ông/bà ")
    insert.get_by_role("button", name="Người nộp", exact=True).click()
    body.press_sequentially(" số bản sao: ")
    insert.get_by_role("button", name="Số bản sao").click()
    body.press_sequentially("; nhận kết quả: ")
    insert.get_by_role("button", name="Hình thức nhận kết quả").click()
    body.press_sequentially(".")
    save(editor, "Lưu mẫu kết quả")
    template = ResultTemplate.objects.get(version__procedure__code=CODE)
    assert "{{ to_khai.so_ban }}" in template.body and "{{ to_khai.hinh_thuc }}" in template.body
    check_page(editor, "journey33-designer-result-template")

    editor.get_by_role("link", name="Quay lại dự thảo").click()
    editor.fill("#id_effective_from", "2025-07-01")
    editor.fill("#id_change_note", "Ban hành")
    editor.get_by_role("button", name="Công bố").click()
    expect(editor.locator(".messages")).to_contain_text("Đã công bố phiên bản 1")
    editor.context.close()
    version = ProcedureVersion.objects.get(procedure__code=CODE)
    assert version.status == "published"
    return version


def submit_on_a_phone(page, live_server, check_page, tmp_path):
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    page.goto(f"{live_server.url}/accounts/login/?next=/thu-tuc/{CODE}/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    address = page.get_by_label("Địa chỉ nhận qua bưu điện")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Qua bưu điện")
    expect(address).to_be_visible()
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Tại quầy")
    expect(address).to_be_hidden()
    page.get_by_label("Số bản sao").fill("3")
    check_page(page, "journey33-citizen-form")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.locator("input[type=file]").first.set_input_files(str(scan))
    page.get_by_role("button", name="Đính kèm").first.click()
    assert "Đã đính kèm" in page.locator(".messages").inner_text()
    check_page(page, "journey33-citizen-papers")
    page.get_by_role("link", name="Tiếp tục").click()
    page.get_by_label("Trực tuyến").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    assert "15.000" in page.locator("main").inner_text()  # 3 copies × 5.000 đ
    check_page(page, "journey33-citizen-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.locator("h1", has_text="Hồ sơ ").wait_for()
    check_page(page, "journey33-citizen-submitted")


def text_of(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def test_a_designed_procedure_from_the_designer_to_the_signed_result(
    browser,
    live_server,
    page,
    check_page,
    agencies,
    make_staff,
    citizen,
    catalogue,
    settings,
    dev_pki,
    agency_issued,
    import_agency_certificate,
    tmp_path,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    make_staff("bientap", agencies["justice"], Role.CATALOGUE_EDITOR, full_name="Phạm Thị Biên")
    make_staff("motcua", agencies["city"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")
    make_staff("yte", agencies["health"], Role.SPECIALIST, full_name="Đỗ Y Tế")
    make_staff("trogiup", agencies["legal_aid"], Role.SPECIALIST, full_name="Hồ Trợ Giúp")
    make_staff("lanhdao", agencies["justice"], Role.LEADER, full_name="Phạm Lãnh Đạo")
    import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])

    design(browser, live_server, check_page, agencies)
    assert page.viewport_size == PHONE
    submit_on_a_phone(page, live_server, check_page, tmp_path)
    dossier = Dossier.objects.get(applicant=citizen, procedure_version__procedure__code=CODE)
    assert dossier.status == Dossier.Status.SUBMITTED
    assert dossier.form_data == {"hinh_thuc": "tai_quay", "so_ban": 3}
    code = dossier.code

    # The desk receives it; the consultation step sends both requests at once.
    desk = watched(signed_in(browser, live_server, "motcua"))
    desk.get_by_role("link", name=code).click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    expect(desk.locator("main")).to_contain_text("Đang giải quyết")
    check_page(desk, "journey33-received")
    desk.context.close()
    assert dossier.consultations.count() == 2

    # Each consulted agency answers from its own list; the last answer moves the dossier on.
    for username, opinion, text in [
        ("yte", "Đồng ý", "Sở Y tế thống nhất"),
        ("trogiup", "Đồng ý", "Trung tâm thống nhất cấp"),
    ]:
        staff = watched(signed_in(browser, live_server, username))
        staff.get_by_role("link", name="Đề nghị cho ý kiến gửi cơ quan").click()
        check_page(staff, f"journey33-consultations-{username}")
        staff.get_by_role("link", name=code).first.click()
        staff.get_by_label(opinion, exact=True).check()
        staff.locator("#id_text").fill(text)
        check_page(staff, f"journey33-consultation-{username}")
        staff.get_by_role("button", name="Gửi ý kiến").click()
        expect(staff.locator(".messages")).to_be_visible()
        staff.context.close()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.current_step.action == "sign" and dossier.current_role == Role.LEADER

    # The leader drafts and signs the result in the template, then hands it on.
    leader = watched(signed_in(browser, live_server, "lanhdao"))
    leader.goto(live_server.url + f"/staff/dossiers/{dossier.public_id}/")
    expect(leader.locator("#consultations")).to_be_visible()
    check_page(leader, "journey33-sign")
    leader.fill("#decision-number", "33/TL-STP")
    leader.locator("#gen-certificate").select_option(index=1)
    leader.get_by_role("button", name="Soạn dự thảo kết quả").click()
    expect(leader.locator(".messages")).to_contain_text("Đã soạn dự thảo kết quả")
    act(leader, "Chuyển tiếp", **{"Ghi chú vào phiếu kiểm soát": "Đồng ý cấp"})
    assert Dossier.objects.get(pk=dossier.pk).status == "result_ready"
    leader.context.close()

    # The desk returns it.
    desk = watched(signed_in(browser, live_server, "motcua", viewport=DESKTOP))
    desk.get_by_role("link", name="Chờ trả kết quả").click()
    desk.get_by_role("link", name=code).click()
    check_page(desk, "journey33-return")
    act(desk, "Đã trả kết quả: kết thúc hồ sơ", **{"Ghi chú (người nhận, số bưu gửi…)": "Tại quầy"})
    assert Dossier.objects.get(pk=dossier.pk).status == "returned"
    desk.context.close()

    # The signed result carries the template's layout and the answers, and validates.
    result = Attachment.objects.get(dossier=dossier, kind=Attachment.Kind.RESULT)
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(result.file.read())
    text = text_of(path)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND THÀNH PHỐ CẦN THƠ",
        "Số: 33/TL-STP",
        "TRÍCH LỤC BẢN SAO HỘ TỊCH",
        f"Cấp cho ông/bà {dossier.applicant_name} số bản sao: 3; nhận kết quả: Tại quầy.",
        "GIÁM ĐỐC",
        "Phạm Lãnh Đạo",
    ]:
        assert expected in text, (expected, text)
    report = pdfsig(path, nss_database(dev_pki, tmp_path / "nss"))
    assert "Signature is Valid." in report, report
