"""Local stand-ins for the providers, speaking their wire formats (docs/notifications.md).

- SMTP: a real SMTP server (aiosmtpd) that keeps every message it accepts.
- eSMS.vn: ``POST /MainService.svc/json/SendMultipleMessage_V4_post_json/`` checked the way eSMS
  documents it (credentials -> 101, brandname -> 104, phone -> 108, duplicate RequestId -> 124),
  answered with ``{"CodeResult", "CountRegenerate", "SMSID" | "ErrorMessage"}``.
- Zalo ZNS: ``POST /message/template`` with the ``access_token`` header (-124), the phone in
  84… form (-108), an approved template (-109) whose parameters all come (-111, -112), numbers
  without Zalo (-118); answered ``{"error": 0, "message": "Success", "data": {"msg_id", …}}``.
  And Zalo's OAuth ``POST /v4/oa/access_token`` (form fields, ``secret_key`` header) that trades
  a single-use refresh token for ``{"access_token", "refresh_token", "expires_in"}``.

Each can be stopped and started again on the same port (an outage), told to answer the next
requests with given errors, or to answer slowly (a timeout).
"""

import email
import email.policy
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from egov.notifications.sms import is_gsm7

# aiosmtpd logs every connection at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- SMTP ----------------------------------------------------------------------------------------


class SmtpRecorder:
    """aiosmtpd handler: accepts mail and keeps it; can refuse recipients or data on demand."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.mail_commands = 0
        self.refuse_recipients: dict[str, str] = {}  # address -> SMTP reply, e.g. "550 …"
        self.data_replies: list[str] = []  # replies for the next DATA commands, e.g. "451 …"
        self.on_mail = None  # called with the MAIL FROM count, before answering
        self.on_data = None  # called with the message count, before answering 250

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.mail_commands += 1
            count = self.mail_commands
        if self.on_mail:
            self.on_mail(count)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.data_replies:
                return self.data_replies.pop(0)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
            count = len(self.messages)
        if self.on_data:
            self.on_data(count)
        return "250 2.0.0 Ok: queued"

    @property
    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self, handler: SmtpRecorder | None = None):
        self.handler = handler or SmtpRecorder()
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


# --- HTTP providers ------------------------------------------------------------------------------


class ProviderServer:
    """A provider's HTTP API on 127.0.0.1, served from a thread."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.requests: list[dict] = []  # every request: path, headers, payload
        self.accepted: list[dict] = []  # payloads the provider took on
        self.queued_answers: list[tuple[int, dict | str]] = []
        self.delay = 0.0
        self.httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                provider._serve(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def answer_next(self, status: int, body: dict | str, times: int = 1):
        self.queued_answers.extend([(status, body)] * times)

    def _serve(self, request: BaseHTTPRequestHandler):
        raw = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in request.headers.items()}
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            payload = dict(urllib.parse.parse_qsl(raw.decode()))
        else:
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = None
        with self.lock:
            self.requests.append({"path": request.path, "headers": headers, "payload": payload})
            queued = self.queued_answers.pop(0) if self.queued_answers else None
        if self.delay:
            time.sleep(self.delay)
        if queued is None:
            status, body = self.answer(request.path, headers, payload)
        else:
            status, body = queued
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json; charset=utf-8")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting

    def answer(self, path, headers, payload) -> tuple[int, dict | str]:
        raise NotImplementedError


