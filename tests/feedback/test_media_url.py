"""The photo an Open311 client names by ``media_url``: fetched in the background with guards
against reaching private networks, checked and stripped like an upload, and published as the
platform's copy; the client's own address is never republished."""

import datetime
import http.server
import io
import threading

import pytest
from django.utils import timezone, translation
from PIL import Image

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.feedback import services
from egov.feedback.models import Media, Report
from tests.feedback.conftest import CAI_RANG_POINT, draft, jpeg

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
PHOTO = jpeg(gps=CAI_RANG_POINT, size=(120, 90))


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def media_server():
    Handler.routes = {
        "/photo.jpg": (200, {"Content-Type": "image/jpeg"}, PHOTO),
        "/to-photo": (302, {"Location": "/photo.jpg"}, b""),
        "/to-private": (302, {"Location": "http://10.1.2.3/photo.jpg"}, b""),
        "/not-a-photo.jpg": (200, {}, b"%PDF-1.7\n" + bytes(200)),
        "/busy.jpg": (503, {}, b""),
        "/huge.jpg": (200, {"Content-Length": str(10**9)}, b""),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_allowed(settings):
    """The test server stands for a city's app server on its own network."""
    settings.EGOV_FEEDBACK_MEDIA_FETCH_NETWORKS = ["127.0.0.0/8"]


def received(categories, url: str) -> Report:
    report = services.submit(draft(categories["light"], media_url=url))
    assert report.media_url_status == Report.MediaUrlStatus.PENDING
    return report


def test_open311_photo_by_address_is_fetched_stripped_and_published_as_our_copy(
    client, categories, media_server, local_allowed, make_staff, agencies
):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    _app, key = services.issue_api_key(actor=admin, name="App", contact_email="a@example.vn")
    url = f"{media_server}/to-photo"
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "street-light",
            "lat": "10.03",
            "long": "105.77",
            "description": "Đèn tắt ba đêm liền.",
            "media_url": url,
        },
    )
    code = response.json()[0]["service_request_id"]
    (entry,) = client.get(f"{BASE}/requests/{code}.json").json()
    assert entry["media_url"] == ""  # not fetched yet: the client's address is not republished
    assert services.fetch_media_urls() == {"fetched": 1, "retried": 0, "failed": 0, "skipped": 0}
    report = Report.objects.get(code=code)
    assert report.media_url_status == Report.MediaUrlStatus.FETCHED
    item = report.media.get()
    assert item.kind == Media.Kind.PHOTO and item.role == Media.Role.REPORT
    stored = item.file.open("rb").read()
    assert not Image.open(io.BytesIO(stored)).getexif() and b"Egov Test Camera" not in stored
    # The place the client gave stays: the photo's own position does not move the report.
    assert (report.latitude, report.longitude) == (10.03, 105.77)
    (entry,) = client.get(f"{BASE}/requests/{code}.json").json()
    assert f"/phan-anh/tep/{item.public_id}/" in entry["media_url"]
    assert client.get(f"/phan-anh/tep/{item.public_id}/").status_code == 200
    assert AuditEvent.objects.filter(
        action="feedback.media_fetched", object_id=str(report.pk)
    ).exists()
    # Done once: a second pass finds nothing to do.
    assert services.fetch_media_urls()["fetched"] == 0


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/to-private", "private network"),  # a public server redirecting inwards
        ("/not-a-photo.jpg", "not a photo"),
        ("/huge.jpg", "MB"),
        ("/missing.jpg", "404"),
    ],
)
def test_refused_files_are_given_up_at_once(categories, media_server, local_allowed, path, words):
    report = received(categories, media_server + path)
    with translation.override("en"):
        assert services.fetch_media_urls()["failed"] == 1
    report.refresh_from_db()
    assert report.media_url_status == Report.MediaUrlStatus.FAILED
    assert words in report.media_url_error
    assert not report.media.exists()
    assert AuditEvent.objects.filter(
        action="feedback.media_url_refused", object_id=str(report.pk)
    ).exists()


def test_private_addresses_are_never_fetched(categories, media_server):
    # Without the operator's leave, the loopback interface (here under the name localhost, as a
    # client would disguise it) is out of bounds; so are the link-local metadata addresses.
    for url in (
        media_server.replace("127.0.0.1", "localhost") + "/photo.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/photo.jpg",
    ):
        report = received(categories, url)
        services.fetch_media_url(report.pk)
        report.refresh_from_db()
        assert report.media_url_status == Report.MediaUrlStatus.FAILED, url
        assert report.media_url_attempts == 1
    assert not Media.objects.exists()


def test_an_unreachable_server_is_tried_again_later_then_given_up(
    categories, media_server, local_allowed, settings
):
    report = received(categories, f"{media_server}/busy.jpg")
    now = timezone.now()
    assert services.fetch_media_urls(now=now)["retried"] == 1
    report.refresh_from_db()
    assert report.media_url_status == Report.MediaUrlStatus.PENDING
    assert report.media_url_next_at == now + datetime.timedelta(minutes=1)
    assert "503" in report.media_url_error
    # Not due again before its time.
    assert services.fetch_media_urls(now=now)["retried"] == 0
    settings.EGOV_FEEDBACK_MEDIA_FETCH_ATTEMPTS = 2
    later = now + datetime.timedelta(minutes=2)
    assert services.fetch_media_urls(now=later)["failed"] == 1
    report.refresh_from_db()
    assert report.media_url_status == Report.MediaUrlStatus.FAILED


def test_the_fetched_photo_respects_the_report_s_limits(
    categories, media_server, local_allowed, settings
):
    settings.EGOV_FEEDBACK_MAX_PHOTOS = 1
    report = services.submit(
        draft(
            categories["light"],
            media_url=f"{media_server}/photo.jpg",
            files=[services.Upload("a.jpg", jpeg())],
        )
    )
    assert services.fetch_media_urls()["failed"] == 1
    report.refresh_from_db()
    assert report.media.count() == 1 and "1" in report.media_url_error


def test_the_staff_page_names_the_address_without_linking_it(
    client, categories, media_server, make_staff
):
    report = received(categories, f"{media_server}/photo.jpg")
    officer = make_staff("canbo.sxd", categories["works"], Role.SPECIALIST)
    client.force_login(officer)
    page = client.get(f"/staff/feedback/{report.code}/").content.decode()
    assert f"{media_server}/photo.jpg" in page
    assert f'href="{media_server}/photo.jpg"' not in page
