"""The gateway's own WSGI application answers signed calls as the full site does, with the
gateway's checks, and nothing else."""

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections

from egov.exchange.models import MessageRecord


@pytest.fixture
def wsgi_call():
    from egov.exchange.wsgi import application

    def call(path: str, token: str = "", body: bytes = b"") -> tuple[str, dict, bytes]:
        environ: dict = {
            "PATH_INFO": path,
            "REQUEST_METHOD": "GET",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
        if token:
            environ["HTTP_X_EXCHANGE_TOKEN"] = token
        setup_testing_defaults(environ)
        answer: dict = {}

        def start_response(status: str, headers: list) -> None:
            answer["status"], answer["headers"] = status, dict(headers)

        # As Django's test client does: the test's transaction outlives the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            content = b"".join(application(environ, start_response))
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answer["status"], answer["headers"], content

    return call


def test_a_signed_call_is_forwarded_and_logged(wsgi_call, caller):
    status, headers, content = wsgi_call(
        "/exchange/gateway/dan-cu/cong-dan/1", caller.token("cong-dan/1")
    )
    assert status.startswith("200")
    assert json.loads(content)["path"] == "/cong-dan/1"
    record = MessageRecord.objects.get()
    assert headers["X-Exchange-Record-Hash"] == record.record_hash
    assert headers["X-Content-Type-Options"] == "nosniff"  # the security middleware is there


def test_a_call_without_a_token_is_refused_in_the_platforms_language(wsgi_call, caller):
    status, headers, _content = wsgi_call("/exchange/gateway/dan-cu/cong-dan/1")
    assert status.startswith("401")
    assert headers["Content-Language"] == "vi"
    assert not MessageRecord.objects.exists()


def test_only_the_gateway_is_served(wsgi_call, caller):
    status, _headers, _content = wsgi_call("/staff/exchange/")
    assert status.startswith("404")
