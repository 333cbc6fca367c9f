"""Home Affairs records a recruitment, a transfer and a raise; the receiving agency's personnel
officer finds the person (on a phone); the staffing report shows the change; the person reads
their own record and asks for a correction."""

import datetime

import pytest
from playwright.sync_api import expect

from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.organizations import services as organizations
from egov.organizations.models import Agency
from egov.personnel.models import CivilServant, CorrectionRequest
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.personnel.conftest import load_ranks

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def test_home_affairs_records_a_career_the_agency_and_the_report_follow(
    browser, page, check_page, live_server, make_staff, agencies
):
    home_affairs = organizations.save_agency(
        Agency(
            code="000.00.02.H13",
            name="Sở Nội vụ",
            kind="so",
            parent=agencies["city"],
            unit=agencies["city"].unit,
        ),
        actor=None,
    )
    officer = make_staff("tochuc.snv", home_affairs, full_name="Lê Thị Nội Vụ")
    accounts.grant_role(
        actor=None,
        user=officer,
        role=Role.PERSONNEL_OFFICER,
        agency=agencies["city"],
        include_subtree=True,
    )
    make_staff("tochuc.syt", agencies["health"], Role.PERSONNEL_OFFICER, full_name="Võ Văn Y")
    person_account = make_staff("an.tv", agencies["health"], full_name="Trần Văn An")
    load_ranks()
    year = datetime.date.today().year

    # Home Affairs, at a desk: a new record with its recruitment into the justice department.
    desk = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    desk.problems = []
    desk.on("console", lambda msg: msg.type == "error" and desk.problems.append(msg.text))
    sign_in(desk, live_server, "tochuc.snv", "/staff/personnel/")
    expect(desk.locator("h1")).to_have_text("Hồ sơ cán bộ, công chức, viên chức")
    desk.get_by_role("link", name="Hồ sơ mới (tuyển dụng)").click()
    check_page(desk, "personnel-new")
    desk.fill("#id_person-full_name", "Trần Văn An")
    desk.select_option("#id_person-sex", "male")
    desk.fill("#id_person-date_of_birth", "1990-04-12")
    desk.fill("#id_person-hometown", "Phong Điền, Cần Thơ")
    desk.fill("#id_person-citizen_id", "092090001234")
    desk.select_option("#id_person-education_level", "university")
    desk.fill("#id_person-education_detail", "Cử nhân Luật")
    desk.fill("#id_event-effective_on", "2016-03-01")
    desk.select_option("#id_event-agency", label="Sở Tư pháp")
    desk.select_option("#id_event-employment_kind", "civil_servant")
    desk.select_option("#id_event-rank", label="Chuyên viên (01.003)")
    desk.fill("#id_event-step", "1")
    desk.fill("#id_event-decision_number", "45/QĐ-UBND")
    desk.fill("#id_event-decision_signed_on", "2016-02-15")
    desk.fill("#id_event-decision_signer", "Trương Quang Hoài Nam")
    desk.get_by_role("button", name="Tạo hồ sơ").click()
    expect(desk.locator(".messages")).to_contain_text("Đã tạo hồ sơ HS000001")
    expect(desk.locator("#state-heading + dl")).to_contain_text("Sở Tư pháp")

    # A transfer to the health department.
    desk.get_by_role("link", name="Ghi nhận diễn biến").click()
    desk.select_option("#id_kind", "transfer")
    desk.get_by_role("button", name="Tiếp tục").click()
    desk.fill("#id_effective_on", "2022-07-01")
    desk.select_option("#id_agency", label="Sở Y tế")
    desk.fill("#id_decision_number", "812/QĐ-UBND")
    desk.fill("#id_decision_signed_on", "2022-06-20")
    desk.fill("#id_decision_signer", "Trần Việt Trường")
    check_page(desk, "personnel-transfer")
    desk.get_by_role("button", name="Ghi nhận").click()
    expect(desk.locator(".messages")).to_contain_text("Đã ghi nhận: Điều động, chuyển công tác")

    # A raise: step 2, its coefficient from the scale of Decree 204/2004.
    desk.get_by_role("link", name="Ghi nhận diễn biến").click()
    desk.select_option("#id_kind", "salary")
    desk.get_by_role("button", name="Tiếp tục").click()
    desk.fill("#id_effective_on", "2019-03-01")
    desk.fill("#id_step", "2")
    desk.fill("#id_coefficient", "2.76")
    desk.fill("#id_decision_number", "33/QĐ-STP")
    desk.fill("#id_decision_signed_on", "2019-02-25")
    desk.fill("#id_decision_signer", "Võ Minh Lãnh")
    desk.get_by_role("button", name="Ghi nhận").click()
    expect(desk.locator(".errorlist").first).to_contain_text(
        "Bậc 2 của nhóm A1 có hệ số 2,67, không phải 2,76."
    )
    # the form answers 400 with its errors, which the browser logs
    assert desk.problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    desk.problems.clear()
    check_page(desk, "personnel-raise-error")
    desk.fill("#id_coefficient", "")
    desk.get_by_role("button", name="Ghi nhận").click()
    state = desk.locator("#state-heading + dl")
    expect(state).to_contain_text("bậc 2, hệ số 2,67")
    expect(state).to_contain_text("Sở Y tế")
    expect(state).to_contain_text("bậc 3 (3,00) từ 01/03/2022")
    check_page(desk, "personnel-record")

    # The history as of a date before the transfer.
    desk.fill("#as-of", "2020-01-01")
    desk.get_by_role("button", name="Xem", exact=True).click()
    expect(desk.locator("#state-heading + dl")).to_contain_text("Sở Tư pháp")

    # The record is linked to the person's account.
    desk.goto(f"{live_server.url}/staff/personnel/")
    desk.get_by_role("link", name="Trần Văn An").click()
    desk.get_by_role("link", name="Tài khoản trên hệ thống").click()
    desk.fill("#id_username", "an.tv")
    desk.get_by_role("button", name="Lưu").click()

    # The headcount approved for the health department, then the report.
    desk.goto(f"{live_server.url}/staff/personnel/quotas/")
    desk.select_option("#id_agency", label="Sở Y tế")
    desk.fill("#id_year", str(year))
    desk.fill("#id_civil_servants", "12")
    desk.fill("#id_public_employees", "0")
    desk.get_by_role("button", name="Lưu").click()
    desk.get_by_role("link", name="Báo cáo số lượng, chất lượng").click()
    health = desk.locator("table").first.locator("tr", has_text="Sở Y tế")
    expect(health.locator("td").nth(0)).to_have_text("12")
    expect(health.locator("td").nth(1)).to_have_text("1")
    expect(health.locator("td").nth(2)).to_have_text("-11")
    expect(desk.locator("table").first.locator("tr", has_text="Sở Tư pháp")).to_have_count(0)
    check_page(desk, "personnel-staffing")
    desk.context.close()

    # The health department's personnel officer, on a phone, finds the person.
    sign_in(page, live_server, "tochuc.syt", "/staff/personnel/")
    expect(page.get_by_role("link", name="Trần Văn An")).to_be_visible()
    check_page(page, "personnel-list")
    page.get_by_role("link", name="Trần Văn An").click()
    expect(page.locator("#state-heading + dl")).to_contain_text("Sở Y tế")
    check_page(page, "personnel-record")
    page.goto(f"{live_server.url}/staff/personnel/due/raises/?months=24")
    check_page(page, "personnel-due-raises")

    # The person reads their own record and asks for a correction.
    own = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    own.problems = []
    sign_in(own, live_server, "an.tv", "/staff/personnel/me/")
    expect(own.locator("h1")).to_have_text("Hồ sơ cán bộ của tôi")
    expect(own.locator("#access-heading + ul")).to_contain_text("tochuc.syt")
    own.fill("#id_text", "Quê quán của tôi là Cờ Đỏ, Cần Thơ, không phải Phong Điền.")
    own.get_by_role("button", name="Gửi đề nghị").click()
    expect(own.locator(".messages")).to_contain_text("Đề nghị của bạn đã được gửi")
    check_page(own, "personnel-me")
    own.context.close()
    assert CorrectionRequest.objects.get().person == CivilServant.objects.get()
    assert person_account.pk == CivilServant.objects.get().user_id


