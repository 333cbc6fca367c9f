"""On a 360 px phone, the review page before submitting and the staff dossier page (with its
processing control sheet) fit the screen, and an answer chosen from a list reads as its label
(issue 24)."""

import json
from importlib.resources import files

import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.dossiers import reception, services
from tests.catalog_fixtures import make_procedure
from tests.conftest import PASSWORD
from tests.dossiers.conftest import PDF
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

RECORD = next(
    item
    for item in json.loads(files("egov.catalog").joinpath("data/demo_catalog.json").read_text())
    if item["code"] == "3.000333"
)
ANSWERS = {
    "ho_ten": "Nguyễn Thị Phương Thảo",
    "so_giay_to": "092301004567",
    "quoc_tich": "cong_dan_viet_nam",
    "loai_phieu": "phieu_so_1",
    "muc_dich": "Bổ sung hồ sơ xin việc tại Công ty TNHH Thương mại Dịch vụ Cần Thơ",
    "so_luong_phieu": 2,
    "doi_tuong_phi": "thong_thuong",
}


def _sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()


def _fits(page, name):
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-360.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide at 360px"


def test_review_and_staff_pages_fit_a_phone_and_show_labels(
    browser, live_server, agencies, citizen, make_staff, settings
):
    settings.EGOV_MALWARE_SCANNER = "none"
    version = make_procedure(
        RECORD["code"],
        RECORD["name"],
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        form=RECORD["form"]["fields"],
        time_limit=10,
    )
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    services.save_answers(dossier, applicant=citizen, answers=ANSWERS)
    requirement = version.requirements.get()
    services.attach(
        dossier, applicant=citizen, requirement_id=requirement.pk, name="to-khai.pdf", data=PDF
    )

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, live_server, citizen.username, f"/ho-so/{dossier.public_id}/kiem-tra/")
    answers = page.locator("dl.facts")
    expect(answers).to_contain_text("Phiếu lý lịch tư pháp số 1")
    expect(answers).to_contain_text("Công dân Việt Nam")
    expect(answers).not_to_contain_text("phieu_so_1")
    expect(answers).not_to_contain_text("thong_thuong")
    _fits(page, "dossier-review")
    # The answers column keeps a readable width: not one letter per line.
    width = page.locator("dl.facts dd").first.evaluate("e => e.getBoundingClientRect().width")
    assert width >= 200
    context.close()

    dossier = services.submit(dossier, applicant=citizen)
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    reception.receive(dossier, officer=officer)
    # A hand-over note as desks write them, with a link that has no place to break.
    dossier.steps.filter(finished_at__isnull=False).update(
        note="Đã đối chiếu bản chính; xem https://dichvucong.cantho.gov.vn/tra-cuu/"
        "H13.92-261207-0001-doi-chieu-ban-chinh-the-can-cuoc"
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, live_server, "motcua", f"/staff/dossiers/{dossier.public_id}/")
    expect(page.locator("table.stack-on-phone")).to_be_visible()
    declaration = page.locator("dl.facts", has_text="Loại Phiếu")
    expect(declaration).to_contain_text("Phiếu lý lịch tư pháp số 1")
    expect(declaration).not_to_contain_text("phieu_so_1")
    _fits(page, "staff-dossier")
    # The control sheet fits as well, rather than scrolling inside its own box.
    sheet = page.locator("table.stack-on-phone")
    assert sheet.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")
    assert sheet.evaluate("e => e.getBoundingClientRect().right") <= 360
    context.close()
