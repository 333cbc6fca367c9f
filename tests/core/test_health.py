import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from egov.core import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["tasks"] == {
        "status": "ok",
        "backend": "django_tasks_db.DatabaseBackend",
        "waiting": 0,
        "oldest_waiting_seconds": 0.0,
    }


def test_healthz_says_when_no_worker_takes_work(client):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="egov.core.tasks.nothing",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
    )
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["tasks"]["status"] == "stalled" and body["tasks"]["waiting"] == 1


def test_healthz_is_503_when_the_database_is_gone(client, monkeypatch):
    class Broken:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "error", "error": "OperationalError"}
