"""A citizen checks a signed result on the public verification page: upload the PDF, or follow
the QR's address; on a phone and a desktop, with axe-core on every page."""

import pytest

from egov.signatures import services
from tests.e2e.conftest import DESKTOP
from tests.signatures import fixtures
from tests.signatures.fixtures import make_pdf

# The signature tests' fixtures: a development PKI with its responders on localhost.
dev_pki = fixtures.dev_pki
pki_settings = fixtures.pki_settings
agency_issued = fixtures.agency_issued
import_agency_certificate = fixtures.import_agency_certificate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_files(agencies, agency_issued, import_agency_certificate, tmp_path):
    certificate = import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])
    result = services.sign_pdf(
        make_pdf(),
        signer_certificate=certificate,
        actor=None,
        level="B-T",
        reference=("dossiers.result", "15"),
        title="Kết quả hồ sơ 000.00.03.H13-260115-0003",
    )
    original = tmp_path / "ket-qua.pdf"
    original.write_bytes(result.data)
    tampered = bytearray(result.data)
    position = tampered.index(b"KET QUA")
    tampered[position] = ord("X")
    changed = tmp_path / "ket-qua-da-sua.pdf"
    changed.write_bytes(bytes(tampered))
    return result.document, original, changed


def test_citizen_verifies_a_signed_result(live_server, page, check_page, signed_files):
    document, original, changed = signed_files
    page.goto(live_server.url + "/xac-thuc/")
    assert page.locator("h1").inner_text() == "Xác thực văn bản điện tử"
    check_page(page, "verify")

    page.set_input_files("#id_file", str(original))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert "Chữ ký số hợp lệ." in page.locator(".verification-report").inner_text()
    assert "Sở Tư pháp thành phố Cần Thơ" in page.locator(".verification-report").inner_text()
    check_page(page, "verify-valid")

    page.set_input_files("#id_file", str(changed))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    report = page.locator(".verification-report").inner_text()
    assert "Văn bản này không có chữ ký số hợp lệ." in report
    assert "đã bị thay đổi sau khi ký" in report
    check_page(page, "verify-invalid")

    # The QR printed on the result leads here; the code can also be typed.
    page.fill("#id_ma", document.display_code)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.url.endswith(f"/xac-thuc/{document.code}/")
    assert "Kết quả hồ sơ 000.00.03.H13-260115-0003" in page.locator("main").inner_text()
    check_page(page, "verify-document")
    page.set_input_files("#id_file", str(original))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert "trùng khớp hoàn toàn" in page.locator("main").inner_text()
    check_page(page, "verify-document-match")
    page.set_viewport_size(DESKTOP)
    check_page(page, "verify-document-match")


def test_agency_admin_imports_a_certificate_and_signs_a_pdf(
    live_server,
    page,
    check_page,
    make_staff,
    agencies,
    dev_pki,
    pki_settings,
    tmp_path,
):
    from egov.accounts.models import Role
    from egov.signatures.verification import verify_pdf
    from tests.conftest import PASSWORD
    from tests.signatures.fixtures import P12_PASSWORD

    make_staff("quantri.stp", agencies["justice"], Role.AGENCY_ADMIN, full_name="Huỳnh Quốc Trị")
    p12 = tmp_path / "so-tu-phap.p12"
    p12.write_bytes(dev_pki.issue("Sở Tư pháp thành phố Cần Thơ").pkcs12(P12_PASSWORD))
    unsigned = tmp_path / "van-ban.pdf"
    unsigned.write_bytes(make_pdf())

    page.goto(live_server.url + "/staff/signatures/")
    page.fill("#id_username", "quantri.stp")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    assert page.url.endswith("/staff/signatures/")
    check_page(page, "staff-certificates-empty")

    page.get_by_role("link", name="Nhập chứng thư số").click()
    check_page(page, "staff-certificate-import")
    page.select_option("#id_holder", "agency")
    page.select_option("#id_agency", str(agencies["justice"].pk))
    page.set_input_files("#id_file", str(p12))
    page.fill("#id_password", P12_PASSWORD)
    page.fill("#id_label", "Chữ ký số Sở Tư pháp")
    page.get_by_role("button", name="Nhập").last.click()
    assert page.locator("h1").inner_text() == "Chữ ký số Sở Tư pháp"
    check_page(page, "staff-certificate-detail")

    page.goto(live_server.url + "/staff/signatures/sign/")
    check_page(page, "staff-sign")
    page.set_input_files("#id_file", str(unsigned))
    page.select_option("#id_level", "B-T")
    with page.expect_download() as download:
        page.get_by_role("button", name="Ký và tải về").click()
    signed = tmp_path / "signed.pdf"
    download.value.save_as(signed)
    assert verify_pdf(signed.read_bytes()).valid