def test_the_officers_other_pages_on_a_phone(page, check_page, live_server, make_staff, agencies):
    """Each remaining personnel page once, at 360 px, with axe: editing, voiding, training and
    family lines, the account link, the retirement list, the headcount, the import with its
    report of wrong cells, and a correction request answered."""
    from egov.personnel import services
    from egov.personnel.models import Rank
    from tests.personnel.conftest import event, person_values
    from tests.personnel.test_spreadsheet import workbook

    officer = make_staff("tochuc.stp", agencies["justice"], Role.PERSONNEL_OFFICER, True)
    own = make_staff("binh.lt", agencies["legal_aid"], full_name="Lê Thị Bình")
    load_ranks()

    first = event(
        "recruitment",
        datetime.date(1990, 3, 1),
        agency=agencies["legal_aid"],
        employment_kind="public_employee",
        rank=Rank.objects.get(code="01.003"),
        step=8,
    )
    person = services.create_person(
        person_values(
            full_name="Lê Thị Bình", sex="female", date_of_birth=datetime.date(1968, 2, 3)
        ),
        first,
        actor=None,
    )
    person = services.link_account(person, own, actor=officer)
    services.request_correction(person, "Năm vào ngành của tôi là 1989.", user=own)
    base = f"{live_server.url}/staff/personnel/{person.public_id}"
    sign_in(page, live_server, "tochuc.stp", "/staff/personnel/")

    page.goto(f"{base}/edit/")
    check_page(page, "personnel-edit")
    page.fill("#id_place_of_birth", "Ô Môn, Cần Thơ")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu hồ sơ.")

    page.goto(f"{base}/training/new/")
    page.select_option("#id_kind", "political")
    page.fill("#id_institution", "Trường Chính trị thành phố Cần Thơ")
    page.fill("#id_qualification", "Trung cấp lý luận chính trị")
    check_page(page, "personnel-training")
    page.get_by_role("button", name="Thêm").click()
    page.goto(f"{base}/family/new/")
    page.fill("#id_relation", "Mẹ")
    page.fill("#id_full_name", "Nguyễn Thị Mẹ")
    page.fill("#id_birth_year", "1945")
    check_page(page, "personnel-family")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator("#family + div")).to_contain_text("Nguyễn Thị Mẹ")

    page.goto(f"{base}/account/")
    check_page(page, "personnel-account")
    page.goto(f"{base}/events/new/")
    check_page(page, "personnel-event-kind")
    recruitment = person.events.get()
    page.goto(f"{base}/events/{recruitment.pk}/void/")
    check_page(page, "personnel-void")

    page.goto(f"{live_server.url}/staff/personnel/due/retirements/?months=24")
    expect(page.locator("table")).to_contain_text("Lê Thị Bình")
    check_page(page, "personnel-due-retirements")
    page.goto(f"{live_server.url}/staff/personnel/quotas/")
    check_page(page, "personnel-quotas")

    page.goto(f"{live_server.url}/staff/personnel/import/")
    wrong = workbook([["CT0009", "Sai Ngày", "Nam", "31/02/1990", "Kinh", ""]], [])
    page.set_input_files(
        "#id_file", {"name": "sai.xlsx", "mimeType": "application/octet-stream", "buffer": wrong}
    )
    page.get_by_role("button", name="Nhập dữ liệu", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Cán bộ: Ngày sinh")
    page.problems.clear()  # the 400 of the refused file
    check_page(page, "personnel-import-report")

    page.goto(f"{live_server.url}/staff/personnel/corrections/")
    check_page(page, "personnel-corrections")
    page.get_by_role("link", name="Năm vào ngành của tôi là 1989.").click()
    page.get_by_label("Hồ sơ đã được đính chính").check()
    page.fill("#id_answer", "Đã kiểm tra quyết định tuyển dụng.")
    check_page(page, "personnel-correction")
    page.get_by_role("button", name="Trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu câu trả lời")
