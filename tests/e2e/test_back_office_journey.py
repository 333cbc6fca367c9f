"""The back office in a browser: the desk receives a citizen's online dossier, a specialist
processes it, a leader approves, the desk returns the result online and the citizen downloads
it; then a dossier about to be late gets its apology letter. Every queue is screenshotted."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.dossiers.models import Dossier
from tests.catalog_fixtures import make_procedure
from tests.conftest import PASSWORD
from tests.dossiers.conftest import PDF, submitted_dossier
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def staff(make_staff, agencies):
    city, justice = agencies["city"], agencies["justice"]
    return {
        "motcua": make_staff("motcua", city, Role.DESK_OFFICER, full_name="Lê Thị Một Cửa"),
        "chuyenvien": make_staff("chuyenvien", justice, Role.SPECIALIST, full_name="Trần Chuyên"),
        "lanhdao": make_staff("lanhdao", justice, Role.LEADER, full_name="Phạm Lãnh Đạo"),
    }


@pytest.fixture
def approved_version(agencies):
    """Received by the city's desk, processed and approved in Justice: 5 working days."""
    return make_procedure(
        "2.000777",
        "Cấp bản sao trích lục hộ tịch",
        owner=agencies["justice"],
        level="province",
        time_limit=5,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        workflow=[
            {
                "code": "nhan",
                "name": "Tiếp nhận",
                "action": "receive",
                "role": "desk_officer",
                "duration": "0.5",
            },
            {
                "code": "xu-ly",
                "name": "Thẩm định, xử lý",
                "action": "process",
                "role": "specialist",
                "duration": "3",
            },
            {
                "code": "duyet",
                "name": "Lãnh đạo phê duyệt",
                "action": "approve",
                "role": "leader",
                "duration": "1",
            },
            {
                "code": "tra",
                "name": "Trả kết quả",
                "action": "return",
                "role": "desk_officer",
                "duration": "0.5",
            },
        ],
    )


def signed_in(browser, live_server, username, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/?next=/staff/dossiers/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    return page


def act(page, button: str, **fields):
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button, exact=True).click()


def test_received_processed_approved_returned_downloaded(
    browser, live_server, staff, approved_version, citizen, settings, page, check_page, tmp_path
):
    dossier = submitted_dossier(approved_version, citizen, settings)
    code = dossier.code
    result_pdf = tmp_path / "ket-qua.pdf"
    result_pdf.write_bytes(PDF)

    desk = signed_in(browser, live_server, "motcua")
    check_page(desk, "queue-receive")
    desk.get_by_role("link", name=code).click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ và cấp giấy tiếp nhận").click()
    assert "Đang giải quyết" in desk.locator("main").inner_text()
    desk.context.close()

    # On a phone, the desk finds it by two words of the applicant's name, typed without
    # diacritics and with the middle name left out (Nguyễn Thị Công Dân).
    phone = signed_in(browser, live_server, "motcua", viewport=PHONE)
    phone.fill("#id_q", "nguyen dan")
    phone.get_by_role("button", name="Tìm kiếm").click()
    expect(phone.get_by_role("link", name=code)).to_be_visible()
    assert "Nguyễn Thị Công Dân" in phone.locator("tbody").inner_text()
    check_page(phone, "search-by-name")
    phone.fill("#id_q", "guyen")  # inside a word: not a match
    phone.get_by_role("button", name="Tìm kiếm").click()
    expect(phone.get_by_role("link", name=code)).to_have_count(0)
    phone.context.close()

    specialist = signed_in(browser, live_server, "chuyenvien")
    specialist.get_by_role("link", name="Chờ xử lý").click()
    check_page(specialist, "queue-process")
    specialist.get_by_role("link", name=code).click()
    act(specialist, "Tôi nhận xử lý hồ sơ này")
    specialist.get_by_label(
        "Kết quả (PDF); thay thế bản dự thảo đã đính kèm trước đó"
    ).set_input_files(str(result_pdf))
    specialist.get_by_role("button", name="Đính kèm kết quả").click()
    assert "Đã đính kèm văn bản kết quả" in specialist.locator(".messages").inner_text()
    check_page(specialist, "dossier-processing")
    act(specialist, "Chuyển tiếp", **{"Ghi chú vào phiếu kiểm soát": "Đủ điều kiện cấp"})
    assert "Đã chuyển sang bước tiếp theo" in specialist.locator(".messages").inner_text()
    specialist.context.close()

    leader = signed_in(browser, live_server, "lanhdao")
    leader.get_by_role("link", name="Chờ phê duyệt").click()
    check_page(leader, "queue-approve")
    leader.get_by_role("link", name=code).click()
    check_page(leader, "dossier-approve")
    act(leader, "Chuyển tiếp", **{"Ghi chú vào phiếu kiểm soát": "Đồng ý"})
    assert Dossier.objects.get(code=code).status == "result_ready"
    leader.context.close()

    desk = signed_in(browser, live_server, "motcua")
    desk.get_by_role("link", name="Chờ trả kết quả").click()
    check_page(desk, "queue-return")
    desk.get_by_role("link", name=code).click()
    act(
        desk,
        "Đã trả kết quả: kết thúc hồ sơ",
        **{"Ghi chú (người nhận, số bưu gửi…)": "Trực tuyến"},
    )
    assert Dossier.objects.get(code=code).status == "returned"
    desk.get_by_role("link", name="In phiếu kiểm soát (mẫu 05, PDF)").is_visible()
    desk.context.close()

    # The citizen, on a phone, downloads the result.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.goto(live_server.url + f"/ho-so/{dossier.public_id}/")
    assert "Đã trả kết quả" in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{code}-ket-qua.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes() == PDF
    check_page(page, "citizen-result")


