"""An unreachable database answers 503 with Retry-After, logged once; long-running loops wait it
out and carry on; /healthz sees a stalled queue and a silent worker. (The same against a real
PostgreSQL that is restarted, crashed and stopped: tests/core/test_database_restart.py.)"""

import datetime
import logging

import pytest
from django.db import OperationalError
from django.db.backends import utils as db_utils
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from egov.core import loops, outage
from egov.core.management.commands.db_worker import requeue_abandoned
from egov.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_away(monkeypatch):
    """Every query fails as it does when PostgreSQL is restarting."""

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    originals = (db_utils.CursorWrapper.execute, db_utils.CursorWrapper.executemany)

    def away():
        monkeypatch.setattr(db_utils.CursorWrapper, "execute", refuse)
        monkeypatch.setattr(db_utils.CursorWrapper, "executemany", refuse)

    def back():
        db_utils.CursorWrapper.execute, db_utils.CursorWrapper.executemany = originals

    away.back = back
    return away


@pytest.fixture
def fresh_outage(monkeypatch):
    monkeypatch.setattr(outage, "web", outage.Outage("database or cache"))


def test_the_api_answers_503_problem_with_retry_after(client, database_away, fresh_outage):
    client.raise_request_exception = False
    database_away()
    response = client.get("/api/v1/procedures")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == 503
    assert body["title"] == "Dịch vụ tạm thời gián đoạn"
    assert "5 giây" in body["detail"]


