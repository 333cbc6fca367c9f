"""The operator's status webhook: signed with the shared secret, idempotent, in order."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from egov.postal import services
from egov.postal.models import Shipment, ShipmentEvent
from egov.postal.operators import signing

URL = "/api/v1/postal/webhook"
SECRET = "a-shared-secret-of-at-least-32-characters"


@pytest.fixture
def shipment(result_ready, desk, settings):
    settings.EGOV_POSTAL_WEBHOOK_SECRET = SECRET
    shipment = services.hand_over_result(result_ready, desk)
    Shipment.objects.filter(pk=shipment.pk).update(
        tracking_number="EH123456785VN",
        status=Shipment.Status.BOOKED,
        status_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return shipment


def _body(status="picked_up", event_id="evt-1", minutes=0, **changes) -> bytes:
    occurred = timezone.now() + datetime.timedelta(minutes=minutes)
    data = {
        "event_id": event_id,
        "tracking_number": "EH123456785VN",
        "status": status,
        "occurred_at": occurred.isoformat(),
        "note": "Bưu cục Ninh Kiều",
        **changes,
    }
    return json.dumps(data).encode()


def _post(client, body: bytes, headers=None, secret=SECRET):
    headers = signing.headers_for(secret, body) if headers is None else headers
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers=headers,
    )


def test_the_signature_is_hmac_sha256_over_the_timestamp_and_the_body():
    body = b'{"event_id":"1"}'
    expected = hmac.new(SECRET.encode(), b"1767225600." + body, hashlib.sha256).hexdigest()
    assert signing.signature(SECRET, 1767225600, body) == "v1=" + expected


def test_a_signed_report_updates_the_shipment(client, shipment):
    response = _post(client, _body())
    assert response.status_code == 200
    assert response.json() == {"result": "applied"}
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"


def test_a_forged_report_is_refused_and_changes_nothing(client, shipment):
    forged = _post(client, _body(), secret="somebody-elses-secret-of-32-characters")
    tampered_body = _body(status="delivered")
    tampered = _post(client, tampered_body, headers=signing.headers_for(SECRET, _body()))
    unsigned = _post(client, _body(), headers={})
    for response in (forged, tampered, unsigned):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Chữ ký của thông báo không hợp lệ."
    shipment.refresh_from_db()
    assert shipment.status == "booked"
    assert not ShipmentEvent.objects.filter(event_id__isnull=False).exists()


def test_an_old_signed_report_is_refused(client, shipment, settings):
    body = _body()
    stale = signing.headers_for(SECRET, body, timestamp=int(time.time()) - 3600)
    assert _post(client, body, headers=stale).status_code == 401


def test_without_a_configured_secret_every_report_is_refused(client, shipment, settings):
    settings.EGOV_POSTAL_WEBHOOK_SECRET = ""
    assert _post(client, _body(), secret="").status_code == 401


def test_a_replayed_report_is_answered_but_applied_once(client, shipment):
    body = _body()
    headers = signing.headers_for(SECRET, body)
    assert _post(client, body, headers=headers).json() == {"result": "applied"}
    assert _post(client, body, headers=headers).json() == {"result": "duplicate"}
    assert ShipmentEvent.objects.filter(shipment=shipment, status="picked_up").count() == 1


def test_an_out_of_order_report_is_ignored(client, shipment):
    _post(client, _body("delivered", "evt-2", minutes=10))
    answer = _post(client, _body("in_transit", "evt-1", minutes=5))
    assert answer.json() == {"result": "ignored"}
    shipment.refresh_from_db()
    assert shipment.status == "delivered"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"event_id": "x"}',
        json.dumps(
            {
                "event_id": "x",
                "tracking_number": "EH1",
                "status": "lost",
                "occurred_at": "2026-01-01T00:00:00+07:00",
            }
        ).encode(),
        json.dumps(
            {
                "event_id": "x",
                "tracking_number": "EH1",
                "status": "delivered",
                "occurred_at": "2026-01-01T00:00:00",
            }
        ).encode(),
    ],
    ids=["not json", "fields missing", "unknown status", "time without offset"],
)
def test_a_signed_body_that_is_not_a_report_is_refused(client, shipment, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["title"] == "Đây không phải là thông báo trạng thái bưu gửi."


def test_a_report_for_an_unknown_parcel_is_not_found(client, shipment):
    response = _post(client, _body(tracking_number="EH000000000VN"))
    assert response.status_code == 404
