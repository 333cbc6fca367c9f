"""The adapter for the National Public Service Portal's integration API: one JSON POST per call
(``{"service": "DongBoHoSoMC", "madonvi": …, "data": [...]}``), authenticated by the unit code
and secret the province was given, answered ``{"error_code": "0", …}`` when accepted and with
the portal's own error code when refused.

``portal_server.py`` is a local server speaking the same protocol, for development, the demo, the
tests and the benchmark; this client is the production code either way.
"""

from typing import Any

import requests
from django.conf import settings

# The portal answers error_code 0 when it accepts a call; OpenCPS's connector reads it both as
# the number 0 and as the text "00", so each of these counts.
ACCEPTED = {"0", "00"}


class PortalUnavailable(Exception):
    """The portal could not be reached or failed (an outage): send again later."""


class PortalRefused(Exception):
    """The portal refused the call with one of its error codes: a person must look."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class PortalClient:
    def __init__(
        self,
        base_url: str | None = None,
        unit_code: str | None = None,
        secret: str | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = (base_url or settings.EGOV_NATIONAL_PORTAL_URL).rstrip("/")
        self.unit_code = unit_code or settings.EGOV_NATIONAL_PORTAL_UNIT_CODE
        self.secret = secret or settings.EGOV_NATIONAL_PORTAL_SECRET
        self.timeout = settings.EGOV_NATIONAL_PORTAL_TIMEOUT
        # One connection kept open across a worker's round: a call is a few milliseconds then.
        self.http = session or requests.Session()

    def call(
        self,
        service: str,
        data: list[dict[str, Any]],
        key: str = "",
        *,
        updating: bool | None = None,
    ) -> dict[str, Any]:
        """Sends one call; the same ``key`` sent again is answered as the first time was.
        ``updating`` is DongBoHoSoMC's ``isUpdating``: the portal already holds the dossier."""
        if not self.base_url:
            raise PortalUnavailable("no national portal is configured (EGOV_NATIONAL_PORTAL_URL)")
        headers = {"Authorization": f"Bearer {self.secret}"}
        if key:
            headers["Idempotency-Key"] = key
        body: dict[str, Any] = {"service": service, "madonvi": self.unit_code, "data": data}
        if updating is not None:
            body["isUpdating"] = "True" if updating else "False"
        try:
            response = self.http.post(
                f"{self.base_url}/api/integration", json=body, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise PortalUnavailable(str(exc)) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PortalUnavailable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise PortalUnavailable(f"HTTP {response.status_code}: not JSON") from exc
        if response.status_code >= 400:
            raise PortalRefused(
                str(answer.get("error_code") or response.status_code), str(answer.get("message"))
            )
        if str(answer.get("error_code")).strip() not in ACCEPTED:
            raise PortalRefused(str(answer.get("error_code")), str(answer.get("message", "")))
        return dict(answer)

    def statuses(self, codes: list[str]) -> dict[str, int]:
        """TraCuuHoSo: the status the portal holds for each dossier code it knows."""
        answer = self.call("TraCuuHoSo", [{"MaHoSo": code} for code in codes])
        return {row["MaHoSo"]: int(row["TrangThaiHoSo"]) for row in answer.get("result", [])}

    def procedure_list(self) -> list[dict[str, Any]]:
        """LayDanhSachTTHC: the national procedures (code, name, field, last change)."""
        return list(self.call("LayDanhSachTTHC", []).get("result", []))

    def procedure(self, code: str) -> dict[str, Any]:
        """LayThuTuc: one national procedure in full."""
        return dict(self.call("LayThuTuc", [{"MaTTHC": code}])["result"])