def test_a_page_answers_a_translated_503_page(client, database_away, fresh_outage):
    client.raise_request_exception = False
    database_away()
    response = client.get("/thu-tuc/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert '<html lang="vi">' in text and "Dịch vụ tạm thời gián đoạn" in text
    assert "Server Error" not in text


def test_a_page_that_fails_in_a_middleware_answers_503_too(client, database_away, fresh_outage):
    """The session is read before any view runs: the failure reaches Django's 500 handler."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    database_away()
    response = client.get("/staff/")
    assert response.status_code == 503


def test_the_outage_is_logged_once_not_per_request(client, database_away, fresh_outage, caplog):
    client.raise_request_exception = False
    database_away()
    with caplog.at_level(logging.INFO):
        for _ in range(5):
            assert client.get("/api/v1/procedures").status_code == 503
    outage_lines = [r for r in caplog.records if r.name == "egov.outage"]
    assert len(outage_lines) == 1 and "unreachable" in outage_lines[0].getMessage()
    # Neither a traceback nor Django's "Service Unavailable: <path>" line per request.
    assert not [r for r in caplog.records if r.name == "django.request"]
    database_away.back()
    with caplog.at_level(logging.INFO):
        assert client.get("/api/v1/procedures").status_code == 200
        assert client.get("/api/v1/procedures").status_code == 200
    outage_lines = [r for r in caplog.records if r.name == "egov.outage"]
    assert len(outage_lines) == 2 and "reachable again" in outage_lines[1].getMessage()


def test_other_errors_stay_server_errors(client, monkeypatch):
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("egov.catalog.search.current_versions", broken)
    response = client.get("/thu-tuc/")
    assert response.status_code == 500


def test_a_loop_waits_out_the_outage_and_carries_on(monkeypatch, settings):
    settings.EGOV_OUTAGE_MAX_BACKOFF_SECONDS = 0.01
    loop = loops.Loop("test", interval=0)
    monkeypatch.setattr(loop, "sleep", lambda seconds: None)
    # The test's own connection holds its transaction (a real outage closes it: see
    # test_database_restart.py).
    monkeypatch.setattr(loops, "close_connections", lambda: None)
    rounds = []

    def work():
        rounds.append(len(rounds))
        if len(rounds) <= 3:
            raise OperationalError("connection refused")
        if len(rounds) == 5:
            loop.stop()
        return True

    loop.run(work)
    assert rounds == [0, 1, 2, 3, 4]
    assert loop.outage.since is None  # it saw the recovery


def test_a_loop_leaves_a_heartbeat_that_stays_when_it_stops(settings):
    """A stopped worker must show as silent on /healthz, not vanish from it."""
    settings.EGOV_HEARTBEAT_SECONDS = 0
    old = timezone.now() - datetime.timedelta(days=2)
    WorkerHeartbeat.objects.create(name="test@gone:1", kind="test", started_at=old, beat_at=old)
    loop = loops.Loop("test", interval=0)

    def work():
        loop.stop()
        return True

    loop.run(work)
    beat = WorkerHeartbeat.objects.get(kind="test")  # the one gone for two days was forgotten
    assert beat.name.startswith("test@") and beat.name != "test@gone:1"


def test_backoff_doubles_up_to_its_ceiling(settings):
    settings.EGOV_OUTAGE_MAX_BACKOFF_SECONDS = 5
    backoff = loops.Backoff()
    assert [backoff.take() for _ in range(5)] == [1, 2, 4, 5, 5]
    backoff.reset()
    assert backoff.take() == 1


def _task(**fields):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="egov.core.tasks.nothing",
        queue_name="default",
        backend_name="default",
        **fields,
    )


def test_a_task_without_delay_waiting_long_is_stalled(client, settings):
    """The task library sets run_after to year 9999 for a task without a delay: its age is how
    long ago it was queued (it used to come out negative, and the alarm could never fire)."""
    task = _task(run_after=get_date_max())
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["tasks"]["status"] == "stalled"
    assert 590 < body["tasks"]["oldest_waiting_seconds"] < 700


def test_a_delayed_task_waits_from_its_time(client):
    _task(run_after=timezone.now() + datetime.timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["tasks"]["status"] == "ok" and body["tasks"]["waiting"] == 0


def test_healthz_reports_each_kind_of_worker(client, settings):
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="tasks-a", kind="tasks", started_at=now, beat_at=now)
    WorkerHeartbeat.objects.create(
        name="notifications@h:1",
        kind="notifications",
        started_at=now,
        beat_at=now - datetime.timedelta(minutes=10),
    )
    body = client.get("/healthz").json()
    assert body["workers"]["tasks"]["status"] == "ok"
    assert body["workers"]["tasks"]["processes"] == 1
    assert body["workers"]["notifications"]["status"] == "silent"
    assert body["workers"]["notifications"]["last_heartbeat_seconds"] >= 600
    assert body["status"] == "degraded"


def test_healthz_sees_notifications_nobody_sends(client, citizen):
    from egov.notifications.models import Notification

    Notification.objects.create(
        event="dossier.received",
        channel="email",
        recipient=citizen,
        address="congdan@example.vn",
        language="vi",
        province_code="92",
        subject="x",
        body="x",
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    body = client.get("/healthz").json()
    assert body["notifications"]["status"] == "stalled"
    assert body["notifications"]["waiting"] == 1


def test_healthz_is_503_with_retry_after_when_the_database_is_away(client, database_away):
    database_away()
    response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["status"] == "down"


def test_tasks_left_running_by_a_dead_worker_go_back_to_the_queue(settings):
    from django_tasks_db.compat import TaskResultStatus

    now = timezone.now()
    WorkerHeartbeat.objects.create(name="alive", kind="tasks", started_at=now, beat_at=now)
    mine = _task(status=TaskResultStatus.RUNNING, worker_ids=["me"], run_after=get_date_max())
    dead = _task(status=TaskResultStatus.RUNNING, worker_ids=["dead"], run_after=get_date_max())
    busy = _task(status=TaskResultStatus.RUNNING, worker_ids=["alive"], run_after=get_date_max())
    assert requeue_abandoned("me") == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[mine.pk] == TaskResultStatus.READY
    assert statuses[dead.pk] == TaskResultStatus.READY
    assert statuses[busy.pk] == TaskResultStatus.RUNNING
