"""The staff API: queues, search, detail with masking, actions with the same refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts import tokens
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db


def bearer(client, user):
    _record, token = tokens.create(user, name="api")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_queue_search_and_actions(client, received, people, citizen):
    citizen.citizen_id = "092190012345"
    citizen.save()
    api = bearer(client, people["specialist"])
    page = api.get("/api/v1/staff/dossiers", {"tab": "process"}).json()
    assert page["count"] == 1 and page["items"][0]["code"] == received.code
    assert page["items"][0]["deadline"] == "on_time" and page["items"][0]["step"] == "xu-ly"
    found = api.get("/api/v1/staff/dossiers", {"q": "CONG DAN"}).json()
    assert [item["code"] for item in found["items"]] == [received.code]
    detail = api.get(f"/api/v1/staff/dossiers/{received.code}").json()
    assert detail["citizen_id"] != "092190012345" and detail["citizen_id"].endswith("345")
    assert [row["step"] for row in detail["steps"]] == ["nhan", "xu-ly"]
    taken = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/take",
        {"revision": detail["revision"]},
        content_type="application/json",
    )
    assert taken.status_code == 200 and taken.json()["assignee"] == "chuyenvien"
    # The same revision again: someone else changed it.
    stale = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/advance",
        {"revision": detail["revision"]},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    moved = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/advance",
        {"revision": taken.json()["revision"], "note": "Đủ điều kiện"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["step"] == "y-kien"


def test_refusals(client, received, people, citizen, make_staff, agencies):
    api = bearer(client, people["desk"])
    # The desk officer may open the dossier but not process it.
    refused = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/advance",
        {"revision": received.revision},
        content_type="application/json",
    )
    assert refused.status_code == 403
    empty = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/pause",
        {"revision": received.revision},
        content_type="application/json",
    )
    assert empty.status_code in (403, 422)
    malformed = api.post(
        f"/api/v1/staff/dossiers/{received.code}/actions/fly",
        {"revision": 1},
        content_type="application/json",
    )
    assert malformed.status_code == 422
    outsider = bearer(client, make_staff("ngoai", agencies["legal_aid"], "specialist"))
    assert outsider.get(f"/api/v1/staff/dossiers/{received.code}").status_code == 404
    assert outsider.get("/api/v1/staff/dossiers", {"q": received.code}).json()["count"] == 0
    citizen_api = bearer(client, citizen)
    assert citizen_api.get("/api/v1/staff/dossiers").status_code == 403


def test_result_upload(client, received, people):
    api = bearer(client, people["specialist"])
    dossier = Dossier.objects.get(pk=received.pk)
    answer = api.post(
        f"/api/v1/staff/dossiers/{received.code}/result",
        {"revision": dossier.revision, "file": SimpleUploadedFile("kq.pdf", PDF)},
    )
    assert answer.status_code == 200
    bad = api.post(
        f"/api/v1/staff/dossiers/{received.code}/result",
        {"revision": answer.json()["revision"], "file": SimpleUploadedFile("kq.pdf", b"MZ" * 40)},
    )
    assert bad.status_code == 422 and "PDF" in bad.json()["title"].upper()
