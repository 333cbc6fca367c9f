"""The adapter for the National Public Service Portal's integration API: one JSON POST per call
(``{"session": …, "service": "DongBoHoSoMC", "madonvi": …, "data": [...]}``), answered
``{"error_code": "0", …}`` when accepted and with the portal's own error code when refused.

Authentication is the portal's session token, as OpenCPS's connector does it
(VietOpenCPS/opencps-v2, DVCQGIntegrationActionImpl.getAccessToken): a POST of the user name and
password the province was given to the auth address, answered ``{"session": …, "error_code": 0}``;
the session then goes in the body of every call. It is kept (per process) until it expires and
asked again, once, when the portal answers that it is invalid or expired.

``portal_server.py`` is a local server speaking the same protocol, for development, the demo, the
tests and the benchmark; this client is the production code either way.
"""

import threading
import time
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

# The portal answers error_code 0 when it accepts a call; OpenCPS's connector reads it both as
# the number 0 and as the text "00", so each of these counts.
ACCEPTED = {"0", "00"}
# The answer to a call whose session is unknown or expired (HTTP 401, or error_code 401 in a 200).
SESSION_INVALID = "401"
# A session the portal gave without saying how long it lasts is kept this long at most.
DEFAULT_SESSION_SECONDS = 30 * 60
# Renewed this many seconds before the expiry the portal gave, so a call does not arrive late.
EXPIRY_MARGIN = 30


class PortalUnavailable(Exception):
    """The portal could not be reached or failed (an outage): send again later."""


class PortalAuthFailed(PortalUnavailable):
    """The portal refused the platform's user name and password: nothing can be sent until an
    administrator fixes them. The calls stay in the outbox (an outage for them), with this
    reason shown to the operator."""


class PortalRefused(Exception):
    """The portal refused the call with one of its error codes: a person must look."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# (auth address, user name) → (session, monotonic time it expires): shared by the clients of a
# process, so a worker's rounds, the reconciliation and the catalogue pull sign in once.
_sessions: dict[tuple[str, str], tuple[str, float]] = {}
_sessions_lock = threading.Lock()


def forget_sessions() -> None:
    """Drops the kept sessions (tests; a change of credentials)."""
    with _sessions_lock:
        _sessions.clear()


class PortalClient:
    def __init__(
        self,
        base_url: str | None = None,
        unit_code: str | None = None,
        username: str | None = None,
        password: str | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = (base_url or settings.EGOV_NATIONAL_PORTAL_URL).rstrip("/")
        self.unit_code = unit_code or settings.EGOV_NATIONAL_PORTAL_UNIT_CODE
        self.username = username or settings.EGOV_NATIONAL_PORTAL_USERNAME
        self.password = password or settings.EGOV_NATIONAL_PORTAL_PASSWORD
        self.timeout = settings.EGOV_NATIONAL_PORTAL_TIMEOUT
        # One connection kept open across a worker's round: a call is a few milliseconds then.
        self.http = session or requests.Session()

    # --- the session token ---------------------------------------------------------------------

    @property
    def _auth_url(self) -> str:
        return f"{self.base_url}{settings.EGOV_NATIONAL_PORTAL_AUTH_PATH}"

    def _session_token(self, *, renew: bool = False, stale: str = "") -> str:
        key = (self._auth_url, self.username)
        with _sessions_lock:
            kept = _sessions.get(key)
            # Another thread may have renewed it already: only the stale one is replaced.
            if kept and kept[1] > time.monotonic() and not (renew and kept[0] == stale):
                return kept[0]
            token, lifetime = self._sign_in()
            _sessions[key] = (token, time.monotonic() + max(lifetime - EXPIRY_MARGIN, 1))
            return token

    def _sign_in(self) -> tuple[str, float]:
        try:
            response = self.http.post(
                self._auth_url,
                json={"username": self.username, "password": self.password},
                headers={"dstcode": self.unit_code},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise PortalUnavailable(str(exc)) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PortalUnavailable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise PortalUnavailable(f"HTTP {response.status_code}: not JSON") from exc
        code = str(answer.get("error_code")).strip()
        if response.status_code >= 400 or code not in ACCEPTED or not answer.get("session"):
            raise PortalAuthFailed(
                _(
                    "The national portal refused the platform's sign-in (%(code)s: %(message)s): "
                    "check EGOV_NATIONAL_PORTAL_USERNAME and EGOV_NATIONAL_PORTAL_PASSWORD."
                )
                % {
                    "code": answer.get("error_code") or response.status_code,
                    "message": answer.get("message", ""),
                }
            )
        try:
            lifetime = float(answer.get("expires_in") or DEFAULT_SESSION_SECONDS)
        except (TypeError, ValueError):
            lifetime = DEFAULT_SESSION_SECONDS
        return str(answer["session"]), lifetime

    # --- calls ---------------------------------------------------------------------------------

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
        token = self._session_token()
        response, answer = self._post(service, data, key, updating, token)
        if _session_refused(response, answer):
            # Expired or revoked: one new session and one more try, never a loop.
            token = self._session_token(renew=True, stale=token)
            response, answer = self._post(service, data, key, updating, token)
            if _session_refused(response, answer):
                raise PortalAuthFailed(
                    _("The national portal refused a new session: %(message)s")
                    % {"message": answer.get("message", "")}
                )
        if response.status_code >= 400:
            raise PortalRefused(
                str(answer.get("error_code") or response.status_code), str(answer.get("message"))
            )
        if str(answer.get("error_code")).strip() not in ACCEPTED:
            raise PortalRefused(str(answer.get("error_code")), str(answer.get("message", "")))
        return dict(answer)

    def _post(
        self,
        service: str,
        data: list[dict[str, Any]],
        key: str,
        updating: bool | None,
        token: str,
    ) -> tuple[Any, dict[str, Any]]:
        headers = {"dstcode": self.unit_code}
        if key:
            headers["Idempotency-Key"] = key
        body: dict[str, Any] = {
            "session": token,
            "service": service,
            "madonvi": self.unit_code,
            "data": data,
        }
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
        return response, dict(answer) if isinstance(answer, dict) else {}

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


def _session_refused(response: Any, answer: dict[str, Any]) -> bool:
    return response.status_code == 401 or str(answer.get("error_code")).strip() == SESSION_INVALID
