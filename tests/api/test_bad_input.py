"""Malformed requests get the API's problem document with the status that says what is wrong,
in production and in development alike: never a server error, never an HTML page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts import tokens
from egov.accounts.models import Role
from egov.dossiers.models import Attachment, Dossier
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db

UPLOADS = [
    "/api/v1/dossiers/{dossier}/attachments",
    "/api/v1/staff/dossiers/{code}/result",
    "/api/v1/signatures/verify",
]


@pytest.fixture(params=[False, True], ids=["production", "development"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def api(client, citizen, draft, make_staff, agencies, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    client.raise_request_exception = False
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    citizen_token = tokens.create(citizen, name="test")[1]
    staff_token = tokens.create(officer, name="test")[1]

    def url(template: str) -> tuple[str, str]:
        token = staff_token if "/staff/" in template else citizen_token
        return template.format(dossier=draft.public_id, code="000.00.00.H13-260101-0001"), token

    return client, url


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("path", UPLOADS)
def test_a_multipart_body_without_a_boundary_is_a_400_problem(api, debug, path):
    client, url = api
    address, token = url(path)
    response = client.post(
        address,
        data=b"--x\r\n",
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = _is_problem(response, 400)
    assert "multipart/form-data" in body["detail"]


@pytest.mark.parametrize("path", UPLOADS)
def test_an_upload_sent_as_json_is_a_415_problem(api, path):
    client, url = api
    address, token = url(path)
    response = client.post(
        address,
        data={"file": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = _is_problem(response, 415)
    assert "multipart/form-data" in body["detail"]


def test_a_json_body_over_the_limit_is_a_413_problem(api, debug, settings):
    client, url = api
    _, token = url("/api/v1/dossiers/{dossier}/attachments")
    big = b'{"procedure_code": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}'
    response = client.post(
        "/api/v1/dossiers",
        data=big,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = _is_problem(response, 413)
    assert "MB" in body["detail"]


def test_a_very_long_file_name_is_kept_short_not_a_server_error(api, debug, draft):
    client, url = api
    address, token = url(UPLOADS[0])
    requirement = draft.procedure_version.requirements.get()
    response = client.post(
        address,
        {"requirement_id": requirement.pk, "file": SimpleUploadedFile("a" * 10_000 + ".pdf", PDF)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content[:300]
    stored = Attachment.objects.get(dossier=draft)
    assert len(stored.original_name) <= 255 and stored.original_name.endswith(".pdf")


def test_a_very_long_file_name_at_verification_is_not_a_server_error(api):
    client, _ = api
    response = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("a" * 10_000 + ".pdf", PDF)}
    )
    assert response.status_code in (200, 422), response.content[:300]
    assert response["Content-Type"].split(";")[0] in (
        "application/json",
        "application/problem+json",
    )


def test_nothing_is_written_by_a_refused_request(api):
    client, url = api
    before = Dossier.objects.count()
    _, token = url(UPLOADS[0])
    client.post(
        "/api/v1/dossiers",
        data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert Dossier.objects.count() == before
