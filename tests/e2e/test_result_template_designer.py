"""The result template designer in a browser: a catalogue editor writes the official result
layout with the format buttons and the fields to insert (no JSON, no template code), sees the
paper with sample answers at desktop and phone width, and adds a missing paper type. The
screenshots go to docs/screenshots/ for the editor's guide (docs/catalog.md)."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import PaperType, ResultTemplate
from tests.e2e.conftest import PHONE, SCREENSHOTS
from tests.e2e.test_back_office_journey import signed_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def keep(name: str, width: int) -> None:
    DOCS.mkdir(exist_ok=True)
    shutil.copy(SCREENSHOTS / f"{name}-{width}.png", DOCS / f"{name}-{width}.png")


def test_editor_writes_the_result_template_without_code(
    browser, live_server, check_page, agencies, make_staff, catalogue
):
    make_staff("bientap", agencies["justice"], Role.CATALOGUE_EDITOR, full_name="Phạm Thị Biên")
    editor = signed_in(browser, live_server, "bientap")
    editor.problems = []
    editor.on("console", lambda m: m.type == "error" and editor.problems.append(m.text))
    editor.goto(live_server.url + "/staff/catalog/2.000815/")
    editor.get_by_role("button", name="Tạo phiên bản mới").click()
    editor.get_by_role("link", name="Mẫu kết quả").click()
    expect(editor.locator("h1")).to_contain_text("Mẫu kết quả của 2.000815")

    editor.fill("#id_title", "Giấy chứng thực bản sao")
    editor.fill("#id_parent_agency", "UBND thành phố Cần Thơ")
    editor.fill("#id_place", "Cần Thơ")
    editor.fill("#id_signer_title", "Giám đốc")
    editor.fill("#id_validity_months", "12")
    body = editor.locator("#id_body")
    body.fill("")
    toolbar = editor.get_by_role("toolbar")
    body.press_sequentially("Chứng thực")
    toolbar.get_by_role("button", name="Tiêu đề căn giữa").click()
    body.press("End")
    body.press("Enter")
    body.press_sequentially("Chứng thực bản sao đúng với bản chính cho ông/bà ")
    editor.locator(".insert-list").get_by_role("button", name="Người nộp", exact=True).click()
    body.press_sequentially(", hồ sơ ")
    editor.locator(".insert-list").get_by_role("button", name="Mã hồ sơ").click()
    body.press_sequentially(".")
    body.press("Enter")
    body.press("Enter")
    insert = editor.locator(".insert-list")
    for label, field in [("Số trang", "Số trang của bản sao"), ("Số bản", "Số bản sao")]:
        toolbar.get_by_role("button", name="Dòng bảng").click()
        body.press_sequentially(label)  # replaces the first cell's "…"
        body.press("End")
        body.press("ArrowLeft")
        body.press("ArrowLeft")
        body.press("Backspace")
        insert.get_by_role("button", name=field).click()
    editor.fill("#id_recipients", "Như trên;\nLưu: VT.")
    editor.get_by_role("button", name="Lưu mẫu kết quả").click()
    expect(editor.locator(".messages")).to_contain_text("Đã lưu mẫu kết quả")

    saved = ResultTemplate.objects.get()
    assert saved.body.startswith("# Chứng thực\nChứng thực bản sao đúng")
    assert "| Số trang | {{ to_khai.so_trang }} |\n| Số bản | {{ to_khai.so_ban }} |" in saved.body
    assert "{{ ho_so.nguoi_nop }}" in saved.body and "{{ to_khai.so_trang }}" in saved.body
    paper = editor.locator(".paper")
    expect(paper).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(paper).to_contain_text("cho ông/bà Nguyễn Văn An, hồ sơ 000.00.00.H00-260115-0001.")
    check_page(editor, "result-template")
    keep("result-template", 1280)
    editor.set_viewport_size(PHONE)
    check_page(editor, "result-template")
    keep("result-template", 360)

    # Template code is refused in words, nothing is saved.
    body.fill("{{ ho_so.nguoi_nop.__class__ }}")
    editor.get_by_role("button", name="Lưu mẫu kết quả").click()
    expect(editor.locator(".errorlist")).to_contain_text("Trường chèn không có trong danh sách")
    assert ResultTemplate.objects.get().body == saved.body
    editor.problems.clear()  # the refusal answered 400, which the browser logs

    # A missing paper type, added where the papers pick it.
    editor.set_viewport_size({"width": 1280, "height": 900})
    editor.goto(live_server.url + "/staff/catalog/2.000815/papers/")
    editor.get_by_label("Tên loại giấy tờ mới").fill("Bản chính giấy tờ cần chứng thực")
    editor.get_by_role("button", name="Thêm loại giấy tờ").click()
    expect(editor.locator(".messages")).to_contain_text("đã có trong danh sách")
    assert PaperType.objects.get().code == "ban-chinh-giay-to-can-chung-thuc"
    expect(editor.locator("#id_p-0-paper_type")).to_contain_text("Bản chính giấy tờ cần chứng thực")
    editor.locator("#new-paper-type summary").click()
    check_page(editor, "paper-type")
    keep("paper-type", 1280)
