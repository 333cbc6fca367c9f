"""Open311 GeoReport v2: the spec's examples, each filter, JSON and XML, the spec's errors."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from egov.accounts.models import Role
from egov.feedback import services
from egov.feedback.models import Attribute, Category, Report
from tests.conftest import EICAR
from tests.feedback.conftest import CAI_RANG_POINT, NINH_KIEU_POINT, draft, jpeg

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def admin(make_staff, agencies):
    return make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)


@pytest.fixture
def api_key(admin, categories):
    _client, key = services.issue_api_key(
        actor=admin, name="Ứng dụng thử", contact_email="dev@example.vn", requests_per_minute=50
    )
    return key


@pytest.fixture
def spec_service(categories):
    """The spec's example service 033 with its attribute WHISHETN."""
    category = Category.objects.create(
        code="033",
        name="Trash Container Replacement",
        description="Replacement of damaged trash containers",
        group="sanitation",
        keywords="trash, garbage",
        agency=categories["works"],
    )
    Attribute.objects.create(
        category=category,
        code="WHISHETN",
        description="What is the ticket/tracking number?",
        datatype=Attribute.Datatype.STRING,
        datatype_description="Enter the number on the container",
        required=True,
        position=1,
    )
    Attribute.objects.create(
        category=category,
        code="SIZE",
        description="What size is the container?",
        datatype=Attribute.Datatype.SINGLE,
        position=2,
        values=[{"key": "123", "name": "Small"}, {"key": "124", "name": "Large"}],
    )
    return category


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own answer


def post(client, key, **fields):
    data = {
        "api_key": key,
        "service_code": "street-light",
        "description": "Đèn tắt ba đêm liền.",
        **fields,
    }
    return client.post(f"{BASE}/requests.json", data)


def test_discovery_in_both_formats(client):
    body = client.get(f"{BASE}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format") is not None
    assert client.get(f"{BASE}/").status_code == 302


def test_services_list_as_in_the_spec(client, spec_service, categories):
    Category.objects.create(code="hidden", name="Ẩn", agency=categories["works"], is_active=False)
    services_json = client.get(f"{BASE}/services.json").json()
    by_code = {s["service_code"]: s for s in services_json}
    assert "hidden" not in by_code
    assert by_code["033"] == {
        "service_code": "033",
        "service_name": "Trash Container Replacement",
        "description": "Replacement of damaged trash containers",
        "metadata": True,
        "type": "realtime",
        "keywords": "trash, garbage",
        "group": "sanitation",
    }
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    first = root.find("service[service_code='033']")
    assert first.findtext("metadata") == "true" and first.findtext("type") == "realtime"


def test_service_definition_with_attributes(client, spec_service):
    body = client.get(f"{BASE}/services/033.json").json()
    assert body["service_code"] == "033"
    whishetn, size = body["attributes"]
    assert whishetn == {
        "variable": True,
        "code": "WHISHETN",
        "datatype": "string",
        "required": True,
        "datatype_description": "Enter the number on the container",
        "order": 1,
        "description": "What is the ticket/tracking number?",
        "values": [],
    }
    assert size["values"] == [{"key": "123", "name": "Small"}, {"key": "124", "name": "Large"}]
    root = xml(client.get(f"{BASE}/services/033.xml"))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute[code='SIZE']/values/value")
    assert [v.findtext("name") for v in values] == ["Small", "Large"]


def test_unknown_service_answers_the_spec_error(client, categories):
    response = client.get(f"{BASE}/services/nope.json")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404 and "nope" in error["description"]
    root = xml(client.get(f"{BASE}/services/nope.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_post_the_spec_example_and_follow_it(client, api_key, spec_service, settings):
    # The spec's example point is in San Francisco: this test serves that area.
    settings.EGOV_FEEDBACK_AREA = (37.0, -123.0, 38.0, -122.0)
    response = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": api_key,
            "service_code": "033",
            "lat": "37.76524078",
            "long": "-122.4212043",
            "address_string": "1234 5th street",
            "email": "smit222@sfgov.edu",
            "device_id": "tt222111",
            "account_id": "123456",
            "first_name": "john",
            "last_name": "smith",
            "phone": "0912345678",
            "description": "A large sinkhole is destroying the street",
            "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
            "attribute[WHISHETN]": "123456",
            "attribute[SIZE]": "124",
        },
    )
    assert response.status_code == 200, response.content
    root = xml(response)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    token = root.findtext("request/token")
    report = Report.objects.get(code=code)
    assert report.source == Report.Source.OPEN311 and report.client is not None
    assert report.attributes == {"WHISHETN": "123456", "SIZE": "124"}
    assert report.contact_name == "john smith" and report.device_id == "tt222111"
    assert report.media_url.startswith("http://farm3")
    # Token → id, then the request itself.
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [
        {"service_request_id": code, "token": token}
    ]
    (entry,) = client.get(f"{BASE}/requests/{code}.json").json()
    assert entry["status"] == "open"
    assert entry["service_code"] == "033" and entry["lat"] == pytest.approx(37.76524078)
    # The client's photo is fetched in the background (test_media_url): until then, nothing;
    # its own address is never republished.
    assert entry["media_url"] == ""
    assert report.media_url_status == Report.MediaUrlStatus.PENDING
    assert entry["agency_responsible"] == "Sở Xây dựng"
    assert entry["requested_datetime"].endswith("+07:00")
    assert "smit222" not in str(entry) and "john" not in str(entry)  # contact never public
    detail = xml(client.get(f"{BASE}/requests/{code}.xml"))
    assert detail.findtext("request/status") == "open"


