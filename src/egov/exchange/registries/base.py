"""What every shared registry has in common: a local provider that speaks JSON over HTTP (for
development and tests, with demo data), and an adapter that asks it through the platform's
gateway, so that every look-up is signed by the calling system, checked against its access
right (purpose, legal basis) and written to the message log.

The national databases' own interfaces are not public; the platform defines one per registry
(each module's docstring) and the provider side adapts to it. Each look-up is a ``POST`` of a
small JSON object; the answer is 200 with the record, 404 when the registry has no such record,
403 without the citizen's consent where the registry asks for one, 400 for a malformed request.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from django.utils.translation import gettext as _

from egov.exchange import jws
from egov.exchange.client import call_token

# A handler takes the request's JSON object and answers (HTTP status line, JSON body).
Handler = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
OK = "200 OK"
NOT_FOUND = "404 Not Found"
FORBIDDEN = "403 Forbidden"
BAD_REQUEST = "400 Bad Request"


class RegistryUnavailable(Exception):
    """The registry cannot answer now: the citizen uploads the paper instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistryInputError(ValueError):
    """What the caller asked with is malformed (an enterprise code of the wrong length…): says
    what to fix; nothing was sent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The local provider -------------------------------------------------------------------------


def openapi(title: str, paths: dict[str, str]) -> dict[str, Any]:
    """A minimal OpenAPI description: each path a POST look-up (path → what it answers)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": {
            f"/{path}": {
                "post": {
                    "requestBody": {"required": True},
                    "responses": {
                        "200": {"description": answers},
                        "404": {"description": "Không tìm thấy"},
                    },
                }
            }
            for path, answers in paths.items()
        },
    }


def json_app(routes: dict[str, Handler], description: dict[str, Any]) -> Callable[..., Any]:
    """A WSGI provider: ``POST /<path>`` for each route, ``GET /openapi.json``."""

    def respond(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def answer(status: str, body: dict[str, Any]) -> list[bytes]:
            payload = json.dumps(body, ensure_ascii=False).encode()
            start_response(status, [("Content-Type", "application/json; charset=utf-8")])
            return [payload]

        path = environ.get("PATH_INFO", "")
        if path == "/openapi.json":
            return answer(OK, description)
        handler = routes.get(path.lstrip("/"))
        if handler is None or environ["REQUEST_METHOD"] != "POST":
            return answer(NOT_FOUND, {"loi": "khong_co_dia_chi"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            asked = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError:
            return answer(BAD_REQUEST, {"loi": "khong_doc_duoc"})
        if not isinstance(asked, dict):
            return answer(BAD_REQUEST, {"loi": "khong_doc_duoc"})
        return answer(*handler(asked))

    return respond


def consent_given(asked: dict[str, Any]) -> bool:
    return bool(str(asked.get("ma_dong_y", "")).strip())


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(app: Callable[..., Any], host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    return make_server(host, port, app, server_class=_Server, handler_class=_Quiet)


# --- The adapter --------------------------------------------------------------------------------


@dataclass
class GatewayRegistry:
    """A client system's view of one registry through the gateway."""

    http: httpx.Client  # with the gateway's address as base_url
    service_code: str
    client_code: str
    fingerprint: str
    key: jws.PrivateKey

    def unavailable_message(self) -> str:
        """What the citizen is told when the registry cannot be asked: upload instead."""
        return _("The registry cannot be asked now; upload a copy of the paper instead.")

    def ask(
        self, path: str, payload: dict[str, Any], *, subject: str = ""
    ) -> tuple[dict[str, Any] | None, str]:
        """(the record, the message log id) — (None, id) when the registry has no such record;
        raises :class:`RegistryUnavailable` when it cannot be asked (down, refused, no right).
        ``subject`` is the identification number of the person the look-up is about: the log
        keeps its keyed hash, for the citizen's "who looked up my data"."""
        body = json.dumps(payload).encode()
        token = call_token(
            self.key,
            fingerprint=self.fingerprint,
            client_code=self.client_code,
            service_code=self.service_code,
            method="POST",
            path=path,
            body=body,
            subject=subject,
        )
        unavailable = RegistryUnavailable(self.unavailable_message())
        try:
            response = self.http.post(
                f"/exchange/gateway/{self.service_code}/{path}",
                content=body,
                headers={"content-type": "application/json", "x-exchange-token": token},
            )
        except httpx.HTTPError as exc:
            raise unavailable from exc
        message_id = response.headers.get("x-exchange-message-id", "")
        if response.status_code == 404 and message_id:
            return None, message_id
        if response.status_code != 200:
            raise unavailable
        try:
            data = response.json()
        except ValueError as exc:
            raise unavailable from exc
        if not isinstance(data, dict):
            raise unavailable
        return data, message_id
