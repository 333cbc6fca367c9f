"""A local postal operator for development, the demo and the tests: it books orders the way the
operator's API does (bearer key, idempotency key, UPU S10 tracking numbers) and sends signed
status webhooks when someone advances a parcel on its console page.

Every view answers 404 unless EGOV_POSTAL_SIMULATOR is on, which production settings never
allow. Nothing here is used by the platform's own code: it talks to this only over HTTP.
"""

import functools
import hmac
import json
import secrets
import uuid

import requests
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from egov.postal.models import Shipment, SimulatedOrder
from egov.postal.operators import signing

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
STATUSES = [s for s in Shipment.Status if s != Shipment.Status.REQUESTED]


def s10_check_digit(serial: str) -> int:
    """The check digit of an eight-digit UPU S10 serial number."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def tracking_number() -> str:
    serial = f"{secrets.randbelow(10**8):08d}"
    return f"EH{serial}{s10_check_digit(serial)}VN"


def simulator_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.EGOV_POSTAL_SIMULATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"status": status, "detail": detail}, status=status)


def _order_out(order: SimulatedOrder) -> dict:
    return {
        "tracking_number": order.tracking_number,
        "reference": order.reference,
        "status": order.status,
        "booked_at": order.created_at.isoformat(),
    }


@csrf_exempt
@simulator_only
@require_POST
def create_order(request):
    expected = f"Bearer {settings.EGOV_POSTAL_API_KEY}"
    if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
        return _problem(401, "invalid API key")
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 100:
        return _problem(400, "Idempotency-Key header required")
    try:
        payload = json.loads(request.body)
        direction = payload["direction"]
        callback = payload["callback_url"]
        addresses = [payload["sender"]["address"], payload["recipient"]["address"]]
    except (ValueError, KeyError, TypeError):
        return _problem(400, "body must be an order")
    if direction not in Shipment.Direction.values:
        return _problem(422, "unknown direction")
    if not all(addresses):
        return _problem(422, "the sender's and the recipient's addresses are required")
    if not isinstance(callback, str) or not callback.startswith(("http://", "https://")):
        return _problem(422, "callback_url must be an http(s) URL")
    existing = SimulatedOrder.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return JsonResponse(_order_out(existing), status=200)
    try:
        with transaction.atomic():
            order = SimulatedOrder.objects.create(
                tracking_number=tracking_number(),
                idempotency_key=key,
                reference=str(payload.get("reference", ""))[:100],
                direction=direction,
                payload=payload,
                callback_url=callback,
            )
    except IntegrityError:
        order = get_object_or_404(SimulatedOrder, idempotency_key=key)
        return JsonResponse(_order_out(order), status=200)
    return JsonResponse(_order_out(order), status=201)


@simulator_only
@require_GET
def console(request):
    return render(
        request,
        "postal/simulator.html",
        {"orders": SimulatedOrder.objects.all()[:50], "statuses": STATUSES},
    )


def send_webhook(order: SimulatedOrder, status: str, note: str = "") -> int:
    """Posts a signed status report to the order's callback URL; returns the HTTP status."""
    body = json.dumps(
        {
            "event_id": uuid.uuid4().hex,
            "tracking_number": order.tracking_number,
            "status": status,
            "occurred_at": timezone.now().isoformat(),
            "note": note,
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        **signing.headers_for(settings.EGOV_POSTAL_WEBHOOK_SECRET, body),
    }
    response = requests.post(
        order.callback_url,
        data=body,
        headers=headers,
        timeout=settings.EGOV_POSTAL_TIMEOUT_SECONDS,
    )
    return response.status_code


@simulator_only
@require_POST
def advance(request, tracking: str):
    order = get_object_or_404(SimulatedOrder, tracking_number=tracking)
    status = request.POST.get("status", "")
    if status not in STATUSES:
        messages.error(request, _("Choose a status."))
        return redirect("postal_simulator:console")
    order.status = status
    order.save(update_fields=["status"])
    try:
        answer = send_webhook(order, status, request.POST.get("note", "")[:300])
    except requests.RequestException as exc:
        messages.error(request, _("The webhook could not be sent: %(error)s") % {"error": exc})
    else:
        messages.success(
            request,
            _("%(number)s: “%(status)s” sent, the platform answered HTTP %(code)s.")
            % {"number": order.tracking_number, "status": status, "code": answer},
        )
    return redirect("postal_simulator:console")