class FakeEsms(ProviderServer):
    API_KEY = "esms-test-api-key"
    SECRET_KEY = "esms-test-secret-key"
    BRANDNAME = "UBND-CANTHO"
    CALLBACK_SECRET = "esms-callback-test-secret"
    PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    PHONE = re.compile(r"^(0|84)(3|5|7|8|9)\d{8}$")

    def __init__(self):
        super().__init__()
        self.request_ids: set[str] = set()
        self.sms_ids: dict[str, str] = {}  # RequestId -> SMSID
        self.garbled = 0  # accented text sent as non-Unicode would reach phones as '?'

    def settings(self) -> dict:
        return {
            "BASE_URL": self.url,
            "API_KEY": self.API_KEY,
            "SECRET_KEY": self.SECRET_KEY,
            "BRANDNAME": self.BRANDNAME,
            "SMS_TYPE": "2",
            "CALLBACK_URL": "http://testserver/notifications/callbacks/esms/",
            "CALLBACK_SECRET": self.CALLBACK_SECRET,
        }

    @property
    def delivered(self) -> list[dict]:
        return [p for p in self.accepted if p.get("Sandbox") != "1"]

    def answer(self, path, headers, payload):
        if path != self.PATH:
            return 404, "Endpoint not found."
        if not headers.get("content-type", "").startswith("application/json") or not isinstance(
            payload, dict
        ):
            return 400, {"error": "Invalid request"}
        if any(not isinstance(value, str) for value in payload.values()):
            return 400, {"error": "Invalid request"}

        def error(code, message):
            return 200, {"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": message}

        if payload.get("ApiKey") != self.API_KEY or payload.get("SecretKey") != self.SECRET_KEY:
            return error("101", "Authorize Failed")
        if not payload.get("SmsType"):
            return error("300", "Missing message type")
        if payload["SmsType"] == "2" and payload.get("Brandname") != self.BRANDNAME:
            return error("104", "Brand name code is not exist")
        if not self.PHONE.match(payload.get("Phone", "")):
            return error("108", "Phone number is not in correct format")
        with self.lock:
            request_id = payload.get("RequestId", "")
            if request_id and request_id in self.request_ids:
                return 200, {
                    "CodeResult": "124",
                    "CountRegenerate": 0,
                    "ErrorMessage": "Request exist 1",
                    "SendStatus": "5",
                }
            self.request_ids.add(request_id)
            if payload.get("IsUnicode", "0") == "0" and not is_gsm7(payload.get("Content", "")):
                self.garbled += 1
            self.accepted.append(payload)
            sms_id = uuid.uuid4().hex
            self.sms_ids[request_id] = sms_id
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}

    def callback(self, request_id: str, *, delivered: bool = True, status: str = "5") -> str:
        """The URL eSMS calls (HTTP GET) when it knows what became of the SMS of ``request_id``:
        the CallbackUrl it was given, with its report's parameters."""
        with self.lock:
            payload = next(p for p in self.accepted if p.get("RequestId") == request_id)
            sms_id = self.sms_ids[request_id]
        query = urllib.parse.urlencode(
            {
                "SMSID": sms_id,
                "SendFailed": "0" if delivered else "1",
                "SendStatus": status,
                "SendSuccess": "1" if delivered else "0",
                "TotalPrice": "0.0000",
                "TotalReceiver": "1",
                "TotalSent": "1",
                "RequestId": request_id,
                "TypeId": payload.get("SmsType", "2"),
                "telcoid": "1",
                "phonenumber": payload["Phone"],
            }
        )
        url = payload["CallbackUrl"]
        return f"{url}{'&' if '?' in url else '?'}{query}"


