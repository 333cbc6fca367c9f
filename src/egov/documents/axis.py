"""The adapter for the national document exchange axis (trục liên thông văn bản quốc gia): the
operations its SDKs offer (send a package, list what arrived, fetch one, confirm it was taken,
list the agencies) over HTTP, authenticated by the system's id and secret.

``axis_server.py`` is a local server speaking the same protocol, for development, the demo and
the tests; this client is the production code either way.
"""

import requests
from django.conf import settings


class AxisUnavailable(Exception):
    """The axis could not be reached or failed: try again later."""


class AxisRefused(Exception):
    """The axis refused the request (bad credentials, unknown agency): a person must look."""


class AxisClient:
    def __init__(
        self, base_url: str | None = None, system_id: str | None = None, secret: str | None = None
    ):
        self.base_url = (base_url or settings.EGOV_DOCUMENTS_EXCHANGE_URL).rstrip("/")
        self.system_id = system_id or settings.EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID
        self.secret = secret or settings.EGOV_DOCUMENTS_EXCHANGE_SECRET
        self.timeout = settings.EGOV_DOCUMENTS_EXCHANGE_TIMEOUT

    def _request(self, method: str, path: str, **options):
        if not self.base_url:
            raise AxisUnavailable(
                "no document exchange is configured (EGOV_DOCUMENTS_EXCHANGE_URL)"
            )
        headers = {"systemid": self.system_id, "secret": self.secret, **options.pop("headers", {})}
        try:
            response = requests.request(
                method, f"{self.base_url}{path}", headers=headers, timeout=self.timeout, **options
            )
        except requests.RequestException as exc:
            raise AxisUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise AxisUnavailable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", "")
            except ValueError:
                detail = response.text[:200]
            raise AxisRefused(f"HTTP {response.status_code}: {detail}")
        return response

    def send(
        self, *, payload: bytes, from_code: str, to_code: str, message_type: str, key: str
    ) -> str:
        """Hands a message over; the same ``key`` sent again gets the same id (no duplicate)."""
        response = self._request(
            "POST",
            "/api/v1/edocs",
            data=payload,
            headers={
                "Content-Type": "application/xml",
                "from": from_code,
                "to": to_code,
                "messagetype": message_type,
                "Idempotency-Key": key,
            },
        )
        return response.json()["docId"]

    def received(self, message_type: str) -> list[dict]:
        return self._request(
            "GET", "/api/v1/edocs/received", params={"messagetype": message_type}
        ).json()["data"]

    def fetch(self, doc_id: str) -> bytes:
        return self._request("GET", f"/api/v1/edocs/{doc_id}").content

    def confirm(self, doc_id: str, status: str = "done") -> None:
        self._request("POST", f"/api/v1/edocs/{doc_id}/status", json={"status": status})

    def agencies(self) -> list[dict]:
        return self._request("GET", "/api/v1/agencies").json()["data"]
