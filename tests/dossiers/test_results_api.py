"""The citizen API: downloading the files of one's own dossier, and rating it."""

import pytest

from egov.accounts import services as accounts
from egov.accounts import tokens
from egov.accounts.models import User
from egov.dossiers import processing
from egov.dossiers.models import Attachment, Rating
from tests.dossiers import closing

pytestmark = pytest.mark.django_db

SCORES = {name: 2 for name in Rating.SCORES}


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


def _bearer(user) -> dict:
    _record, token = tokens.create(user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def mine(citizen):
    return _bearer(citizen)


@pytest.fixture
def neighbours(db):
    other = accounts.create_user(
        actor=None,
        username="hangxom",
        password=None,
        kind=User.Kind.CITIZEN,
        email="hangxom@example.vn",
    )
    return _bearer(other)


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_the_applicant_downloads_the_result_once_returned(
    client, mine, neighbours, record_version, citizen, people
):
    dossier = closing.returned(record_version, citizen, people)
    listed = client.get(f"/api/v1/dossiers/{dossier.public_id}", **mine).json()["attachments"]
    kinds = {a["kind"]: a["id"] for a in listed}
    assert set(kinds) == {"submission", "receipt", "result"}
    url = f"/api/v1/dossiers/{dossier.public_id}/attachments/{kinds['result']}"
    download = client.get(url, **mine)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == closing.RESULT_PDF
    receipt = client.get(
        f"/api/v1/dossiers/{dossier.public_id}/attachments/{kinds['receipt']}", **mine
    )
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    # Another citizen learns nothing, not even that the file exists.
    _problem(client.get(url, **neighbours), 404)
    _problem(client.get(f"/api/v1/dossiers/{dossier.public_id}", **neighbours), 404)


def test_a_result_is_not_offered_before_it_is_returned(
    client, mine, record_version, citizen, people
):
    dossier = closing.result_ready(record_version, citizen, people)
    result = dossier.attachments.get(kind=Attachment.Kind.RESULT)
    listed = client.get(f"/api/v1/dossiers/{dossier.public_id}", **mine).json()["attachments"]
    assert "result" not in {a["kind"] for a in listed}
    _problem(
        client.get(f"/api/v1/dossiers/{dossier.public_id}/attachments/{result.pk}", **mine), 404
    )


def test_a_refusal_notice_is_offered(client, mine, record_version, citizen, people):
    dossier = processing.take(
        closing.received(record_version, citizen, people), actor=people["specialist"]
    )
    dossier = processing.refuse(dossier, actor=people["specialist"], reason="Không đủ điều kiện")
    listed = client.get(f"/api/v1/dossiers/{dossier.public_id}", **mine).json()["attachments"]
    notice = next(a for a in listed if a["kind"] == "result")
    assert notice["original_name"].endswith("-tu-choi.pdf")
    download = client.get(
        f"/api/v1/dossiers/{dossier.public_id}/attachments/{notice['id']}", **mine
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_rating_through_the_api(client, mine, neighbours, record_version, citizen, people):
    dossier = closing.returned(record_version, citizen, people)
    url = f"/api/v1/dossiers/{dossier.public_id}/rating"
    _problem(client.get(url, **mine), 404)  # not rated yet
    body = {**SCORES, "staff_attitude": 1, "comment": "Nhanh gọn"}
    _problem(client.post(url, body, content_type="application/json", **neighbours), 404)
    created = client.post(url, body, content_type="application/json", **mine)
    assert created.status_code == 201
    assert created.json()["total"] == 17 and created.json()["grade"] == "Xuất sắc"
    again = client.post(url, body, content_type="application/json", **mine)
    assert again.status_code == 200 and again.json() == created.json()
    changed = _problem(
        client.post(url, {**body, "staff_attitude": 0}, content_type="application/json", **mine),
        409,
    )
    assert "đã đánh giá" in changed["title"]
    assert client.get(url, **mine).json()["staff_attitude"] == 1
    assert Rating.objects.count() == 1


def test_rating_refusals_are_problems(client, mine, record_version, citizen, people):
    in_progress = closing.received(record_version, citizen, people)
    url = f"/api/v1/dossiers/{in_progress.public_id}/rating"
    early = _problem(client.post(url, SCORES, content_type="application/json", **mine), 422)
    assert "trả kết quả" in early["title"]
    dossier = closing.returned(record_version, citizen, people)
    url = f"/api/v1/dossiers/{dossier.public_id}/rating"
    for body in (
        {**SCORES, "total_time": 3},
        {**SCORES, "feedback": -1},
        {**SCORES, "one_stop": "hai"},
        {k: v for k, v in SCORES.items() if k != "publicity"},
        {**SCORES, "comment": "x" * 1001},
        {**SCORES, "comment": "chuông\x07"},
        [2] * 9,
    ):
        problem = _problem(client.post(url, body, content_type="application/json", **mine), 422)
        assert problem["errors"], body
    _problem(client.post(url, "{not json", content_type="application/json", **mine), 400)
    assert not Rating.objects.exists()
