import pytest
from django.core.files.base import ContentFile

from egov.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_api_search_is_paginated_and_filtered(client, catalogue):
    body = client.get("/api/v1/procedures", {"q": "KHAI SINH", "page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["results"][0] == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "commune",
        "online_mode": "full",
        "legacy_service_level": 4,
        "time_limit": "1.0",
        "time_unit": "working_days",
        "version": 1,
    }
    second = client.get("/api/v1/procedures", {"q": "khai sinh", "page_size": 2, "page": 2})
    assert len(second.json()["results"]) == 1
    assert client.get("/api/v1/procedures", {"level": "province"}).json()["count"] == 2
    bad = client.get("/api/v1/procedures", {"online_mode": "sometimes"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_api_detail_and_form_check(client, catalogue):
    detail = client.get("/api/v1/procedures/2.000815").json()
    assert detail["requirements"][0]["name"] == "Tờ khai"
    assert detail["workflow"][0]["action"] == "receive"
    assert detail["form_schema"]["required"] == ["so_trang", "so_ban"]
    check = client.post(
        "/api/v1/procedures/2.000815/form-check",
        {"so_trang": 5, "so_ban": 1},
        content_type="application/json",
    ).json()
    assert check == {
        "valid": True,
        "errors": {},
        "total_fee": 7000,
        "fees": [
            {"name": "Phí chứng thực bản sao", "kind": "phi", "amount": 7000, "exempt": False}
        ],
    }
    wrong = client.post(
        "/api/v1/procedures/2.000815/form-check",
        {"so_trang": "năm"},
        content_type="application/json",
    ).json()
    assert not wrong["valid"] and set(wrong["errors"]) == {"so_trang", "so_ban"}
    assert client.get("/api/v1/procedures/0.000000").status_code == 404


def test_search_page_without_diacritics(client, catalogue):
    page = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert page.index("Đăng ký khai sinh") < page.index("Đăng ký lại khai sinh")
    assert "3 thủ tục" in page or "3 procedures" in page


def test_procedure_page_and_template_download(client, catalogue):
    requirement = catalogue["birth"].requirements.get()
    requirement.template_file.save("to-khai.docx", ContentFile(b"PK fake docx"), save=True)
    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Đăng ký khai sinh" in page and "Luật Hộ tịch số 60/2014/QH13" in page
    assert f"/thu-tuc/1.001193/mau/{requirement.pk}/" in page
    download = client.get(f"/thu-tuc/1.001193/mau/{requirement.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK fake docx"
    assert "attachment" in download["Content-Disposition"]
    other = catalogue["copy"].requirements.get()
    assert client.get(f"/thu-tuc/1.001193/mau/{other.pk}/").status_code == 404
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_editor_sees_only_their_agencys_procedures(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "health")
    listing = client.get("/staff/catalog/").content.decode()
    assert "1.002000" in listing and "1.001193" not in listing
    assert client.get("/staff/catalog/1.001193/").status_code == 404
    assert client.post("/staff/catalog/1.001193/draft/").status_code == 404
    assert client.get("/staff/catalog/1.002000/").status_code == 200


def test_staff_without_the_role_cannot_edit(staff_client, catalogue):
    client, _user = staff_client(Role.DESK_OFFICER, "justice")
    assert client.get("/staff/catalog/").status_code == 403


def test_editor_drafts_edits_and_publishes(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice")
    response = client.post("/staff/catalog/2.000815/draft/")
    assert response["Location"] == "/staff/catalog/2.000815/edit/"
    form_page = client.get("/staff/catalog/2.000815/edit/")
    initial = form_page.context["form"].initial
    data = {key: form_page.context["form"][key].value() for key in form_page.context["form"].fields}
    data["name"] = "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    data["receiving_agencies"] = []
    data["deciding_agency"] = ""
    saved = client.post("/staff/catalog/2.000815/edit/", data)
    assert saved.status_code == 302, saved.context["form"].errors
    assert initial["field"] == "chung_thuc"
    # The e-form, papers, fees and workflow are edited in the designer's pages, not as JSON.
    page = client.get("/staff/catalog/2.000815/edit/").content.decode()
    assert "JSON" not in page and 'class="mono"' not in page
    for part in ("form", "papers", "fees", "workflow"):
        assert f"/staff/catalog/2.000815/{part}/" in page
    published = client.post(
        "/staff/catalog/2.000815/publish/",
        {"effective_from": "2026-12-01", "change_note": "Đổi tên"},
    )
    assert published["Location"] == "/staff/catalog/2.000815/"
    detail = client.get("/staff/catalog/2.000815/").content.decode()
    # The history names what was done, not its audit code.
    assert "Đổi tên" in detail and "Công bố phiên bản thủ tục" in detail
    assert "catalog.version_published" not in detail


def test_editor_preview_and_new_procedure(staff_client, catalogue, agencies):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice", include_subtree=True)
    response = client.post(
        "/staff/catalog/new/",
        {
            "code": "DEMO.001",
            "owner_agency": agencies["legal_aid"].pk,
            "name": "Trợ giúp pháp lý",
            "field": catalogue["birth"].field.pk,
            "level": "province",
            "online_mode": "partial",
            "legacy_service_level": "3",
            "time_limit": "3",
            "time_unit": "working_days",
        },
    )
    assert response["Location"] == "/staff/catalog/DEMO.001/edit/"
    edit = client.get("/staff/catalog/DEMO.001/edit/").content.decode()
    assert "error-summary" in edit  # it cannot be published yet, and says why
    preview = client.get("/staff/catalog/DEMO.001/preview/").content.decode()
    assert "error-summary" in preview
    taken = client.post(
        "/staff/catalog/new/",
        {
            "code": "1.001193",
            "owner_agency": agencies["justice"].pk,
            "name": "x",
            "field": catalogue["birth"].field.pk,
            "level": "commune",
            "online_mode": "full",
            "legacy_service_level": "4",
            "time_limit": "1",
            "time_unit": "working_days",
        },
    )
    assert taken.status_code == 200 and "error-summary" in taken.content.decode()
