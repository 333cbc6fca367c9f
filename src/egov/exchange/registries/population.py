"""The national population database (Cơ sở dữ liệu quốc gia về dân cư) as a shared registry.

The national database's own interface is not public; the platform defines this one and the
provider side adapts to it: ``POST /cong-dan/tra-cuu`` with ``{"so_dinh_danh", "ma_dong_y"}``
(the personal identification number and the reference of the citizen's consent) answers the
person's identity and permanent residence, 404 for an unknown number, 403 without a consent
reference. :func:`server` is a local provider holding demo data (``serve_population_registry``);
:class:`PopulationRegistry` asks it through the gateway, so every look-up is signed, checked
against the caller's access right and written to the message log with the person's keyed hash.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from django.utils.translation import gettext as _

from egov.exchange import jws
from egov.exchange.client import call_token

DEMO_DATA = Path(__file__).with_name("population_demo.json")
LOOKUP_PATH = "cong-dan/tra-cuu"
OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Cơ sở dữ liệu quốc gia về dân cư — tra cứu công dân", "version": "1"},
    "paths": {
        f"/{LOOKUP_PATH}": {
            "post": {
                "requestBody": {"required": True},
                "responses": {
                    "200": {"description": "Công dân"},
                    "404": {"description": "Không có số định danh này"},
                },
            }
        }
    },
}


# --- The local provider -------------------------------------------------------------------------


def app(people: dict[str, dict[str, str]]) -> Callable[..., Iterable[bytes]]:
    def respond(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def answer(status: str, body: dict[str, Any]) -> list[bytes]:
            payload = json.dumps(body, ensure_ascii=False).encode()
            start_response(status, [("Content-Type", "application/json; charset=utf-8")])
            return [payload]

        if environ.get("PATH_INFO") == "/openapi.json":
            return answer("200 OK", OPENAPI)
        if environ.get("PATH_INFO") != f"/{LOOKUP_PATH}" or environ["REQUEST_METHOD"] != "POST":
            return answer("404 Not Found", {"loi": "khong_co_dia_chi"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            asked = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError:
            return answer("400 Bad Request", {"loi": "khong_doc_duoc"})
        if not str(asked.get("ma_dong_y", "")).strip():
            return answer("403 Forbidden", {"loi": "thieu_dong_y"})
        person = people.get(str(asked.get("so_dinh_danh", "")))
        if person is None:
            return answer("404 Not Found", {"loi": "khong_tim_thay"})
        return answer("200 OK", {"so_dinh_danh": asked["so_dinh_danh"], **person})

    return respond


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def server(host: str = "127.0.0.1", port: int = 0, data: Path = DEMO_DATA) -> WSGIServer:
    people = json.loads(data.read_text())
    return make_server(host, port, app(people), server_class=_Server, handler_class=_Quiet)


# --- The adapter --------------------------------------------------------------------------------


class RegistryUnavailable(Exception):
    """The registry cannot answer now: the citizen uploads the paper instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Person:
    personal_id: str
    full_name: str
    date_of_birth: str
    sex: str
    nationality: str
    hometown: str
    permanent_residence: str
    message_id: str  # the message log record that proves the look-up


@dataclass
class PopulationRegistry:
    """A client system's view of the registry through the gateway."""

    http: httpx.Client  # with the gateway's address as base_url
    service_code: str
    client_code: str
    fingerprint: str
    key: jws.PrivateKey

    def lookup(self, personal_id: str, *, consent: str) -> Person | None:
        """The person with ``personal_id``, None when the registry has no such number; raises
        :class:`RegistryUnavailable` when it cannot be asked (down, refused, no right)."""
        body = json.dumps({"so_dinh_danh": personal_id, "ma_dong_y": consent}).encode()
        token = call_token(
            self.key,
            fingerprint=self.fingerprint,
            client_code=self.client_code,
            service_code=self.service_code,
            method="POST",
            path=LOOKUP_PATH,
            body=body,
            subject=personal_id,
        )
        unavailable = RegistryUnavailable(
            _("The population registry cannot be asked now; upload a copy of the paper instead.")
        )
        try:
            response = self.http.post(
                f"/exchange/gateway/{self.service_code}/{LOOKUP_PATH}",
                content=body,
                headers={"content-type": "application/json", "x-exchange-token": token},
            )
        except httpx.HTTPError as exc:
            raise unavailable from exc
        if response.status_code == 404 and response.headers.get("x-exchange-message-id"):
            return None
        if response.status_code != 200:
            raise unavailable
        data = response.json()
        return Person(
            personal_id=data["so_dinh_danh"],
            full_name=data["ho_ten"],
            date_of_birth=data["ngay_sinh"],
            sex=data["gioi_tinh"],
            nationality=data["quoc_tich"],
            hometown=data["que_quan"],
            permanent_residence=data["noi_thuong_tru"],
            message_id=response.headers["x-exchange-message-id"],
        )
