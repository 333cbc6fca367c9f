"""Checks behind /healthz: can we reach the database, are the work queues being worked, and
when did each kind of worker last show a sign of life?

Apps above the kernel add their own queue checks with :func:`register` (notifications do)."""

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from egov.core import outage

_checks: dict[str, Callable[[], dict]] = {}


def register(name: str, check: Callable[[], dict]) -> None:
    """``check()`` returns a dict with a ``status`` of "ok", "stalled" or "error"."""
    _checks[name] = check


def database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing to a load balancer
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def queue_status(oldest_seconds: float) -> str:
    # Work waiting longer than the threshold means no worker is taking it.
    return "ok" if oldest_seconds <= settings.EGOV_TASK_QUEUE_STALE_SECONDS else "stalled"


def task_queue_health() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"status": "ok", "backend": backend}
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        # A task without a delay has run_after at the library's "no date" (year 9999): it waits
        # since it was queued; a delayed one since its time came.
        no_delay = Q(run_after=get_date_max())
        oldest = ready.aggregate(
            queued=Min("enqueued_at", filter=no_delay), due=Min("run_after", filter=~no_delay)
        )
    except outage.UNAVAILABLE as exc:
        return {"status": "error", "backend": backend, "error": exc.__class__.__name__}
    since = [moment for moment in oldest.values() if moment is not None]
    age = max((now - moment).total_seconds() for moment in since) if since else 0.0
    return {
        "status": queue_status(age),
        "backend": backend,
        "waiting": waiting,
        "oldest_waiting_seconds": round(max(age, 0.0), 1),
    }


def worker_health() -> dict:
    """Per kind of worker: how many processes beat recently and the age of the last beat. A kind
    that has beaten before and fell silent is "silent"; a kind never seen is not listed (cron
    or another queue may do its work)."""
    from egov.core.models import WorkerHeartbeat

    now = timezone.now()
    stale = settings.EGOV_HEARTBEAT_STALE_SECONDS
    kinds = {}
    for row in WorkerHeartbeat.objects.values("kind").annotate(last=Max("beat_at")):
        age = (now - row["last"]).total_seconds()
        alive = WorkerHeartbeat.objects.filter(
            kind=row["kind"], beat_at__gte=now - timezone.timedelta(seconds=stale)
        ).count()
        kinds[row["kind"]] = {
            "status": "ok" if age <= stale else "silent",
            "processes": alive,
            "last_heartbeat_seconds": round(max(age, 0.0), 1),
        }
    return kinds


def report() -> tuple[dict, int]:
    """The /healthz body and its status code: 503 when the database cannot be reached (a load
    balancer takes the process out); "degraded" with 200 when work is stalled or a worker fell
    silent (monitoring alerts; the web still serves)."""
    database = database_health()
    if database["status"] != "ok":
        return {"status": "down", "database": database}, 503
    body = {"database": database, "tasks": task_queue_health()}
    for name, check in sorted(_checks.items()):
        body[name] = check()
    try:
        body["workers"] = worker_health()
    except outage.UNAVAILABLE as exc:
        body["workers"] = {"error": exc.__class__.__name__}
    healthy = all(
        part.get("status", "ok") == "ok" for key, part in body.items() if key != "workers"
    ) and all(worker["status"] == "ok" for worker in body["workers"].values() if "status" in worker)
    return {"status": "ok" if healthy else "degraded", **body}, 200
