"""Zalo through the Zalo Notification Service (ZNS) of a Zalo Official Account.

Request: ``POST {BASE_URL}/message/template`` with the header ``access_token: <OA access token>``
and a JSON body ``{"phone": "84912345678", "template_id": "…", "template_data": {…},
"tracking_id": "…"}`` (``"mode": "development"`` while testing). Answer (HTTP 200 either way):
``{"error": 0, "message": "Success", "data": {"msg_id", "sent_time", "quota": {…}}}`` or
``{"error": -118, "message": "Zalo account not existed"}``. ZNS sends only templates that Zalo
approved: the template's ``zns_template_id`` names it and its body maps each of its parameters.
"""

from egov.notifications import conf
from egov.notifications.channels import (
    ChannelAdapter,
    PermanentError,
    RecipientUnreachable,
    Session,
    TemporaryError,
    national_number,
    zalo_token,
)
from egov.notifications.channels.httpjson import post_json

SEND_PATH = "/message/template"
# Errors about this phone number or this message: another attempt would get the same answer.
PERMANENT = {
    -108: "the phone number is not valid",
    -109: "the ZNS template ID is not valid",
    -111: "the template data is empty",
    -112: "the template data does not match the approved template",
    -114: "the user is inactive or refuses ZNS messages",
    -118: "the number has no Zalo account",
    -119: "the Zalo account cannot receive ZNS messages",
}
UNREACHABLE = {-114, -118, -119}
TOKEN_INVALID = -124
# Others (-100 unknown error, -124 access token not valid, quota exhausted, …) are retried.


class ZnsAdapter(ChannelAdapter):
    def __init__(self, channel: str = "zalo"):
        self.channel = channel
        self.options = conf.get("ZNS")

    def session(self) -> "ZnsSession":
        return ZnsSession(self)


class ZnsSession(Session):
    def __init__(self, adapter: ZnsAdapter):
        self.options = adapter.options
        self.url = (
            self.options.get("BASE_URL", "https://business.openapi.zalo.me").rstrip("/") + SEND_PATH
        )

    def send(self, notification) -> str:
        template_id = notification.data.get("template_id", "")
        if not template_id:
            raise PermanentError("no ZNS template ID is set for this event and language")
        payload = {
            "phone": "84" + national_number(notification.address),
            "template_id": template_id,
            "template_data": notification.data.get("template_data", {}),
            "tracking_id": notification.uuid.hex,
        }
        if self.options.get("DEVELOPMENT_MODE"):
            payload["mode"] = "development"
        token = zalo_token.access_token()
        error, answer = self._post(payload, token)
        if error == TOKEN_INVALID and zalo_token.renews():
            # Expired or revoked before its time: renew once and send again.
            error, answer = self._post(payload, zalo_token.renew(stale=token))
        if error == 0:
            return str((answer.get("data") or {}).get("msg_id", ""))
        message = str(answer.get("message", ""))
        if error in PERMANENT:
            kind = RecipientUnreachable if error in UNREACHABLE else PermanentError
            raise kind(f"ZNS {error}: {PERMANENT[error]} ({message})", str(error))
        raise TemporaryError(f"ZNS {error}: {message or 'no message'}", str(error))

    def _post(self, payload: dict, token: str) -> tuple[int, dict]:
        answer = post_json(
            self.url,
            payload,
            headers={"access_token": token},
            timeout=conf.get("HTTP_TIMEOUT_SECONDS"),
        )
        try:
            return int(answer.get("error", -100)), answer
        except (TypeError, ValueError):
            return -100, answer
