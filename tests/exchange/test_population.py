"""The population registry adapter against its local server, through the gateway."""

import threading

import httpx
import pytest
from django.test import Client

from egov.exchange import messagelog, services
from egov.exchange.models import AccessRight, MessageRecord
from egov.exchange.registries import population


class DjangoTransport(httpx.BaseTransport):
    """httpx into this test's Django app through its test client (which, unlike a bare WSGI
    handler, leaves the test's database connection open)."""

    def __init__(self) -> None:
        self.client = Client()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        skip = {"content-type", "content-length", "host"}
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in skip
        }
        answer = self.client.generic(
            request.method,
            request.url.raw_path.decode(),
            request.read(),
            content_type=request.headers.get("content-type", ""),
            **extra,
        )
        headers = dict(answer.items())
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)


@pytest.fixture(scope="module")
def registry_url():
    httpd = population.server()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def registry(caller, registry_url):
    """The one-stop system's view of the registry; the gateway is this test's Django app."""
    services.publish_service(
        actor=None,
        provider=caller.service.provider,
        code="dan-cu-tra-cuu",
        name="Tra cứu công dân",
        base_url=registry_url,
        openapi_url=f"{registry_url}/openapi.json",
    )
    service = services.Service.objects.get(code="dan-cu-tra-cuu")
    services.grant_right(
        actor=None,
        client=caller.client,
        service=service,
        purpose="Điền sẵn tờ khai khi nộp hồ sơ",
        legal_basis="Nghị định 45/2020/NĐ-CP",
    )
    gateway = httpx.Client(transport=DjangoTransport(), base_url="http://testserver")
    return population.PopulationRegistry(
        http=gateway,
        service_code="dan-cu-tra-cuu",
        client_code=caller.client.code,
        fingerprint=caller.client.fingerprint,
        key=caller.issued.key,
    )


def test_a_look_up_returns_the_person_and_is_logged_with_its_purpose(registry):
    person = registry.lookup("001203004567", consent="DY-2026-0001")
    assert person.full_name == "Nguyễn Văn An"
    assert "Ninh Kiều" in person.permanent_residence
    record = MessageRecord.objects.get(message_id=person.message_id)
    assert record.purpose == "Điền sẵn tờ khai khi nộp hồ sơ"
    assert record.request_body is None  # personal data: hashes only
    assert list(messagelog.lookups_about("001203004567")) == [record]
    assert list(messagelog.lookups_about("092190001234")) == []


def test_an_unknown_number_is_none_and_still_logged(registry):
    assert registry.lookup("079000000000", consent="DY-1") is None
    assert MessageRecord.objects.get().status == 404


def test_without_consent_the_registry_refuses(registry):
    with pytest.raises(population.RegistryUnavailable, match="tải lên"):
        registry.lookup("001203004567", consent="")


def test_a_registry_that_is_down_says_upload_instead(registry):
    services.Service.objects.filter(code="dan-cu-tra-cuu").update(base_url="http://127.0.0.1:9")
    with pytest.raises(population.RegistryUnavailable) as refused:
        registry.lookup("001203004567", consent="DY-1")
    assert "tải lên" in refused.value.message


def test_without_a_right_the_look_up_is_refused(registry):
    right = AccessRight.objects.get(service__code="dan-cu-tra-cuu")
    services.revoke_right(actor=None, right=right, reason="Hết hạn")
    with pytest.raises(population.RegistryUnavailable):
        registry.lookup("001203004567", consent="DY-1")
    assert not MessageRecord.objects.exists()
