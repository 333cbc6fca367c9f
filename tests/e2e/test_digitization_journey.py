"""Digitisation in a browser: the desk digitises a paper dossier's papers (OCR, PDF/A, the
agency's signature); later the same citizen submits online and takes two papers from the store
instead of uploading them. At 360 px and on a desktop."""

import img2pdf
import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.digitization.models import Paper, Reuse
from egov.dossiers import counter
from egov.dossiers import services as dossiers
from tests.conftest import PASSWORD
from tests.digitization.conftest import (
    procedure,
    scanned_page,
)
from tests.dossiers.conftest import PDF
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import signed_in
from tests.signatures.fixtures import (  # noqa: F401 - the agency signs its copies
    agency_issued,
    dev_pki,
    import_agency_certificate,
    pki_settings,
)

pytestmark = pytest.mark.django_db(transaction=True)
ANSWERS = {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}


def scan_pdf(line: str) -> bytes:
    return bytes(img2pdf.convert(scanned_page([line])))


def test_the_desk_digitises_and_the_citizen_reuses(
    browser,
    live_server,
    check_page,
    agencies,
    citizen,
    make_staff,
    settings,
    agency_issued,  # noqa: F811
    import_agency_certificate,  # noqa: F811
):
    settings.EGOV_MALWARE_SCANNER = "none"
    land = procedure("9.000001", "Đăng ký biến động đất đai", agencies)
    other = procedure("9.000002", "Cấp giấy phép xây dựng", agencies)
    import_agency_certificate(agencies["city"], agency_issued["rsa2048"])
    make_staff("motcua", agencies["city"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")
    citizen.phone = "0912345678"
    citizen.save(update_fields=["phone"])
    papers = {r.name: r for r in land.requirements.all()}
    from egov.accounts.models import User

    dossier = counter.intake(
        officer=User.objects.get(username="motcua"),
        desk_agency=agencies["city"],
        version=land,
        applicant=counter.Applicant(full_name="Nguyễn Thị Công Dân", phone="0912345678"),
        answers=ANSWERS,
        scans=[
            counter.Scan(papers["Tờ khai"].pk, "to-khai.pdf", PDF),
            counter.Scan(papers["Căn cước công dân"].pk, "cccd.pdf", scan_pdf("Căn cước công dân")),
            counter.Scan(
                papers["Giấy chứng nhận quyền sử dụng đất"].pk,
                "so-do.pdf",
                scan_pdf("Quyền sử dụng đất"),
            ),
        ],
    )
    assert dossier.applicant == citizen

    desk = signed_in(browser, live_server, "motcua")
    desk.goto(f"{live_server.url}/staff/dossiers/{dossier.public_id}/")
    desk.get_by_role("link", name="Số hóa giấy tờ").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Số hóa hồ sơ")
    for name, number in (
        ("Căn cước công dân", "092190012345"),
        ("Giấy chứng nhận quyền sử dụng đất", "CS 04521"),
    ):
        desk.get_by_label("Giấy tờ", exact=True).select_option(label=name)
        desk.get_by_label("Số", exact=True).fill(number)
        desk.get_by_label("Cơ quan ban hành").fill("Sở Tài nguyên và Môi trường")
        desk.get_by_label("Ngày cấp").fill("2024-03-01")
        desk.get_by_role("button", name="Số hóa và ký số").click()
        expect(desk.locator(".messages")).to_contain_text("cơ quan đã ký số")
    expect(desk.get_by_text("CS 04521")).to_be_visible()
    check_page(desk, "digitization-desk")
    desk.set_viewport_size(PHONE)
    check_page(desk, "digitization-desk")
    desk.context.close()
    assert Paper.objects.filter(source=Paper.Source.DESK, signed=True).count() == 2

    draft = dossiers.start(
        applicant=citizen, version=other, agency=dossiers.receiving_agency_for(other)
    )
    dossiers.save_answers(draft, applicant=citizen, answers=ANSWERS)
    for viewport in (PHONE, DESKTOP):
        page = browser.new_context(viewport=viewport, locale="en-US").new_page()
        page.problems = []
        page.on("pageerror", lambda exc, p=page: p.problems.append(str(exc)))
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "congdan")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").last.click()
        page.goto(f"{live_server.url}/ho-so/{draft.public_id}/giay-to/")
        if viewport == PHONE:
            expect(page.get_by_text("Dùng giấy tờ bạn đã có (không phải tải lên)")).to_have_count(2)
            check_page(page, "digitization-offer")
            for name in ("Căn cước công dân", "Giấy chứng nhận quyền sử dụng đất"):
                page.get_by_role("button", name=f"Dùng giấy tờ này cho “{name}”").click()
                expect(page.locator(".messages")).to_contain_text("Đã đính kèm giấy tờ từ kho")
            expect(page.get_by_text("lấy từ kho giấy tờ của bạn")).to_have_count(2)
            # A paper already attached is not offered again.
            expect(page.get_by_text("Dùng giấy tờ bạn đã có (không phải tải lên)")).to_have_count(0)
        check_page(page, "digitization-reused")
        page.goto(live_server.url + "/kho-giay-to/")
        expect(page.get_by_role("heading", name="Kho giấy tờ của tôi")).to_be_visible()
        expect(page.get_by_text("CS 04521")).to_be_visible()
        check_page(page, "digitization-store")
        page.context.close()
    assert Reuse.objects.filter(dossier=draft).count() == 2
    assert not draft.attachments.exclude(pk__in=Reuse.objects.values("attachment")).exists()
