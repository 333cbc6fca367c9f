"""SMS through eSMS.vn (ViHAT): brandname customer-care messages, one request per message.

Request: ``POST {BASE_URL}/MainService.svc/json/SendMultipleMessage_V4_post_json/`` with a JSON
body ``{"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType": "2", "IsUnicode":
"0"|"1", "Sandbox": "0"|"1", "RequestId", "CallbackUrl"?}``. Answer: ``{"CodeResult": "100",
"CountRegenerate": 0, "SMSID": "…"}`` on success, otherwise ``CodeResult`` is an error code with
``ErrorMessage``. ``RequestId`` is the notification's UUID: eSMS refuses a second request with the
same id (code 124), which is how a message sent again after an uncertain attempt is not sent twice.
"""

import urllib.parse

from egov.notifications import conf
from egov.notifications.channels import (
    ChannelAdapter,
    PermanentError,
    Session,
    TemporaryError,
    national_number,
)
from egov.notifications.channels.httpjson import post_json
from egov.notifications.sms import is_gsm7

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
SUCCESS = "100"
DUPLICATE_REQUEST = "124"
# Codes about the message or the number itself: sending again cannot help.
PERMANENT = {
    "99": "the number is blocked",
    "108": "the phone number is not valid",
    "146": "the text does not match a registered customer-care template",
    "177": "the number's network is not registered for this brandname",
}
# Everything else (101 credentials, 103 balance, 104 brandname, 140 IP not allowed, …) is a
# matter for the operator: the message waits and is tried again until the retry window ends.


def callback_url(options: dict) -> str:
    """Where eSMS reports delivery: the configured URL with our shared secret added, since eSMS
    signs nothing (its report is a plain GET with SMSID, SendStatus, SendSuccess, SendFailed…)."""
    url = options["CALLBACK_URL"]
    secret = options.get("CALLBACK_SECRET", "")
    if not secret:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'secret': secret})}"


class EsmsAdapter(ChannelAdapter):
    def __init__(self, channel: str = "sms"):
        self.channel = channel
        self.options = conf.get("ESMS")
        self.strip_diacritics = conf.get("SMS_STRIP_DIACRITICS")

    def session(self) -> "EsmsSession":
        return EsmsSession(self)


class EsmsSession(Session):
    def __init__(self, adapter: EsmsAdapter):
        self.options = adapter.options
        self.url = self.options.get("BASE_URL", "https://rest.esms.vn").rstrip("/") + SEND_PATH

    def send(self, notification) -> str:
        payload = {
            "ApiKey": self.options.get("API_KEY", ""),
            "SecretKey": self.options.get("SECRET_KEY", ""),
            "Phone": "0" + national_number(notification.address),
            "Content": notification.body,
            "Brandname": self.options.get("BRANDNAME", ""),
            "SmsType": str(self.options.get("SMS_TYPE", "2")),
            "IsUnicode": "0" if is_gsm7(notification.body) else "1",
            "Sandbox": "1" if self.options.get("SANDBOX") else "0",
            "RequestId": notification.uuid.hex,
        }
        if self.options.get("CALLBACK_URL"):
            payload["CallbackUrl"] = callback_url(self.options)
        answer = post_json(self.url, payload, timeout=conf.get("HTTP_TIMEOUT_SECONDS"))
        code = str(answer.get("CodeResult", ""))
        if code == SUCCESS:
            return str(answer.get("SMSID", ""))
        if code == DUPLICATE_REQUEST:
            # An earlier attempt reached eSMS: the message is already on its way.
            return f"request {notification.uuid.hex}"
        message = str(answer.get("ErrorMessage") or answer.get("error") or "")
        if code in PERMANENT:
            raise PermanentError(f"eSMS {code}: {PERMANENT[code]} ({message})", code)
        raise TemporaryError(f"eSMS {code or '?'}: {message or 'no error message'}", code)
