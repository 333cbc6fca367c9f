"""The long-running loops of the platform (task worker, notification sender, deadline checker,
outboxes): each round of work is retried with backoff while the database is away, and the loop
carries on by itself when it is back; each process leaves a heartbeat for /healthz.

A process that does exit is restarted by whatever started it (`make run`'s restart loop, the
production units' ``Restart=always``: docs/operations.md)."""

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.utils import timezone

from egov.core import outage

logger = logging.getLogger("egov.loops")


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def close_connections() -> None:
    """Drop every database connection of this thread, broken or not, so that the next query
    opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        # A broken connection may fail to close; it is dropped all the same.
        with contextlib.suppress(Exception):
            connection.close()


class Heartbeat:
    """Writes ``WorkerHeartbeat`` for this process at most every EGOV_HEARTBEAT_SECONDS."""

    def __init__(self, kind: str, name: str | None = None):
        self.kind = kind
        self.name = name or f"{kind}@{process_name()}"
        self.started_at = timezone.now()
        self.last = 0.0
        self.stopped = False

    def beat(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self.last < settings.EGOV_HEARTBEAT_SECONDS:
            return
        from egov.core.models import WorkerHeartbeat

        now = timezone.now()
        if not self.last:  # first beat: forget processes of this kind gone for a day
            WorkerHeartbeat.objects.filter(
                kind=self.kind, beat_at__lt=now - timezone.timedelta(days=1)
            ).delete()
        WorkerHeartbeat.objects.update_or_create(
            name=self.name,
            defaults={"kind": self.kind, "started_at": self.started_at, "beat_at": now},
        )
        self.last = time.monotonic()

    def stop(self) -> None:
        """The row stays: a kind of worker that stopped shows as silent on /healthz."""
        self.stopped = True

    def in_background(self) -> threading.Thread:
        """Beat from a thread of its own, for loops whose rounds are not ours (the task library's
        worker): it says that the process lives and reaches the database."""

        def run():
            while not self.stopped:
                try:
                    self.beat(force=True)
                except outage.UNAVAILABLE:
                    close_connections()
                time.sleep(settings.EGOV_HEARTBEAT_SECONDS)

        thread = threading.Thread(target=run, name=f"heartbeat-{self.kind}", daemon=True)
        thread.start()
        return thread


class Backoff:
    """1, 2, 4 … seconds, up to EGOV_OUTAGE_MAX_BACKOFF_SECONDS, and back to 1 after a success."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.next = 1.0

    def take(self) -> float:
        wait = self.next
        self.next = min(self.next * 2, settings.EGOV_OUTAGE_MAX_BACKOFF_SECONDS)
        return wait


class Loop:
    """Runs ``work`` every ``interval`` seconds until SIGTERM or SIGINT: the round in hand is
    finished, then the loop returns. ``work`` returns whether it did something (then the next
    round starts at once)."""

    def __init__(self, kind: str, interval: float):
        self.kind = kind
        self.interval = interval
        self.stopping = False
        self.heartbeat = Heartbeat(kind)
        self.outage = outage.Outage(f"database ({kind})")
        self.backoff = Backoff()

    def stop(self, *args) -> None:
        self.stopping = True

    def run(self, work: Callable[[], object]) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self.stopping:
            try:
                busy = work()
                self.heartbeat.beat()
            except outage.UNAVAILABLE as exc:
                self.outage.failed(exc)
                close_connections()
                self.sleep(self.backoff.take())
                continue
            self.outage.succeeded()
            self.backoff.reset()
            if not busy:
                self.sleep(self.interval)
        self.heartbeat.stop()

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.1, max(end - time.monotonic(), 0)))
