"""The task library's database worker (django-tasks-db), made to outlast the database.

The library's worker exits on the first connection error outside its own "database is locked"
handling; a restarted or crashed PostgreSQL left every task waiting until someone restarted it.
This command keeps the library's options and its loop, and around them:
- waits with backoff while the database is away and carries on when it is back (logged once);
- puts back the tasks it had claimed when the connection broke under them, and at start the
  tasks claimed by workers that left no heartbeat for EGOV_HEARTBEAT_STALE_SECONDS (killed):
  the platform's tasks are idempotent, so running one again is safe, losing it is not;
- leaves a heartbeat for /healthz from a thread of its own.
It shadows the library's command of the same name (egov.core comes first in INSTALLED_APPS).
"""

import logging
import time

from django.conf import settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as library
from django_tasks_db.models import DBTaskResult

from egov.core import loops, outage

logger = logging.getLogger("egov.loops")


def requeue_abandoned(worker_id: str | None = None) -> int:
    """Tasks left running by this worker (``worker_id``) or by workers without a fresh heartbeat
    go back to the queue."""
    from django_tasks_db.compat import TaskResultStatus

    from egov.core.models import WorkerHeartbeat

    alive = set(
        WorkerHeartbeat.objects.filter(
            kind="tasks",
            beat_at__gte=timezone.now()
            - timezone.timedelta(seconds=settings.EGOV_HEARTBEAT_STALE_SECONDS),
        ).values_list("name", flat=True)
    )
    abandoned = [
        result.pk
        for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "worker_ids"
        )
        if result.worker_ids
        and (result.worker_ids[-1] == worker_id or result.worker_ids[-1] not in alive)
    ]
    if abandoned:
        DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("put %d abandoned task(s) back in the queue", len(abandoned))
    return len(abandoned)


class Worker(library.Worker):
    def run(self) -> None:
        backoff = loops.Backoff()
        database = outage.Outage("database (tasks)")
        heartbeat = loops.Heartbeat("tasks", name=self.worker_id)
        heartbeat.in_background()
        try:
            while self.running:
                try:
                    # At start, and after an outage: what this worker held when the connection
                    # broke, and what killed workers left, goes back to the queue.
                    requeue_abandoned(self.worker_id)
                    database.succeeded()
                    backoff.reset()
                    super().run()
                    return  # --batch or --max-tasks ended it, or a signal stopped it
                except outage.UNAVAILABLE as exc:
                    database.failed(exc)
                    loops.close_connections()
                    time.sleep(backoff.take())
        finally:
            heartbeat.stop()


class Command(library.Command):
    help = (
        "Runs the database task worker: the library's worker that waits out database outages, "
        "puts back tasks that a crash left running, and leaves a heartbeat for /healthz."
    )

    def handle(self, **options) -> None:
        original = library.Worker
        library.Worker = Worker  # the library's handle() builds its worker from this name
        try:
            super().handle(**options)
        finally:
            library.Worker = original