def test_post_with_a_photo_by_multipart_upload(client, api_key, categories):
    photo = SimpleUploadedFile("IMG.jpg", jpeg(gps=CAI_RANG_POINT), content_type="image/jpeg")
    response = post(client, api_key, media=photo)
    assert response.status_code == 200, response.content
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.place_source == Report.PlaceSource.PHOTO
    (entry,) = client.get(f"{BASE}/requests/{report.code}.json").json()
    assert "/phan-anh/tep/" in entry["media_url"]


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "o311_not-a-key"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "no-such-service"}, 400, "no-such-service"),
        ({}, 400, "lat/long"),  # no position, no address
        ({"lat": "abc", "long": "105.77"}, 400, "lat"),
        ({"lat": "10.03", "long": "105.77", "email": "x"}, 400, "email"),
        ({"lat": "10.03", "long": "105.77", "description": ""}, 400, "description"),
    ],
)
def test_post_errors_in_the_spec_format(client, api_key, categories, fields, status, words):
    data = {"api_key": api_key, **fields}
    response = post(client, data.pop("api_key"), **data)
    assert response.status_code == status
    errors = response.json()
    assert all(set(e) == {"code", "description"} for e in errors)
    assert any(words in e["description"] for e in errors)
    assert Report.objects.count() == 0


def test_post_an_oversized_or_infected_file(client, api_key, categories, settings, clamd_socket):
    settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES = 2000
    big = SimpleUploadedFile("big.jpg", jpeg(size=(600, 600)), content_type="image/jpeg")
    response = post(client, api_key, lat="10.03", long="105.77", media=big)
    assert response.status_code == 400 and "media" in response.json()[0]["description"]
    settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES = 10_000_000
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    photo = jpeg()
    infected = photo[:2] + b"\xff\xfe" + (len(EICAR) + 2).to_bytes(2, "big") + EICAR + photo[2:]
    response = post(
        client, api_key, lat="10.03", long="105.77", media=SimpleUploadedFile("a.jpg", infected)
    )
    assert response.status_code == 400
    assert "media" in response.json()[0]["description"]
    assert Report.objects.count() == 0


def test_revoked_key_is_refused(client, api_key, admin):
    client_app = services.client_for_key(api_key)
    services.revoke_api_key(client_app, actor=admin)
    response = post(client, api_key, lat="10.03", long="105.77")
    assert response.status_code == 403


def test_keys_are_rate_limited(client, categories, admin):
    _client_app, key = services.issue_api_key(
        actor=admin, name="Chậm", contact_email="a@example.vn", requests_per_minute=2
    )
    moment = timezone.now().replace(second=5)
    with time_machine.travel(moment, tick=False):
        codes = [post(client, key, lat="10.03", long="105.77").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Report.objects.count() == 2


def test_reads_are_rate_limited_per_address(client, categories, settings):
    settings.EGOV_OPEN311_READ_RATE = "3/m"
    moment = timezone.now().replace(second=5)
    with time_machine.travel(moment, tick=False):
        codes = [client.get(f"{BASE}/services.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_idempotency_key_makes_one_request(client, api_key, categories):
    first = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "lat": "10.03",
            "long": "105.77",
            "description": "Đèn tắt ba đêm liền.",
        },
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )
    second = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "lat": "10.03",
            "long": "105.77",
            "description": "Đèn tắt ba đêm liền.",
        },
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )
    assert first.json()[0]["service_request_id"] == second.json()[0]["service_request_id"]
    assert Report.objects.count() == 1


