"""A development PKI, a provider on a localhost port, the platform's key and a client system
with a right to call the provider's service through the gateway."""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from egov.exchange import messagelog, services
from egov.exchange.client import call_token
from egov.exchange.models import ClientSystem, Member, Service
from egov.signatures.devpki import Issued
from tests.exchange.registry_fixtures import (  # noqa: F401 - shared fixtures
    registries,
    registries_down,
    registry_servers,
)
from tests.signatures.fixtures import (  # noqa: F401 - shared fixtures
    dev_pki,
    foreign_pki,
    pki_settings,
)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _echo(environ: dict, start_response: Callable) -> list[bytes]:
    """A provider that answers what it was asked and by whom."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    answer = json.dumps(
        {
            "path": environ["PATH_INFO"],
            "query": environ.get("QUERY_STRING", ""),
            "method": environ["REQUEST_METHOD"],
            "body": body.decode(),
            "client": environ.get("HTTP_X_EXCHANGE_CLIENT", ""),
            "message_id": environ.get("HTTP_X_EXCHANGE_MESSAGE_ID", ""),
        }
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [answer]


@pytest.fixture(autouse=True)
def _fresh_caches(settings) -> Iterator[None]:
    """The gateway's per-process caches (client systems, rights, the platform key, freshness)
    outlive a test's database; each test starts without them. Tests change clients, rights and
    services between two calls and expect the next call to see it: the client cache is off
    unless a test (test_gateway's cache tests) turns it on."""
    from egov.exchange import gateway

    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 0

    def forget() -> None:
        gateway.forget_clients()
        messagelog.forget_key()
        messagelog.forget_freshness()

    forget()
    yield
    forget()


@pytest.fixture(scope="session")
def provider_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _echo, server_class=_Server, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def platform_key(db, pki_settings, dev_pki):  # noqa: F811
    issued = dev_pki.issue("LGSP", key_type="ec-p256")
    return messagelog.install_platform_key(issued.certificate, issued.key)


@dataclass
class Caller:
    client: ClientSystem
    issued: Issued
    service: Service

    def token(self, path: str, body: bytes = b"", method: str = "GET", **claims: Any) -> str:
        return call_token(
            self.issued.key,  # type: ignore[arg-type]
            fingerprint=self.client.fingerprint,
            client_code=self.client.code,
            service_code=self.service.code,
            method=method,
            path=path,
            body=body,
            **claims,
        )

    def call(self, http: Any, path: str, body: bytes = b"", method: str = "GET", **claims: Any):
        token = claims.pop("token", None) or self.token(path, body, method, **claims)
        url = f"/exchange/gateway/{self.service.code}/{path}"
        return http.generic(
            method, url, body, content_type="application/json", HTTP_X_EXCHANGE_TOKEN=token
        )


def pem_of(issued: Issued) -> str:
    from cryptography.hazmat.primitives import serialization

    return issued.certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def caller(db, platform_key, provider_url, dev_pki, agencies) -> Caller:  # noqa: F811
    provider = services.save_member(
        actor=None, code="bo-cong-an", name="Bộ Công an", kind=Member.Kind.OUTSIDE
    )
    consumer = services.save_member(
        actor=None,
        code="so-tu-phap",
        name="Sở Tư pháp",
        kind=Member.Kind.AGENCY,
        agency=agencies["justice"],
    )
    service = services.publish_service(
        actor=None,
        provider=provider,
        code="dan-cu",
        name="Cơ sở dữ liệu quốc gia về dân cư",
        base_url=provider_url,
        openapi_document={"openapi": "3.1.0", "info": {"title": "Dân cư", "version": "1"}},
    )
    issued = dev_pki.issue("Một cửa Sở Tư pháp", key_type="ec-p256")
    client = services.register_client(
        actor=None,
        member=consumer,
        code="mot-cua",
        name="Hệ thống một cửa",
        certificate_pem=pem_of(issued),
    )
    services.grant_right(
        actor=None,
        client=client,
        service=service,
        purpose="Giải quyết thủ tục hành chính",
        legal_basis="Nghị định 107/2021/NĐ-CP",
    )
    return Caller(client, issued, service)
