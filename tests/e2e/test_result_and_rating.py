"""A citizen on a phone whose dossier was returned downloads the result and rates how the dossier
was handled; then checks their profile. Every page passes axe-core at 360 px."""

import pytest

from egov.dossiers.models import Rating
from egov.organizations.models import AdministrativeUnit
from tests.conftest import PASSWORD
from tests.dossiers import closing

pytestmark = pytest.mark.django_db(transaction=True)


def test_download_the_result_and_rate_it(
    live_server, page, check_page, citizen, catalogue, make_staff, agencies, settings, tmp_path
):
    settings.EGOV_MALWARE_SCANNER = "none"
    people = closing.staff(make_staff, agencies)
    dossier = closing.returned(catalogue["record"], citizen, people)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "congdan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_role("link", name=dossier.code).click()
    assert "Đã trả kết quả" in page.locator("main").inner_text()
    check_page(page, "dossier-returned")

    with page.expect_download() as info:
        page.get_by_role("link", name=f"{dossier.code}-ket-qua.pdf").click()
    saved = tmp_path / "ket-qua.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes() == closing.RESULT_PDF

    page.get_by_role("link", name="Đánh giá việc giải quyết hồ sơ").click()
    assert page.locator("h1").inner_text() == "Đánh giá việc giải quyết hồ sơ"
    check_page(page, "rating-form")
    staff = page.get_by_role(
        "group", name="7. Thái độ của cán bộ, công chức, viên chức", exact=False
    )
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert "Hãy chọn câu trả lời" in page.locator(".error-summary").inner_text()
    check_page(page, "rating-form-errors")

    for group in page.get_by_role("group").all():
        group.get_by_role("radio").first.check()
    staff.get_by_label("Đúng mực nhưng chưa nhiệt tình", exact=False).check()
    page.get_by_label("Ý kiến khác gửi cơ quan (không bắt buộc)").fill("Cần hướng dẫn rõ hơn.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert "Đánh giá của bạn đã được ghi nhận" in page.locator(".messages").inner_text()
    assert "17/18 điểm (Xuất sắc)" in page.locator("main").inner_text()
    check_page(page, "dossier-rated")
    rating = Rating.objects.get()
    assert (rating.staff_attitude, rating.staff_id) == (1, people["specialist"].pk)

    AdministrativeUnit.objects.create(
        code="31135", name="Phường Ninh Kiều", level=3, kind="phuong", parent=agencies["city"].unit
    )
    page.get_by_role("link", name="Thông tin cá nhân").click()
    page.fill("#id_date_of_birth", "1990-05-31")
    page.fill("#id_citizen_id", "092090123456")
    page.select_option("#id_address_unit", "31135")
    page.fill("#id_address_street", "12 Hòa Bình")
    check_page(page, "profile")
    page.press("#id_address_street", "Enter")  # Enter saves; it does not list communes
    assert "Đã lưu thông tin của bạn" in page.locator(".messages").inner_text()
    citizen.refresh_from_db()
    assert citizen.address == "12 Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ"
