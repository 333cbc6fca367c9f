"""Webhook delivery and time-stamping run as the platform's supervised loops: a round's work,
a heartbeat for /healthz, and a database outage waited out."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction

from egov.core import loops
from egov.core.models import WorkerHeartbeat
from egov.exchange import webhooks
from egov.exchange.models import LogTimestamp, MessageRecord
from tests.exchange.test_webhooks import Subscriber


@pytest.fixture
def subscriber():
    endpoint = Subscriber()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


@pytest.fixture
def one_round(monkeypatch, settings):
    """The loop stops at its first idle wait (after a round that did its work), and beats on
    every round."""
    settings.EGOV_HEARTBEAT_SECONDS = 0
    settings.EGOV_OUTAGE_MAX_BACKOFF_SECONDS = 0.01
    # The test's own connection holds its transaction (a real outage closes it).
    monkeypatch.setattr(loops, "close_connections", lambda: None)
    waits: list[float] = []

    def sleep(loop, seconds):
        waits.append(seconds)
        if not loop.outage.since:
            loop.stopping = True

    monkeypatch.setattr(loops.Loop, "sleep", sleep)
    return waits


def test_webhooks_are_delivered_by_a_supervised_loop(caller, subscriber, one_round):
    webhooks.subscribe(
        actor=None, client=caller.client, url=subscriber.url, events=["dossier.received"]
    )
    with transaction.atomic():
        webhooks.publish("dossier.received", {"code": "H13.01-261207-0001"})
    call_command("deliver_webhooks", "--loop", "--interval", "0")
    assert len(subscriber.received) == 1
    assert WorkerHeartbeat.objects.filter(kind="webhooks").exists()


def test_the_webhook_loop_waits_out_a_database_outage(caller, subscriber, one_round, monkeypatch):
    webhooks.subscribe(
        actor=None, client=caller.client, url=subscriber.url, events=["dossier.received"]
    )
    with transaction.atomic():
        webhooks.publish("dossier.received", {"code": "x"})
    real, calls = webhooks.deliver_due, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("connection refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(webhooks, "deliver_due", flaky)
    call_command("deliver_webhooks", "--loop", "--interval", "0")
    assert len(calls) == 3 and len(subscriber.received) == 1


def test_the_log_is_time_stamped_by_a_supervised_loop(client, caller, one_round, settings):
    settings.EGOV_EXCHANGE_TIMESTAMP_INTERVAL = 0
    caller.call(client, "cong-dan/1")
    call_command("stamp_message_log", "--loop")
    stamp = LogTimestamp.objects.get()
    assert stamp.up_to_seq == MessageRecord.objects.get().seq
    assert WorkerHeartbeat.objects.filter(kind="message-log-stamps").exists()


def test_the_stamp_loop_keeps_asking_an_authority_that_is_away(
    client, caller, one_round, settings, capsys
):
    settings.EGOV_EXCHANGE_TIMESTAMP_INTERVAL = 0
    settings.EGOV_TSA_URL = "http://127.0.0.1:9/tsa"
    caller.call(client, "cong-dan/1")
    call_command("stamp_message_log", "--loop")  # returns: the loop went on to its next wait
    assert not LogTimestamp.objects.exists()
    assert "did not stamp" in capsys.readouterr().err


def test_two_runners_deliver_a_message_once(caller, subscriber, monkeypatch):
    """Several `deliver_webhooks --loop` may run: each message is claimed by one of them."""
    webhooks.subscribe(
        actor=None, client=caller.client, url=subscriber.url, events=["dossier.received"]
    )
    with transaction.atomic():
        webhooks.publish("dossier.received", {"code": "x"})
    real, other = webhooks._deliver, []

    def deliver(message, http):
        if not other:  # the other runner looks while this one holds the message
            other.append(webhooks.deliver_due())
        return real(message, http)

    monkeypatch.setattr(webhooks, "_deliver", deliver)
    assert webhooks.deliver_due()["delivered"] == 1
    assert other == [{"delivered": 0, "retried": 0, "failed": 0}]
    assert len(subscriber.received) == 1
