import pytest

from egov.accounts import tokens
from egov.dossiers.models import Dossier
from tests.conftest import EICAR
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db

BODY = {
    "procedure_code": "2.000488",
    "answers": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
}


@pytest.fixture
def api(client, citizen, record_version, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    _record, token = tokens.create(citizen, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_submit_through_the_api_with_an_idempotency_key(api):
    first = api.post(
        "/api/v1/dossiers", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = api.post(
        "/api/v1/dossiers", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Dossier.objects.count() == 1
    dossier_id = first.json()["id"]
    missing = api.post(f"/api/v1/dossiers/{dossier_id}/submit")
    assert missing.status_code == 422 and "Tờ khai" in missing.json()["title"]
    requirement = Dossier.objects.get().procedure_version.requirements.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    attached = api.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        {"requirement_id": requirement.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert attached.status_code == 201 and attached.json()["type"] == "pdf"
    submitted = api.post(f"/api/v1/dossiers/{dossier_id}/submit").json()
    assert submitted["status"] == "submitted" and submitted["code"].startswith("000.00.00.H13")
    assert api.get("/api/v1/dossiers").json()[0]["code"] == submitted["code"]


def test_an_idempotency_key_reused_with_another_body_is_refused(api):
    first = api.post(
        "/api/v1/dossiers", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert first.status_code == 201
    other = {**BODY, "answers": {**BODY["answers"], "ho_ten_tre": "Trần Văn Bình"}}
    refused = api.post(
        "/api/v1/dossiers", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in refused.json()["title"]
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().form_data["ho_ten_tre"] == "Nguyễn Văn An"
    again = api.post(
        "/api/v1/dossiers", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])


def test_api_refusals(api, client, settings, clamd_socket):
    created = api.post(
        "/api/v1/dossiers",
        {**BODY, "answers": {"ngay_sinh": "hôm qua"}},
        content_type="application/json",
    ).json()
    assert "ho_ten_tre" in created["answer_errors"] and created["missing"]
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    from django.core.files.uploadedfile import SimpleUploadedFile

    requirement = Dossier.objects.get().procedure_version.requirements.get()
    virus = api.post(
        f"/api/v1/dossiers/{created['id']}/attachments",
        {"requirement_id": requirement.pk, "file": SimpleUploadedFile("a.pdf", PDF + EICAR)},
    )
    assert virus.status_code == 422 and virus["Content-Type"] == "application/problem+json"
    assert (
        api.post(
            "/api/v1/dossiers", {"procedure_code": "9.999999"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        api.post("/api/v1/dossiers", {"answers": []}, content_type="application/json").status_code
        == 422
    )
    api.defaults.pop("HTTP_AUTHORIZATION")
    anonymous = api.get("/api/v1/dossiers")
    assert anonymous.status_code == 401
    api.defaults["HTTP_AUTHORIZATION"] = "Bearer egov_not-a-real-token"
    assert api.get("/api/v1/dossiers").status_code == 401


def test_another_citizens_dossier_is_404_and_revoked_tokens_stop(api, citizen):
    from egov.accounts import services as accounts

    created = api.post("/api/v1/dossiers", BODY, content_type="application/json").json()
    other = accounts.create_user(
        actor=None, username="khac", password="x" * 12, kind="citizen", email="khac@example.vn"
    )
    record, token = tokens.create(other, name="other")
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert api.get(f"/api/v1/dossiers/{created['id']}").status_code == 404
    assert api.post(f"/api/v1/dossiers/{created['id']}/submit").status_code == 404
    tokens.revoke(record, actor=other)
    assert api.get("/api/v1/dossiers").status_code == 401


def test_token_page_shows_the_token_once(client, citizen):
    client.force_login(citizen)
    page = client.post("/tai-khoan/khoa-api/", {"name": "Ứng dụng kế toán", "days": "30"})
    text = page.content.decode()
    assert "egov_" in text
    record = citizen.access_tokens.get()
    assert record.digest not in text
    assert (
        "egov_"
        not in client.get("/tai-khoan/khoa-api/").content.decode().split(record.prefix)[1][:5]
    )
    client.post(f"/tai-khoan/khoa-api/{record.pk}/thu-hoi/")
    record.refresh_from_db()
    assert not record.active


def test_delivery_by_post_goes_through_the_postal_request(api):
    """A free-text address would bypass the postal checks (today's units, fees, booking)."""
    by_post = {**BODY, "result_delivery": "post", "delivery_address": "12 Hòa Bình, Ninh Kiều"}
    refused = api.post("/api/v1/dossiers", by_post, content_type="application/json")
    assert refused.status_code == 422
    assert "/postal" in refused.json()["title"]
    assert not Dossier.objects.exists()  # nothing half-made
    at_desk = api.post(
        "/api/v1/dossiers", {**BODY, "result_delivery": "desk"}, content_type="application/json"
    )
    assert at_desk.status_code == 201 and at_desk.json()["result_delivery"] == "desk"


def test_a_draft_is_created_with_its_answers_and_delivery_in_one_write(api):
    from egov.core.models import AuditEvent

    no_address = api.post(
        "/api/v1/dossiers", {**BODY, "result_delivery": "post"}, content_type="application/json"
    )
    assert no_address.status_code == 422
    hidden = api.post(
        "/api/v1/dossiers",
        {**BODY, "answers": {"ho_ten_tre": "An\u0007"}},
        content_type="application/json",
    )
    assert hidden.status_code == 422
    assert not Dossier.objects.exists()  # a refused request leaves no draft behind
    created = api.post(
        "/api/v1/dossiers",
        {**BODY, "result_delivery": "desk"},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["attachments"] == [] and body["answer_errors"] == {}
    assert body["missing"]  # the paper to attach
    dossier = Dossier.objects.get()
    assert (dossier.result_delivery, dossier.delivery_address) == ("desk", "")
    assert dossier.form_data == BODY["answers"] and dossier.revision == 1
    assert AuditEvent.objects.filter(action="dossiers.draft_started").count() == 1


def test_a_nul_in_a_body_is_refused_with_the_field_named_and_nothing_written(api):
    # PostgreSQL text and jsonb cannot hold U+0000: without the refusal this was a server error.
    in_answer = api.post(
        "/api/v1/dossiers",
        {**BODY, "answers": {**BODY["answers"], "ho_ten_tre": "An\x00"}},
        content_type="application/json",
    )
    assert in_answer.status_code == 422
    assert in_answer.json()["errors"] == [
        {"field": "answers.ho_ten_tre", "message": "Hãy xoá ký tự rỗng (U+0000) khỏi giá trị này."}
    ]
    in_key = api.post(
        "/api/v1/dossiers",
        {**BODY, "answers": {"ho\x00": "x"}},
        content_type="application/json",
    )
    assert in_key.status_code == 422
    assert not Dossier.objects.exists()
    created = api.post("/api/v1/dossiers", BODY, content_type="application/json").json()
    requirement = Dossier.objects.get().procedure_version.requirements.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    in_form = api.post(
        f"/api/v1/dossiers/{created['id']}/attachments",
        {"requirement_id": f"{requirement.pk}\x00", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert in_form.status_code == 422
    assert in_form.json()["errors"][0]["field"] == "requirement_id"
    assert not Dossier.objects.get().attachments.exists()


def test_a_body_that_is_not_json_gets_a_translated_400(api):
    response = api.post("/api/v1/dossiers", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["title"] == "Nội dung yêu cầu không phải JSON hợp lệ"
    assert not Dossier.objects.exists()


def test_a_client_learns_each_paper_id_from_the_api_alone(api):
    """The procedure and the draft name the papers by id and code: a client attaches them
    without reading the database."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    procedure = api.get("/api/v1/procedures/2.000488").json()
    [paper] = procedure["requirements"]
    assert paper["id"] > 0 and paper["code"] == "to-khai"
    draft = api.post(
        "/api/v1/dossiers", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="ids"
    ).json()
    assert draft["missing_requirements"] == [
        {"id": paper["id"], "code": "to-khai", "name": "Tờ khai"}
    ]
    attached = api.post(
        f"/api/v1/dossiers/{draft['id']}/attachments",
        {"requirement_id": paper["id"], "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert attached.status_code == 201
    again = api.get(f"/api/v1/dossiers/{draft['id']}").json()
    assert again["missing_requirements"] == [] and again["missing"] == []


def test_a_client_chooses_a_service_centre_to_collect_the_result_at(api, agencies):
    from egov.organizations import services as organizations
    from egov.organizations.models import Agency

    centre = organizations.save_agency(
        Agency(
            code="001.01.50.H13",
            name="Trung tâm Phục vụ hành chính công phường Ninh Kiều",
            kind=Agency.Kind.COMMUNE_SERVICE_CENTRE,
            parent=agencies["city"],
            valid_from="2025-07-01",
        ),
        actor=None,
    )
    desk = {**BODY, "result_delivery": "desk", "return_agency_code": centre.code}
    created = api.post("/api/v1/dossiers", desk, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["return_agency"] == centre.code
    assert Dossier.objects.get().return_agency == centre
    # Not a service centre, or not collected at a desk: refused with what to fix.
    unknown = {**desk, "return_agency_code": agencies["justice"].code}
    refused = api.post("/api/v1/dossiers", unknown, content_type="application/json")
    assert (
        refused.status_code == 422
        and "Trung tâm Phục vụ hành chính công" in refused.json()["title"]
    )
    online = {**desk, "result_delivery": "online"}
    refused = api.post("/api/v1/dossiers", online, content_type="application/json")
    assert refused.status_code == 422 and "nhận kết quả trực tiếp" in refused.json()["title"]
    assert Dossier.objects.count() == 1
