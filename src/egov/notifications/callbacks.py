"""Providers' delivery reports, under /notifications/callbacks/ (docs/notifications.md).

Each provider proves a report is its own the way it can: eSMS (which signs nothing) calls back
the URL we gave it, carrying our shared secret; Zalo signs its webhooks with a MAC over the app
id, the body, the timestamp and the OA secret key; the e-mail bounce relay signs the body with
HMAC-SHA256. A report that fails the check answers 403, one about a message we did not send 404;
both are written to the security log and change nothing. Repeated reports answer 200 and change
nothing either (providers retry until they get a 200).
"""

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from egov.core.clientaddr import client_address
from egov.notifications import conf
from egov.notifications.delivery_reports import Outcome, Report, record

security_log = logging.getLogger("egov.security")

ESMS_DONE = "5"  # SendStatus: sending finished (SendSuccess / SendFailed say how)
ESMS_REJECTED = "4"  # SendStatus: refused (e.g. by the carrier's template check)
ZALO_RECEIVED = "user_received_message"
EMAIL_DELIVERED = {"delivered", "delivery"}
EMAIL_BOUNCED = {"bounce", "bounced", "failed", "dropped"}
SOFT_BOUNCE = {"soft", "transient"}


def _answer(outcome: Outcome | str) -> JsonResponse:
    if outcome == Outcome.UNKNOWN:
        return JsonResponse({"error": "unknown message"}, status=404)
    return JsonResponse({"result": str(outcome)})


def _forbidden(request: HttpRequest, provider: str, why: str) -> JsonResponse:
    security_log.warning(
        "delivery report refused: %s (%s, from %s)", why, provider, client_address(request)
    )
    return JsonResponse({"error": "forbidden"}, status=403)


def _count(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@csrf_exempt
@require_http_methods(["GET", "POST"])
def esms_report(request: HttpRequest) -> JsonResponse:
    """eSMS's callback: ``GET <CallbackUrl>?SMSID=…&SendStatus=5&SendSuccess=1&SendFailed=0
    &RequestId=…&…`` (a POST form is taken too)."""
    params = request.GET.copy()
    params.update(request.POST)
    secret = conf.get("ESMS").get("CALLBACK_SECRET", "")
    if not secret:
        return _forbidden(request, "esms", "ESMS_CALLBACK_SECRET is not set")
    if not hmac.compare_digest(params.get("secret", "").encode(), secret.encode()):
        return _forbidden(request, "esms", "wrong secret")
    status = params.get("SendStatus", "")
    if status == ESMS_DONE:
        delivered = _count(params.get("SendSuccess")) > 0 and not _count(params.get("SendFailed"))
    elif status == ESMS_REJECTED:
        delivered = False
    else:
        return _answer("pending")  # waiting for approval or still sending: a later report follows
    ids = [params.get("SMSID", "")]
    if params.get("RequestId"):
        # An SMS accepted on a repeated request (code 124) is stored under its request id.
        ids.append(f"request {params['RequestId']}")
    reason = "" if delivered else f"eSMS SendStatus {status}, SendFailed {params.get('SendFailed')}"
    report = Report("sms", ids, delivered, reason=reason)
    return _answer(record(report, source=client_address(request)))


def zalo_signature(app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """Zalo's webhook MAC: sha256 of app id + body + timestamp + OA secret key, in hex."""
    return hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


@csrf_exempt
@require_POST
def zalo_webhook(request: HttpRequest) -> JsonResponse:
    """Zalo's webhook; ``user_received_message`` says a ZNS message reached the phone."""
    options = conf.get("ZNS")
    secret, app_id = options.get("OA_SECRET_KEY", ""), options.get("APP_ID", "")
    if not secret or not app_id:
        return _forbidden(request, "zalo", "ZNS_OA_SECRET_KEY or ZNS_APP_ID is not set")
    try:
        event = json.loads(request.body)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        return _forbidden(request, "zalo", "the body is not a JSON object")
    timestamp = str(event.get("timestamp", ""))
    given = request.headers.get("X-ZEvent-Signature", "").strip().removeprefix("mac=")
    expected = zalo_signature(app_id, request.body, timestamp, secret)
    if str(event.get("app_id", "")) != app_id or not hmac.compare_digest(
        given.encode(), expected.encode()
    ):
        return _forbidden(request, "zalo", "invalid X-ZEvent-Signature")
    if event.get("event_name") != ZALO_RECEIVED:
        return _answer("ignored")
    message = event.get("message") or {}
    if not isinstance(message, dict):
        message = {}
    report = Report(
        "zalo",
        [str(message.get("msg_id", ""))],
        True,
        reported_at=_from_milliseconds(message.get("delivery_time")) or timezone.now(),
    )
    return _answer(record(report, source=client_address(request)))


def _from_milliseconds(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def bounce_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def email_bounce(request: HttpRequest) -> JsonResponse:
    """A bounce relay's JSON: ``{"event": "bounce", "message_id": "<…@…>", "bounce_type":
    "hard", "status": "5.1.1", "reason": "…"}`` (or ``"event": "delivered"``), signed in
    ``X-Egov-Signature: sha256=<HMAC-SHA256 of the body>``."""
    secret = conf.get("EMAIL_BOUNCE_SECRET")
    if not secret:
        return _forbidden(request, "email", "NOTIFY_EMAIL_BOUNCE_SECRET is not set")
    given = request.headers.get("X-Egov-Signature", "").strip()
    if not hmac.compare_digest(given.encode(), bounce_signature(request.body, secret).encode()):
        return _forbidden(request, "email", "invalid X-Egov-Signature")
    try:
        event = json.loads(request.body)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        return JsonResponse({"error": "the body is not a JSON object"}, status=400)
    kind = str(event.get("event") or event.get("type") or "").lower()
    if kind in EMAIL_DELIVERED:
        delivered = True
    elif kind in EMAIL_BOUNCED:
        if str(event.get("bounce_type", "")).lower() in SOFT_BOUNCE:
            return _answer("ignored")  # the relay keeps trying; a final bounce follows if it fails
        delivered = False
    else:
        return _answer("ignored")
    message_id = str(event.get("message_id") or event.get("Message-ID") or "").strip()
    bare = message_id.strip("<>")
    reason = " ".join(str(event.get(name) or "") for name in ("status", "reason")).strip()
    report = Report("email", [f"<{bare}>", bare] if bare else [], delivered, reason=reason)
    return _answer(record(report, source=client_address(request)))