class FakeZns(ProviderServer):
    ACCESS_TOKEN = "zalo-oa-test-access-token"
    APP_ID = "1234567890123456789"
    APP_SECRET = "zalo-app-test-secret"
    PATH = "/message/template"
    OAUTH_PATH = "/v4/oa/access_token"
    PHONE = re.compile(r"^84(3|5|7|8|9)\d{8}$")

    def __init__(self, templates: dict[str, set[str]]):
        super().__init__()
        self.templates = templates  # approved template id -> its parameter names
        self.without_zalo: set[str] = set()
        self.daily_quota = 500
        self.access_tokens = {self.ACCESS_TOKEN}
        self.refresh_tokens: set[str] = set()
        self.renewals = 0
        self.msg_ids: dict[str, str] = {}  # tracking_id -> msg_id
        self.oa_secret_key = "zalo-oa-test-secret-key"

    def received_webhook(self, tracking_id: str, *, secret: str | None = None):
        """Zalo's ``user_received_message`` webhook for the ZNS message of ``tracking_id``: the
        body and its ``X-ZEvent-Signature`` (mac = sha256(app id + body + timestamp + OA secret
        key)); ``secret`` signs it with another key (a forgery)."""
        timestamp = str(int(time.time() * 1000))
        with self.lock:
            msg_id = self.msg_ids[tracking_id]
        body = json.dumps(
            {
                "app_id": self.APP_ID,
                "oa_id": "579745863508352884",
                "user_id_by_app": "552177279717587730",
                "event_name": "user_received_message",
                "message": {
                    "delivery_time": timestamp,
                    "msg_id": msg_id,
                    "tracking_id": tracking_id,
                },
                "timestamp": timestamp,
            }
        ).encode()
        key = self.oa_secret_key if secret is None else secret
        mac = hashlib.sha256(self.APP_ID.encode() + body + timestamp.encode() + key.encode())
        return body, {"HTTP_X_ZEVENT_SIGNATURE": f"mac={mac.hexdigest()}"}

    def settings(self) -> dict:
        return {
            "BASE_URL": self.url,
            "ACCESS_TOKEN": self.ACCESS_TOKEN,
            "APP_ID": self.APP_ID,
            "OA_SECRET_KEY": self.oa_secret_key,
        }

    def renewing_settings(self, refresh_token: str) -> dict:
        """The app's ID and secret instead of a fixed token, and a first refresh token."""
        self.refresh_tokens.add(refresh_token)
        return {
            "BASE_URL": self.url,
            "APP_ID": self.APP_ID,
            "APP_SECRET": self.APP_SECRET,
            "REFRESH_TOKEN": refresh_token,
            "OAUTH_URL": self.url + self.OAUTH_PATH,
        }

    @property
    def delivered(self) -> list[dict]:
        return self.accepted

    def _renew(self, headers, payload):
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return 200, {"error": -14002, "error_name": "Invalid parameter"}
        if headers.get("secret_key") != self.APP_SECRET or payload.get("app_id") != self.APP_ID:
            return 200, {
                "error": -14004,
                "error_name": "Invalid app",
                "error_description": "Invalid secret key",
            }
        with self.lock:
            if payload.get("grant_type") != "refresh_token" or (
                payload.get("refresh_token") not in self.refresh_tokens
            ):
                return 200, {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": "Invalid refresh token",
                }
            self.refresh_tokens.discard(payload["refresh_token"])  # single use
            access, refresh = f"access-{uuid.uuid4().hex}", f"refresh-{uuid.uuid4().hex}"
            self.access_tokens.add(access)
            self.refresh_tokens.add(refresh)
            self.renewals += 1
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def answer(self, path, headers, payload):
        if path == self.OAUTH_PATH:
            return self._renew(headers, payload)
        if path != self.PATH:
            return 404, {"error": -106, "message": "Method unsupported"}
        if headers.get("access_token") not in self.access_tokens:
            return 200, {"error": -124, "message": "Access token invalid"}
        if not isinstance(payload, dict):
            return 200, {"error": -100, "message": "Unknown error"}
        phone = str(payload.get("phone", ""))
        if not self.PHONE.match(phone):
            return 200, {"error": -108, "message": "Phone number invalid"}
        template_id = str(payload.get("template_id", ""))
        if template_id not in self.templates:
            return 200, {"error": -109, "message": "Template ID invalid"}
        data = payload.get("template_data")
        if not data or not isinstance(data, dict):
            return 200, {"error": -111, "message": "Template data empty"}
        if set(data) != self.templates[template_id] or any(
            not isinstance(value, str) or len(value) > 100 for value in data.values()
        ):
            return 200, {"error": -112, "message": "Template data invalid"}
        if len(str(payload.get("tracking_id", ""))) > 48:
            return 200, {"error": -112, "message": "Template data invalid"}
        if phone in self.without_zalo:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        msg_id = uuid.uuid4().hex
        with self.lock:
            self.accepted.append(payload)
            self.msg_ids[str(payload.get("tracking_id", ""))] = msg_id
            self.daily_quota -= 1
            remaining = self.daily_quota
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": msg_id,
                "sent_time": str(int(time.time() * 1000)),
                "quota": {"dailyQuota": "500", "remainingQuota": str(remaining)},
            },
        }


# --- E-mail bounces ------------------------------------------------------------------------------


def bounce(message, secret: str, *, event: str = "bounce", bounce_type: str = "hard"):
    """What a bounce relay posts when the receiving server refused ``message`` after accepting
    it (a DSN): its Message-ID and the status, signed with HMAC-SHA256 of the body."""
    body = json.dumps(
        {
            "event": event,
            "bounce_type": bounce_type,
            "message_id": message["Message-ID"],
            "recipient": message["To"],
            "status": "5.1.1" if bounce_type == "hard" else "4.2.2",
            "reason": "550 5.1.1 The email account that you tried to reach does not exist",
            "timestamp": int(time.time()),
        }
    ).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"HTTP_X_EGOV_SIGNATURE": f"sha256={signature}"}
