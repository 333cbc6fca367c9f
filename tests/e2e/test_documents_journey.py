"""Official documents in a browser: a specialist drafts a letter, a leader approves and signs it,
the clerk issues it; the receiving agency's clerk registers it, its leader directs it and the
handler drafts the reply and marks it handled. On a phone, with key pages again on a desktop;
every page axe-clean and screenshotted."""

import pytest

from egov.documents.models import OfficialDocument, Recipient
from tests.conftest import PASSWORD
from tests.documents.conftest import (  # noqa: F401 - fixtures
    certificates,
    draft,
    health_issued,
    office,
    people,
    personal_issued,
    setup_agencies,
)
from tests.e2e.conftest import DESKTOP, PHONE
from tests.signatures.fixtures import (  # noqa: F401 - fixtures
    agency_issued,
    dev_pki,
    import_agency_certificate,
    pki_settings,
)

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, username):
    page = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/?next=/staff/documents/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url("**/staff/documents/**")
    return page


def on_desktop(page, check_page, name):
    page.set_viewport_size(DESKTOP)
    check_page(page, name)
    page.set_viewport_size(PHONE)


def press(page, button: str):
    page.get_by_role("button", name=button, exact=True).click()


def test_document_from_draft_to_reply(
    browser,
    live_server,
    check_page,
    people,  # noqa: F811
    certificates,  # noqa: F811
    setup_agencies,  # noqa: F811
    settings,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    health = setup_agencies["health"]

    # The specialist drafts a letter to the Department of Health.
    page = signed_in(browser, live_server, "chuyenvien")
    check_page(page, "documents-home")
    page.get_by_role("link", name="Soạn văn bản").click()
    page.get_by_label("Trích yếu nội dung").fill("Về việc cung cấp số liệu giám định pháp y")
    page.get_by_label("Nội dung", exact=True).fill(
        "Sở Tư pháp đề nghị Sở Y tế cung cấp số liệu giám định pháp y năm 2025.\n"
        "Thời hạn gửi trước ngày 20 tháng 01 năm 2026."
    )
    page.get_by_label("Đơn vị soạn thảo").select_option(label="Văn phòng Sở")
    page.get_by_label("Lãnh đạo duyệt").select_option(label="Võ Minh Lãnh")
    page.get_by_label("Chức vụ người ký").fill("Giám đốc")
    page.get_by_label("Cơ quan trên hệ thống").select_option(label="Sở Y tế")
    check_page(page, "documents-draft-form")
    on_desktop(page, check_page, "documents-draft-form")
    press(page, "Lưu dự thảo")
    assert "Đã lưu dự thảo." in page.locator(".messages").inner_text()
    press(page, "Trình")
    check_page(page, "documents-draft-submitted")

    # The leader approves and signs.
    leader = signed_in(browser, live_server, "lanhdao")
    leader.get_by_role("link", name="Về việc cung cấp số liệu giám định pháp y").click()
    check_page(leader, "documents-to-approve")
    leader.get_by_label("Ý kiến (được lưu cùng văn bản)").fill("Đồng ý ban hành.")
    press(leader, "Duyệt và ký")
    assert "Đã duyệt và ký" in leader.locator(".messages").inner_text()

    # The clerk takes the number and issues it.
    clerk = signed_in(browser, live_server, "vanthu")
    clerk.get_by_role("link", name="Về việc cung cấp số liệu giám định pháp y").click()
    check_page(clerk, "documents-to-issue")
    on_desktop(clerk, check_page, "documents-to-issue")
    press(clerk, "Lấy số và phát hành")
    assert "Đã phát hành và gửi." in clerk.locator(".messages").inner_text()
    assert clerk.locator("h1").inner_text().startswith("01/STP-VP")
    check_page(clerk, "documents-issued")
    document = OfficialDocument.objects.get(direction="out")
    assert document.reference == "01/STP-VP"

    # The receiving agency's clerk registers it.
    receiver = signed_in(browser, live_server, "vanthu.syt")
    receiver.get_by_role("link", name="Về việc cung cấp số liệu giám định pháp y").click()
    check_page(receiver, "documents-arrived")
    press(receiver, "Vào sổ văn bản đến")
    assert "Đã vào sổ văn bản đến." in receiver.locator(".messages").inner_text()

    # Its leader directs it to a handler, five working days.
    director = signed_in(browser, live_server, "lanhdao.syt")
    director.get_by_role("link", name="Về việc cung cấp số liệu giám định pháp y").click()
    director.get_by_label("Ý kiến chỉ đạo").fill("Giao chuyên viên tổng hợp, trả lời đúng hạn.")
    director.get_by_label("Người chủ trì xử lý").select_option(label="Ngô Thị Xử")
    director.get_by_label("Thời hạn xử lý (ngày làm việc)").fill("5")
    check_page(director, "documents-direct")
    on_desktop(director, check_page, "documents-direct")
    press(director, "Gửi ý kiến chỉ đạo")
    assert "Đã giao người xử lý." in director.locator(".messages").inner_text()

    # The handler records progress, drafts the reply and marks the document handled.
    handler = signed_in(browser, live_server, "chuyenvien.syt")
    handler.get_by_role("link", name="Về việc cung cấp số liệu giám định pháp y").click()
    handler.get_by_label("Nội dung đã thực hiện").fill("Đã tổng hợp số liệu năm 2025.")
    press(handler, "Ghi nhận")
    check_page(handler, "documents-in-progress")
    handler.get_by_role("link", name="Soạn văn bản trả lời").click()
    handler.get_by_label("Nội dung", exact=True).fill("Sở Y tế gửi số liệu giám định pháp y.")
    handler.get_by_label("Lãnh đạo duyệt").select_option(label="Trần Văn Đạo")
    handler.get_by_label("Chức vụ người ký").fill("Giám đốc")
    check_page(handler, "documents-reply-form")
    press(handler, "Lưu dự thảo")
    reply = OfficialDocument.objects.get(direction="out", agency=health)
    copy = Recipient.objects.get(document=document).copy
    assert reply.in_reply_to == copy
    handler.goto(f"{live_server.url}/staff/documents/{copy.public_id}/")
    handler.get_by_label("Văn bản trả lời").select_option(label=reply.subject)
    press(handler, "Đã hoàn thành")
    copy.refresh_from_db()
    assert copy.state == "done"
    assert Recipient.objects.get(document=document).status == "06"
    check_page(handler, "documents-handled")

    # Back at the issuer: the recipient's status and the registers.
    clerk.goto(f"{live_server.url}/staff/documents/{document.public_id}/")
    assert "06 Đã hoàn thành" in clerk.locator("main").inner_text()
    clerk.goto(f"{live_server.url}/staff/documents/registers/")
    check_page(clerk, "documents-registers")
    on_desktop(clerk, check_page, "documents-registers")
    clerk.goto(f"{live_server.url}/staff/documents/search/?q=giam+dinh")
    check_page(clerk, "documents-search")