@pytest.fixture
def many(categories, handler, boundaries, make_staff):
    """Four reports: two kinds, two places, open and answered, one old, one hidden."""
    old_day = timezone.now() - datetime.timedelta(days=120)
    with time_machine.travel(old_day):
        old = services.submit(draft(categories["light"]))
    west_light = services.submit(draft(categories["light"]))
    east_rubbish = services.submit(
        draft(
            categories["rubbish"],
            latitude=CAI_RANG_POINT[0],
            longitude=CAI_RANG_POINT[1],
            attributes={"kind": "household"},
        )
    )
    west_rubbish = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
    services.answer(west_rubbish, actor=handler, text="Đã thu gom xong toàn bộ rác.")
    hidden = services.submit(draft(categories["light"]))
    works_officer = make_staff("canbo.sxd", categories["works"], Role.SPECIALIST)
    services.hide(hidden, actor=works_officer, reason="Lạm dụng")
    return {
        "old": old,
        "west_light": west_light,
        "east_rubbish": east_rubbish,
        "west_rubbish": west_rubbish,
        "hidden": hidden,
    }


def codes(response) -> set[str]:
    return {entry["service_request_id"] for entry in response.json()}


def test_get_requests_each_filter(client, many):
    west_light, east, west_rubbish = many["west_light"], many["east_rubbish"], many["west_rubbish"]
    everything = client.get(f"{BASE}/requests.json")
    # Default: the last 90 days; hidden reports never.
    assert codes(everything) == {west_light.code, east.code, west_rubbish.code}
    assert codes(client.get(f"{BASE}/requests.json?service_code=rubbish")) == {
        east.code,
        west_rubbish.code,
    }
    assert codes(client.get(f"{BASE}/requests.json?service_code=rubbish,street-light")) == codes(
        everything
    )
    assert codes(client.get(f"{BASE}/requests.json?status=open")) == {west_light.code, east.code}
    assert codes(client.get(f"{BASE}/requests.json?status=closed")) == {west_rubbish.code}
    ids = f"{many['old'].code},{east.code}"
    assert codes(client.get(f"{BASE}/requests.json?service_request_id={ids}&status=closed")) == {
        many["old"].code,
        east.code,
    }
    start = (timezone.now() - datetime.timedelta(days=130)).isoformat()
    end = (timezone.now() - datetime.timedelta(days=100)).isoformat()
    response = client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end})
    assert codes(response) == {many["old"].code}
    near_west = client.get(
        f"{BASE}/requests.json",
        {"lat": NINH_KIEU_POINT[0], "long": NINH_KIEU_POINT[1], "radius": 300},
    )
    assert codes(near_west) == {west_light.code, west_rubbish.code}
    assert codes(client.get(f"{BASE}/requests.json?commune=31186")) == {east.code}
    page = client.get(f"{BASE}/requests.json?page_size=1&page=2")
    assert len(page.json()) == 1
    answered = next(e for e in everything.json() if e["service_request_id"] == west_rubbish.code)
    assert answered["status_notes"] == "Đã thu gom xong toàn bộ rác."
    assert answered["expected_datetime"] is None
    root = xml(client.get(f"{BASE}/requests.xml?status=open"))
    assert {r.findtext("service_request_id") for r in root.findall("request")} == {
        west_light.code,
        east.code,
    }
    assert client.get(f"{BASE}/requests/{many['hidden'].code}.json").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "start_date=yesterday",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "lat=10.03",
        "lat=10.03&long=105.77&radius=999999",
        "page_size=0",
        "jurisdiction_id=hanoi.gov.vn",
        "service_code=a%00b",
    ],
)
def test_get_requests_bad_parameters(client, categories, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code in {400, 404}
    (error,) = response.json()
    assert error["code"] == response.status_code and error["description"]


def test_errors_follow_the_locale(client, categories):
    vi = client.get(f"{BASE}/services/none.json").json()[0]["description"]
    en = client.get(f"{BASE}/services/none.json?locale=en").json()[0]["description"]
    assert vi != en and "was not found" in en


def test_unknown_address_under_open311(client):
    response = client.get(f"{BASE}/whatever.xml")
    assert response.status_code == 404
    assert xml(response).tag == "errors"


def test_browser_apps_on_other_sites_may_call_the_api(client, api_key, categories):
    origin = {"HTTP_ORIGIN": "https://ban-do.example.org"}
    assert client.get(f"{BASE}/services.json", **origin)["Access-Control-Allow-Origin"] == "*"
    error = client.get(f"{BASE}/services/nope.xml", **origin)
    assert error.status_code == 404 and error["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{BASE}/requests.json",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="idempotency-key",
        **origin,
    )
    assert preflight.status_code == 204
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in preflight["Access-Control-Allow-Headers"]
    posted = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "description": "Đèn tắt ba đêm liền.",
            "lat": "10.03",
            "long": "105.77",
        },
        **origin,
    )
    assert posted.status_code == 200 and posted["Access-Control-Allow-Origin"] == "*"
    # Nothing else of the platform is opened to other sites.
    assert not client.get("/phan-anh/", **origin).has_header("Access-Control-Allow-Origin")
