"""The civil status, business and land registries' local servers, published on the platform
with a right for the test client system; each adapter calls them through the gateway (this
test's Django app)."""

import threading

import httpx
import pytest

from egov.exchange import services
from egov.exchange.registries import business, civil_status, land
from tests.exchange.test_population import DjangoTransport

SERVICES = {
    "civil_status": (civil_status, "ho-tich-tra-cuu", "Tra cứu hộ tịch"),
    "business": (business, "doanh-nghiep-tra-cuu", "Tra cứu doanh nghiệp"),
    "land": (land, "dat-dai-tra-cuu", "Tra cứu thửa đất"),
}
ADAPTERS = {
    "civil_status": civil_status.CivilStatusRegistry,
    "business": business.BusinessRegistry,
    "land": land.LandRegistry,
}


@pytest.fixture(scope="module")
def registry_servers():
    urls, running = {}, []
    for name, (module, _code, _title) in SERVICES.items():
        httpd = module.server()
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        running.append(httpd)
        urls[name] = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield urls
    for httpd in running:
        httpd.shutdown()
        httpd.server_close()


def adapter(name: str, caller, http: httpx.Client):
    return ADAPTERS[name](
        http=http,
        service_code=SERVICES[name][1],
        client_code=caller.client.code,
        fingerprint=caller.client.fingerprint,
        key=caller.issued.key,
    )


@pytest.fixture
def registries(caller, registry_servers):
    """name → the one-stop system's adapter of that registry, through the gateway."""
    for name, (_module, code, title) in SERVICES.items():
        service = services.publish_service(
            actor=None,
            provider=caller.service.provider,
            code=code,
            name=title,
            base_url=registry_servers[name],
            openapi_url=f"{registry_servers[name]}/openapi.json",
        )
        services.grant_right(
            actor=None,
            client=caller.client,
            service=service,
            purpose="Điền sẵn tờ khai khi nộp hồ sơ",
            legal_basis="Nghị định 45/2020/NĐ-CP",
        )
    gateway = httpx.Client(transport=DjangoTransport(), base_url="http://testserver")
    return {name: adapter(name, caller, gateway) for name in SERVICES}


@pytest.fixture
def registries_down(caller):
    """The same adapters, with a gateway that cannot be reached (connection refused)."""
    down = httpx.Client(base_url="http://127.0.0.1:9", timeout=2)
    return {name: adapter(name, caller, down) for name in SERVICES}