def test_a_dossier_about_to_be_late_gets_its_apology(
    browser, live_server, staff, approved_version, citizen, settings, page, check_page, time_machine
):
    from egov.dossiers import reception

    # A Friday morning (the clock runs on): an appointment on Sunday is less than one working
    # day ahead (due soon) and still more than a day away (an apology may be sent). At a real
    # hour this depended on the weekday and on the time the suite ran.
    time_machine.move_to(
        datetime.datetime(2026, 11, 20, 10, 0, tzinfo=timezone.get_current_timezone()), tick=True
    )
    late = reception.receive(
        submitted_dossier(approved_version, citizen, settings), officer=staff["motcua"]
    )
    near = reception.receive(
        submitted_dossier(approved_version, citizen, settings), officer=staff["motcua"]
    )
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - datetime.timedelta(hours=2))
    Dossier.objects.filter(pk=near.pk).update(due_at=now + datetime.timedelta(days=2))

    # A leader on a phone: the queue and the dossier page work at 360 px too.
    leader = signed_in(browser, live_server, "lanhdao", viewport={"width": 360, "height": 800})
    leader.get_by_role("link", name="Quá hạn").click()
    check_page(leader, "queue-overdue")
    assert late.code in leader.locator("main").inner_text()
    leader.goto(live_server.url + f"/staff/dossiers/{near.public_id}/")
    assert "sắp đến hạn" in leader.locator("main").inner_text()
    new_date = timezone.localtime(now + datetime.timedelta(days=6)).replace(second=0, microsecond=0)
    form = leader.locator("form", has=leader.get_by_role("button", name="Gửi phiếu xin lỗi"))
    form.get_by_label("Lý do hồ sơ chậm").fill("Chờ xác minh tại nơi cư trú trước đây")
    form.get_by_label("Ngày hẹn mới").fill(new_date.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Gửi phiếu xin lỗi").click()
    assert "Đã gửi phiếu xin lỗi" in leader.locator(".messages").inner_text()
    check_page(leader, "dossier-apology")
    # Only once: the form is gone.
    expect(leader.get_by_role("button", name="Gửi phiếu xin lỗi")).to_have_count(0)
    leader.context.close()
    assert Dossier.objects.get(pk=near.pk).due_at == new_date

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.goto(live_server.url + f"/ho-so/{near.public_id}/")
    text = page.locator("main").inner_text()
    assert f"{near.code}-04.pdf" in text and new_date.strftime("%d/%m/%Y") in text
    check_page(page, "citizen-apology")
