"""A citizen on a 360 px phone reports rubbish with a photo and a point tapped on the map, finds
it on the public map and page; the ward's officer answers; the citizen is told and rates it."""

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.feedback.models import Report
from egov.notifications.models import Notification
from tests.conftest import PASSWORD
from tests.feedback.conftest import boundaries, categories, communes, jpeg  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def test_report_answer_and_rate_on_a_phone(
    browser,
    live_server,
    page,
    check_page,
    citizen,
    make_staff,
    communes,  # noqa: F811
    categories,  # noqa: F811
    boundaries,  # noqa: F811
    settings,
    tmp_path,
):
    settings.EGOV_MALWARE_SCANNER = "none"
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    officer = make_staff(
        "canbo.nk", communes["ninh_kieu_committee"], Role.SPECIALIST, full_name="Trần Văn Xử"
    )
    photo = tmp_path / "rac.jpg"
    photo.write_bytes(jpeg(size=(800, 600)))

    # The citizen reports: the kind, the words, a photo, a point tapped in Ninh Kiều.
    sign_in(page, live_server.url, "congdan")
    page.goto(live_server.url + "/phan-anh/gui/")
    check_page(page, "feedback-choose-category")
    page.get_by_role("link", name="Rác thải, vệ sinh môi trường").click()
    page.fill("#id_description", "Bãi rác tự phát ở đầu hẻm 51, bốc mùi hai ngày nay.")
    page.select_option("#id_attribute_kind", "household")
    page.set_input_files("#id_media", str(photo))
    # The phone's position first (granted by the browser), then a point tapped on the map.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 10.03, "longitude": 105.79})
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    page.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert page.input_value("#id_longitude") == "105.790000"
    assert page.input_value("#id_place_source") == "device"
    picker = page.locator("#fb-picker")
    page.get_by_role("button", name="Thu nhỏ").click()  # back to the whole area
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.5})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 10.0 < latitude < 10.06 and 105.75 < longitude < 105.78
    assert page.locator(".fb-picked").get_attribute("visibility") == "visible"
    assert page.input_value("#id_place_source") == "map"
    check_page(page, "feedback-report-form")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.locator("h1", has_text="Phản ánh PA-").wait_for()
    report = Report.objects.get()
    assert report.agency == communes["ninh_kieu_committee"]
    assert report.media.count() == 1
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    check_page(page, "feedback-my-report")

    # On the public map and list, then the public page.
    page.goto(live_server.url + "/phan-anh/")
    pin = page.locator(f"svg a[href='/phan-anh/{report.code}/']")
    expect(pin).to_have_count(1)
    check_page(page, "feedback-public-map")
    page.locator(".fb-list").get_by_role("link", name="Rác thải, vệ sinh môi trường").click()
    page.locator("h1", has_text=report.code).wait_for()
    expect(page.locator(".fb-media img")).to_have_count(1)

    # The ward's officer answers from the queue, on a phone too.
    staff = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US").new_page()
    staff.problems = []
    sign_in(staff, live_server.url, officer.username)
    staff.goto(live_server.url + "/staff/feedback/")
    staff.get_by_role("link", name=report.code).click()
    check_page(staff, "feedback-staff-report")
    staff.get_by_role("button", name="Tôi xử lý").click()
    staff.fill("#id_text", "Đã thu gom toàn bộ rác và đặt biển cấm đổ rác tại đầu hẻm 51.")
    staff.get_by_role("button", name="Gửi trả lời").click()
    assert "Đã trả lời" in staff.locator("main").inner_text()
    staff.goto(live_server.url + "/staff/feedback/?tab=answered")
    assert report.code in staff.locator("main").inner_text()
    check_page(staff, "feedback-staff-queue")
    staff.context.close()

    # The citizen was told (the outbox holds the e-mail) and rates the answer on their page.
    told = Notification.objects.get(event="feedback.answered", recipient=citizen)
    assert "Đã thu gom toàn bộ rác" in told.body
    page.goto(live_server.url + f"/phan-anh/{report.code}/")  # their own page, signed in
    assert "Đã thu gom toàn bộ rác" in page.locator("main").inner_text()
    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert "Rất hài lòng" in page.locator("main").inner_text()
    check_page(page, "feedback-rated")
    report.refresh_from_db()
    assert report.rating == 3


def test_the_administrator_adds_a_question_and_opens_one_agency_s_queue_on_a_phone(
    live_server,
    page,
    check_page,
    make_staff,
    agencies,
    communes,  # noqa: F811
    categories,  # noqa: F811
):
    make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    sign_in(page, live_server.url, "quantri")
    page.goto(live_server.url + "/staff/feedback/linh-vuc/")
    page.get_by_role("link", name="rubbish").click()
    # The category's question "kind" is form 0; form 1 is the empty one for a new question.
    expect(page.locator("#id_q-0-values")).to_have_value(
        "household: Rác sinh hoạt\nbuilding: Xà bần"
    )
    page.fill("#id_q-1-code", "smell")
    page.fill("#id_q-1-description", "Có bốc mùi hôi không?")
    page.select_option("#id_q-1-datatype", "singlevaluelist")
    page.fill("#id_q-1-values", "yes: Có\nno: Không")
    check_page(page, "feedback-staff-category")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu")
    page.goto(live_server.url + "/phan-anh/gui/?loai=rubbish")
    expect(page.get_by_label("Có bốc mùi hôi không?")).to_be_visible()

    # A system administrator reads every agency's reports and picks one queue.
    page.goto(live_server.url + "/staff/feedback/")
    page.get_by_label("Cơ quan").select_option(label="Ủy ban nhân dân Phường Cái Răng")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_label("Cơ quan")).to_have_value(str(communes["cai_rang_committee"].pk))
    check_page(page, "feedback-staff-queue-agency")
