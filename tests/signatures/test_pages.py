"""The public verification page, the QR landing page, the API, and the staff pages' scoping."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import Role
from egov.signatures import services
from tests.signatures.fixtures import P12_PASSWORD, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(agencies, agency_issued, import_agency_certificate):
    return import_agency_certificate(agencies["justice"], agency_issued["rsa2048"])


@pytest.fixture
def signed(certificate):
    return services.sign_pdf(
        make_pdf(),
        signer_certificate=certificate,
        actor=None,
        level="B-T",
        reference=("dossiers.result", "15"),
        title="Kết quả hồ sơ 000.00.03.H13-260115-0003",
    )


def pdf_upload(data: bytes, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_verification_page_in_vietnamese(client, pki_settings):
    page = client.get("/xac-thuc/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Xác thực văn bản điện tử" in html
    assert 'enctype="multipart/form-data"' in html


def test_uploading_the_registered_result(client, signed):
    page = client.post("/xac-thuc/", {"file": pdf_upload(signed.data)}).content.decode()
    assert "Chữ ký số hợp lệ." in page
    assert "Sở Tư pháp thành phố Cần Thơ" in page
    assert signed.document.display_code in page
    assert "Kết quả giải quyết thủ tục hành chính" in page


def test_uploading_a_changed_file(client, signed):
    data = bytearray(signed.data)
    position = data.index(b"KET QUA")
    data[position] = ord("X")
    page = client.post("/xac-thuc/", {"file": pdf_upload(bytes(data))}).content.decode()
    assert "Văn bản này không có chữ ký số hợp lệ." in page
    assert "không phải là văn bản đã đăng ký" in page


def test_uploading_nothing_or_garbage(client, pki_settings):
    empty = client.post("/xac-thuc/", {}).content.decode()
    assert "Hãy chọn tệp PDF bạn đã nhận." in empty
    garbage = client.post("/xac-thuc/", {"file": pdf_upload(b"not a pdf")}).content.decode()
    assert "không phải là tài liệu PDF đọc được" in garbage


def test_qr_page_compares_a_copy(client, signed):
    url = f"/xac-thuc/{signed.document.code}/"
    assert services.verification_url(signed.document.code).endswith(url)
    page = client.get(url).content.decode()
    assert "Kết quả hồ sơ 000.00.03.H13-260115-0003" in page
    assert signed.document.sha256 in page
    same = client.post(url, {"file": pdf_upload(signed.data)}).content.decode()
    assert "Tệp của bạn trùng khớp hoàn toàn với văn bản đã đăng ký." in same
    other = client.post(url, {"file": pdf_upload(make_pdf())}).content.decode()
    assert "không phải là văn bản đã đăng ký với mã này" in other


def test_code_lookup(client, signed):
    typed = signed.document.display_code.lower()
    response = client.get("/xac-thuc/", {"ma": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/xac-thuc/{signed.document.code}/"
    unknown = client.get("/xac-thuc/", {"ma": "AAAA-BBBB-CCCC"}).content.decode()
    assert "Không có văn bản nào được đăng ký với mã này." in unknown
    assert client.get("/xac-thuc/AAAABBBBCCCC/").status_code == 404


def test_api_verify_and_lookup(client, signed):
    response = client.post("/api/v1/signatures/verify", {"file": pdf_upload(signed.data)})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid"
    assert body["signatures"][0]["signer"] == "Sở Tư pháp thành phố Cần Thơ"
    assert body["signatures"][0]["level"] == "B-T"
    assert body["registered"]["code"] == signed.document.code
    assert body["registered"]["sha256"] == body["sha256"]

    unregistered = client.post("/api/v1/signatures/verify", {"file": pdf_upload(make_pdf())})
    assert unregistered.json()["registered"] is None
    assert unregistered.json()["messages"] == ["Văn bản không có chữ ký số."]

    lookup = client.get(f"/api/v1/signatures/documents/{signed.document.code}")
    assert lookup.status_code == 200
    assert lookup.json()["document_type"] == "dossiers.result"
    assert lookup.json()["verification_url"].endswith(f"/xac-thuc/{signed.document.code}/")


def test_api_problems(client, pki_settings):
    broken = client.post("/api/v1/signatures/verify", {"file": pdf_upload(b"%PDF-1.7 broken")})
    assert broken.status_code == 422
    assert broken["Content-Type"] == "application/problem+json"
    assert "không phải là tài liệu PDF đọc được" in broken.json()["detail"]
    missing = client.post("/api/v1/signatures/verify", {})
    assert missing.status_code == 422
    unknown = client.get("/api/v1/signatures/documents/AAAABBBBCCCC")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    pki_settings.EGOV_SIGNATURE_MAX_UPLOAD_BYTES = 100
    large = client.post("/api/v1/signatures/verify", {"file": pdf_upload(make_pdf())})
    assert large.status_code == 413


def test_staff_of_another_agency_cannot_see_or_use_a_certificate(
    staff_client, certificate, agencies
):
    client, user = staff_client(Role.CLERK, "health")
    assert client.get(f"/staff/signatures/{certificate.pk}/").status_code == 404
    assert client.get(f"/staff/signatures/{certificate.pk}/seal.png").status_code == 404
    listing = client.get("/staff/signatures/").content.decode()
    assert certificate.label not in listing
    signing_page = client.post(
        "/staff/signatures/sign/",
        {"file": pdf_upload(make_pdf()), "certificate": certificate.pk, "level": "B-B"},
    )
    assert signing_page.status_code == 200
    assert "Bạn chưa có chứng thư số nào được phép dùng để ký." in signing_page.content.decode()
    assert not certificate.signed_documents.exists()
    assert not services.may_sign_with(user, certificate)


def test_clerk_signs_a_pdf_on_the_staff_page(staff_client, certificate):
    client, _user = staff_client(Role.CLERK, "justice")
    listing = client.get("/staff/signatures/").content.decode()
    assert certificate.label in listing
    assert client.get(f"/staff/signatures/{certificate.pk}/").status_code == 200
    response = client.post(
        "/staff/signatures/sign/",
        {"file": pdf_upload(make_pdf()), "certificate": certificate.pk, "level": "B-T"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = certificate.signed_documents.get()
    assert document.code in response["Content-Disposition"]
    # A clerk may sign but not manage: no revocation.
    revoke = client.post(f"/staff/signatures/{certificate.pk}/", {"reason": "x"})
    assert revoke.status_code == 403


def test_agency_admin_imports_and_revokes_on_the_staff_pages(
    staff_client, agencies, dev_pki, pki_settings
):
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice")
    issued = dev_pki.issue("Sở Tư pháp thành phố Cần Thơ", key_type="ec-p256")
    wrong = client.post(
        "/staff/signatures/import/",
        {
            "holder": "agency",
            "agency": agencies["justice"].pk,
            "file": SimpleUploadedFile("so-tu-phap.p12", issued.pkcs12(P12_PASSWORD)),
            "password": "nhầm mật khẩu",
        },
    ).content.decode()
    assert "Mật khẩu không mở được tệp PKCS#12" in wrong
    outside = client.post(
        "/staff/signatures/import/",
        {
            "holder": "agency",
            "agency": agencies["health"].pk,
            "file": SimpleUploadedFile("so-tu-phap.p12", issued.pkcs12(P12_PASSWORD)),
            "password": P12_PASSWORD,
        },
    ).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in outside
    response = client.post(
        "/staff/signatures/import/",
        {
            "holder": "agency",
            "agency": agencies["justice"].pk,
            "file": SimpleUploadedFile("so-tu-phap.p12", issued.pkcs12(P12_PASSWORD)),
            "password": P12_PASSWORD,
            "label": "Chữ ký số Sở Tư pháp 2026",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert "Chữ ký số Sở Tư pháp 2026" in client.get(detail).content.decode()
    revoked = client.post(detail, {"reason": "Thiết bị bị mất"}, follow=True).content.decode()
    assert "Đã thu hồi" in revoked


def test_agency_admin_replaces_the_seal_image(staff_client, certificate):
    from egov.core.models import AuditEvent
    from egov.signatures.seal import draw_seal

    client, _user = staff_client(Role.AGENCY_ADMIN, "justice")
    not_png = client.post(
        f"/staff/signatures/{certificate.pk}/seal/",
        {"seal": SimpleUploadedFile("dau.jpg", b"not an image")},
        follow=True,
    ).content.decode()
    assert "Hình ảnh con dấu phải là tệp PNG." in not_png
    png = draw_seal("Sở Tư pháp thành phố Cần Thơ", "2026")
    client.post(
        f"/staff/signatures/{certificate.pk}/seal/",
        {"seal": SimpleUploadedFile("dau.png", png, content_type="image/png")},
    )
    image = client.get(f"/staff/signatures/{certificate.pk}/seal.png")
    assert image["Content-Type"] == "image/png" and image.content == png
    assert AuditEvent.objects.filter(action="signatures.seal_changed").count() == 1
