"""The personnel API: token-only, scoped (another agency's record answers 404), each read
audited, events recorded with field errors as a problem document."""

import datetime
import json

import pytest

from egov.accounts import tokens
from egov.core.models import AuditEvent
from egov.personnel import rules
from egov.personnel.models import CareerEvent

D = datetime.date
pytestmark = pytest.mark.django_db


def bearer(user):
    _record, token = tokens.create(user, name="hr")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def people(recruit):
    return {
        "an": recruit(agency="justice", full_name="Trần Văn An"),
        "cuc": recruit(agency="health", full_name="Phạm Thị Cúc", sex="female"),
    }


def test_search_and_read_within_scope(client, officers, people):
    headers = bearer(officers["justice"])
    answer = client.get("/api/v1/personnel/people?q=tran", **headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and body["items"][0]["code"] == people["an"].code
    assert body["items"][0]["agency"] == "000.00.03.H13" and body["items"][0]["step"] == 1
    person = client.get(f"/api/v1/personnel/people/{people['an'].public_id}", **headers).json()
    assert person["state"]["status"] == "working" and person["record"]["full_name"] == "Trần Văn An"
    assert person["events"][0]["kind"] == "recruitment"
    assert AuditEvent.objects.filter(action="personnel.record_viewed").count() == 1
    other = client.get(f"/api/v1/personnel/people/{people['cuc'].public_id}", **headers)
    assert other.status_code == 404 and other["Content-Type"] == "application/problem+json"
    past = client.get(
        f"/api/v1/personnel/people/{people['an'].public_id}?as_of=2015-02-01", **headers
    )
    assert past.json()["state"]["status"] == "not_started"


def test_only_personnel_officers_with_a_token(client, officers, make_staff, agencies, people):
    assert client.get("/api/v1/personnel/people").status_code == 401
    client.force_login(officers["home"])
    assert client.get("/api/v1/personnel/people").status_code == 401  # a session is not enough
    other = make_staff("chuyenvien", agencies["justice"])
    answer = client.get("/api/v1/personnel/people", **bearer(other))
    assert answer.status_code == 403 and answer.json()["title"]


def test_record_an_event_and_its_refusals(client, officers, people):
    headers = bearer(officers["home"])
    url = f"/api/v1/personnel/people/{people['an'].public_id}/events"
    decision = {
        "decision_number": "9/QĐ-UBND",
        "decision_signed_on": "2020-12-01",
        "decision_signer": "Lê Văn Ký",
    }
    answer = post(
        client,
        url,
        {"kind": "transfer", "effective_on": "2021-01-01", "agency": "000.00.10.H13", **decision},
        headers,
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["agency"] == "000.00.10.H13"
    bad = post(
        client,
        url,
        {"kind": "salary", "effective_on": "2021-03-01", "step": 12, **decision},
        headers,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "step", "message": "Nhóm A1 có các bậc từ 1 đến 9."}]
    unknown = post(
        client,
        url,
        {"kind": "transfer", "effective_on": "2021-03-01", "agency": "999", **decision},
        headers,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "agency"
    malformed = post(client, url, {"kind": "promotion", "effective_on": "soon"}, headers)
    assert malformed.status_code == 422
    assert CareerEvent.objects.filter(person=people["an"]).count() == 2
    # a department cannot record for a person who is no longer theirs
    answer = post(
        client,
        url,
        {"kind": "reward", "effective_on": "2021-05-01", "detail": "Giấy khen", **decision},
        bearer(officers["justice"]),
    )
    assert answer.status_code == 404


def test_due_lists_and_staffing(client, officers, recruit):
    today = datetime.date.today()
    born = D(today.year - 62, today.month, 1)
    recruit(full_name="Già", date_of_birth=born, on=D(2000, 1, 1))
    retirement = rules.retirement("male", born)
    headers = bearer(officers["justice"])
    retirements = client.get("/api/v1/personnel/due/retirements?months=6", **headers).json()
    assert [row["person"]["full_name"] for row in retirements] == ["Già"]
    assert retirements[0]["age"] == f"{retirement.age_years}y{retirement.age_months}m"
    assert retirements[0]["retires_on"] == retirement.retires_on.isoformat()
    assert client.get("/api/v1/personnel/due/raises?months=0", **headers).status_code == 422
    report = client.get("/api/v1/personnel/staffing", **headers).json()
    assert report["total"]["values"]["total"] == 1
    assert report["rows"][0]["agency"] == "000.00.03.H13"
    assert report["columns"]["women"] == "Nữ"


def test_search_counts_up_to_the_cap(client, officers, recruit, monkeypatch):
    """Past the cap the API says there are more instead of counting everyone in service."""
    for name in ("Trần Văn Bình", "Trần Thị Chi", "Trần Văn Dũng"):
        recruit(agency="justice", full_name=name)
    headers = bearer(officers["justice"])
    body = client.get("/api/v1/personnel/people?q=tran", **headers).json()
    assert (body["count"], body["more"]) == (3, False)
    monkeypatch.setattr("egov.personnel.api.SEARCH_CAP", 2)
    body = client.get("/api/v1/personnel/people?q=tran&limit=2", **headers).json()
    assert (body["count"], body["more"], len(body["items"])) == (3, True, 2)
