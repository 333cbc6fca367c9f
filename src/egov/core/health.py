"""Checks behind /healthz: can we reach the database, and is the task queue being worked?"""

from django.conf import settings
from django.db import connection
from django.utils import timezone


def database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing to a load balancer
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def task_queue_health() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"status": "ok", "backend": backend}
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("run_after").values_list("run_after", flat=True).first()
    except Exception as exc:
        return {"status": "error", "backend": backend, "error": exc.__class__.__name__}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    # Work waiting longer than the threshold means no worker is taking it.
    status = "ok" if age <= settings.EGOV_TASK_QUEUE_STALE_SECONDS else "stalled"
    return {
        "status": status,
        "backend": backend,
        "waiting": waiting,
        "oldest_waiting_seconds": round(age, 1),
    }
