"""Real worker processes: one is killed (SIGKILL) in the middle of a batch, others take over.

The database is the tests' own (a file on SQLite, the test database on PostgreSQL), so the
subprocesses see what the test wrote and the test sees what they did.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from egov.notifications import delivery, events, services
from egov.notifications.models import DeliveryAttempt, Notification
from egov.notifications.services import Contact
from tests.notifications.conftest import FROM

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 60
BATCH = 20
KILL_AT = 23  # in the second batch: 20 sent before it, 22 sent when the worker dies
LEASE = 2.0

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


@pytest.fixture
def spawn(providers, tmp_path):
    """Starts manage.py commands as separate processes pointed at the test database."""
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NOTIFY_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(providers.smtp.port),
        "NOTIFY_EMAIL_FROM": FROM,
        "NOTIFY_SMS_PROVIDER": "off",
        "NOTIFY_ZALO_PROVIDER": "off",
        "NOTIFY_LEASE_SECONDS": str(LEASE),
        "NOTIFY_BATCH_SIZE": str(BATCH),
        "NOTIFY_RETRY_BASE_SECONDS": "0.05",
        "NOTIFY_RETRY_MAX_SECONDS": "0.5",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    started = []

    def start(*args: str) -> subprocess.Popen:
        log = open(tmp_path / f"process-{len(started)}.log", "wb")  # noqa: SIM115 - kept open
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    def logs() -> str:
        return "\n".join(
            (tmp_path / f"process-{i}.log").read_text(errors="replace") for i in range(len(started))
        )

    start.logs = logs
    yield start
    for process, log in started:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def _wait_for(condition, timeout: float, what: str, logs=lambda: ""):
    stop_at = time.monotonic() + timeout
    while time.monotonic() < stop_at:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{logs()}")


def _wait_started(spawn, count: int):
    def started():
        return spawn.logs().count("Delivering notifications as") >= count

    # Importing the platform takes a while on a busy machine.
    _wait_for(started, 90, "the sweepers to start", spawn.logs)


def _stop(process, spawn):
    """SIGTERM, as a service manager stops it: the sweeper finishes and exits cleanly."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0, spawn.logs()


def _queue_messages() -> list[Notification]:
    with transaction.atomic():
        rows = []
        for i in range(MESSAGES):
            rows += services.notify(
                "dossier.received",
                recipient=Contact(email=f"cong.dan.{i:02d}@example.vn"),
                context=events.DOSSIER_RECEIVED.sample,
                agency_id=None,
            )
    return rows


@pytest.mark.parametrize(
    "kill_point",
    [
        # The server has message 22's reply sent and sees MAIL FROM for message 23.
        "between messages",
        # The server holds message 23 but the worker dies before reading "250 OK"
        # (RFC 1047's window): whoever sent it cannot know, so it must be sent again.
        "before the server's reply",
    ],
)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    kill_point, providers, templates, spawn
):
    rows = _queue_messages()
    assert DBTaskResult.objects.count() == 1  # enqueued when the transaction committed
    worker = {}

    def kill(count):
        if count == KILL_AT and "killed" not in worker:
            worker["process"].send_signal(signal.SIGKILL)
            worker["process"].wait()
            worker["killed"] = time.monotonic()

    if kill_point == "between messages":
        providers.mail.on_mail = kill
    else:
        providers.mail.on_data = kill

    worker["process"] = spawn(
        "db_worker", "--queue-name", "default", "--no-reload", "--no-startup-delay"
    )
    _wait_for(lambda: "killed" in worker, 60, "the worker to reach the kill point", spawn.logs)
    assert worker["process"].returncode == -signal.SIGKILL
    received_when_killed = len(providers.mail.messages)
    statuses = Counter(Notification.objects.values_list("status", flat=True))
    # The dead worker's batch is still claimed (until its lease ends); the last one is untouched.
    assert statuses == {"sent": KILL_AT - 1, "sending": 2 * BATCH - (KILL_AT - 1), "queued": BATCH}
    assert DBTaskResult.objects.get().status == "RUNNING"  # django-tasks-db never runs it again

    # Restart: the sweeper sends what was waiting, then takes over the dead worker's batch.
    sweeper = spawn("deliver_notifications", "--loop", "--interval", "0.2")
    _wait_for(
        lambda: Notification.objects.filter(status="sent").count() == MESSAGES,
        60,
        "every message to be sent",
        spawn.logs,
    )
    _wait_started(spawn, 1)
    _stop(sweeper, spawn)

    expected = {f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>": row for row in rows}
    received = Counter(providers.mail.message_ids)
    assert set(received) == set(expected)  # every message arrived
    copies = {message_id: n for message_id, n in received.items() if n > 1}
    interrupted = set(
        DeliveryAttempt.objects.filter(outcome="interrupted").values_list(
            "notification__uuid", flat=True
        )
    )
    # The batch the dead worker held was taken over after its lease; nothing else was.
    assert len(interrupted) == 2 * BATCH - (KILL_AT - 1)
    sent_attempts = Counter(
        DeliveryAttempt.objects.filter(outcome="sent").values_list("notification_id", flat=True)
    )
    assert set(sent_attempts.values()) == {1} and len(sent_attempts) == MESSAGES
    if kill_point == "between messages":
        assert received_when_killed == KILL_AT - 1
        assert copies == {}  # exactly once at the SMTP server
    else:
        assert received_when_killed == KILL_AT
        # The one message in the uncertain window came again, with the same Message-ID, so a
        # receiving system drops the copy; it is the one the log shows as interrupted.
        [(message_id, count)] = copies.items()
        assert count == 2
        assert expected[message_id].uuid in interrupted
        assert len(received) == MESSAGES


def test_two_workers_at_once_share_the_queue_without_sending_twice(providers, templates, spawn):
    first = spawn("deliver_notifications", "--loop", "--interval", "0.1")
    second = spawn("deliver_notifications", "--loop", "--interval", "0.1")
    _wait_started(spawn, 2)
    # A slow mail server, so that both workers are busy at the same time.
    providers.mail.on_data = lambda count: time.sleep(0.04)
    rows = _queue_messages()
    _wait_for(
        lambda: Notification.objects.filter(status="sent").count() == MESSAGES,
        60,
        "every message to be sent",
        spawn.logs,
    )
    _stop(first, spawn)
    _stop(second, spawn)
    received = Counter(providers.mail.message_ids)
    assert set(received.values()) == {1}
    assert set(received) == {f"<{row.uuid.hex}@dichvucong.cantho.gov.vn>" for row in rows}
    workers = {
        worker.rsplit(":", 1)[0]
        for worker in DeliveryAttempt.objects.values_list("worker", flat=True)
    }
    assert workers == {f"{delivery.worker_name().split(':')[0]}:{p.pid}" for p in (first, second)}
