"""Webhooks: written with the change, signed, retried with backoff through an outage."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from egov.dossiers import signals
from egov.exchange import services, webhooks
from egov.exchange.models import OutboxMessage


class Subscriber:
    """A subscriber's endpoint that can be down (503) and records what it received."""

    def __init__(self) -> None:
        self.down = False
        self.received: list[tuple[dict, bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if owner.down:
                    self.send_response(503)
                else:
                    owner.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, format, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def subscriber():
    endpoint = Subscriber()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


@pytest.fixture
def subscription(caller, subscriber):
    return webhooks.subscribe(
        actor=None,
        client=caller.client,
        url=subscriber.url,
        events=["dossier.received", "dossier.withdrawn"],
    )


def _publish(event="dossier.received", payload=None):
    with transaction.atomic():
        return webhooks.publish(event, payload or {"code": "H13.01-261207-0001"})


def test_an_event_is_delivered_signed(subscription, subscriber):
    _subscription, secret = subscription
    assert _publish() == 1
    assert webhooks.deliver_due() == {"delivered": 1, "retried": 0, "failed": 0}
    headers, body = subscriber.received[0]
    assert headers["x-exchange-event"] == "dossier.received"
    expected = webhooks.signature(secret.encode(), headers["x-exchange-timestamp"], body)
    assert headers["x-exchange-signature"] == expected
    assert json.loads(body)["data"] == {"code": "H13.01-261207-0001"}
    assert webhooks.deliver_due()["delivered"] == 0  # once only


def test_an_event_nobody_subscribed_to_is_not_queued(subscription):
    assert _publish("dossier.refused") == 0


def test_an_event_of_a_change_rolled_back_is_never_sent(subscription):
    with pytest.raises(RuntimeError), transaction.atomic():
        webhooks.publish("dossier.received", {"code": "x"})
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_delivery_is_retried_with_backoff_through_an_outage(subscription, subscriber):
    _publish()
    subscriber.down = True
    before = timezone.now()
    assert webhooks.deliver_due()["retried"] == 1
    message = OutboxMessage.objects.get()
    assert message.last_error == "HTTP 503"
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=30)
    assert webhooks.deliver_due()["retried"] == 0  # not due yet
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=55)
    subscriber.down = False
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver_due()["delivered"] == 1
    assert len(subscriber.received) == 1


def test_delivery_gives_up_after_the_last_attempt(subscription, subscriber, settings):
    settings.EGOV_EXCHANGE_WEBHOOK_MAX_ATTEMPTS = 2
    subscriber.down = True
    _publish()
    webhooks.deliver_due()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver_due()["failed"] == 1
    assert OutboxMessage.objects.get().failed_at is not None


def test_a_dossier_event_reaches_the_outbox_without_personal_data(subscription):
    dossier = SimpleNamespace(
        code="H13.01-261207-0002",
        procedure=SimpleNamespace(code="1.001193"),
        status="received",
        receiving_agency=SimpleNamespace(code="000.00.03.H13"),
        province_code="92",
        applicant_name="Nguyễn Văn A",
    )
    with transaction.atomic():
        # Withdrawal: the one event here that no other app's receiver reads more of.
        signals.dossier_withdrawn.send(sender=None, dossier=dossier, reason="")
    payload = OutboxMessage.objects.get().payload
    assert payload["code"] == "H13.01-261207-0002"
    assert payload["procedure"] == "1.001193"
    assert "Nguyễn" not in json.dumps(payload, ensure_ascii=False)


def test_subscribing_needs_known_events_and_the_operator(caller, subscriber, make_staff, agencies):
    with pytest.raises(services.ExchangeError):
        webhooks.subscribe(actor=None, client=caller.client, url=subscriber.url, events=["x"])
    clerk = make_staff("vanthu", agencies["justice"], role="clerk")
    with pytest.raises(services.ExchangeError):
        webhooks.subscribe(
            actor=clerk, client=caller.client, url=subscriber.url, events=["dossier.received"]
        )
