import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from egov.core import audit

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_are_vietnamese_by_default_whatever_the_browser_says(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert '<html lang="vi">' in text
    assert "Cổng dịch vụ công" in text
    assert page["Content-Language"] == "vi"


def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text and "Public service portal" in text


def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_request_id_is_echoed_and_recorded(client, rf):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces\n")
    assert forged["X-Request-ID"] != "bad id with spaces\n"
    from egov.core.middleware import RequestIdMiddleware

    def view(request):
        with transaction.atomic():
            audit.record(actor=None, action="test.changed", object_type="x")
        from django.http import HttpResponse

        return HttpResponse()

    RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="req-42"))
    from egov.core.models import AuditEvent

    assert AuditEvent.objects.get().request_id == "req-42"


def test_committed_openapi_schema_matches_the_code():
    """API changes must show in review: regenerate with `make openapi`."""
    from egov.api import api

    committed = json.loads((ROOT / "docs" / "api" / "openapi.json").read_text())
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    assert current == committed


def test_openapi_is_served(client):
    body = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units" in body["paths"]


def test_api_errors_are_problem_documents(client):
    response = client.get("/api/v1/units", {"as_of": "not-a-date"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["errors"][0]["field"] == "as_of"
    missing = client.get("/api/v1/units/99999")
    assert missing.status_code == 404 and missing.json()["title"] == "Không tìm thấy"


@pytest.mark.django_db(transaction=False)
def test_deploy_check_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 64 + "production-like-secret-key-for-the-check",
        "ALLOWED_HOSTS": "dichvucong.cantho.gov.vn",
        "EGOV_PUBLIC_BASE_URL": "https://dichvucong.cantho.gov.vn",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
