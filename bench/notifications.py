"""Benchmark: deliver 10,000 queued e-mails to a local SMTP server (aiosmtpd) and report
messages per second. Run with `make bench` (or `.venv/bin/python bench/notifications.py`).

The database is a fresh SQLite file in a temporary folder, or the PostgreSQL database named by
BENCH_DATABASE_URL (a scratch database: the benchmark migrates it and fills it). The SMTP server
runs in its own process and counts distinct Message-IDs, so the figure includes a real SMTP
conversation per message and the per-message commits that make delivery exactly-once.
"""

import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "10000"))


def smtp_server(port_pipe, stop_event, result_pipe):
    import asyncio  # noqa: F401 - aiosmtpd runs its own loop in a thread
    import socket

    from aiosmtpd.controller import Controller

    class Counter:
        def __init__(self):
            self.ids = set()
            self.total = 0

        async def handle_DATA(self, server, session, envelope):
            self.total += 1
            for line in envelope.content.split(b"\r\n"):
                if line[:11].lower() == b"message-id:":
                    self.ids.add(line[11:].strip())
                    break
                if not line:
                    break
            return "250 2.0.0 Ok: queued"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    port_pipe.send(port)
    stop_event.wait()
    controller.stop()
    result_pipe.send((handler.total, len(handler.ids)))


def configure(port: int, workdir: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    os.environ["EGOV_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "NOTIFY_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "NOTIFY_EMAIL_FROM": "thongbao@dichvucong.cantho.gov.vn",
            "NOTIFY_SMS_PROVIDER": "off",
            "NOTIFY_ZALO_PROVIDER": "off",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def queue(count: int) -> float:
    from django.db import transaction

    from egov.notifications import events, services
    from egov.notifications.services import Contact

    context = events.DOSSIER_RECEIVED.sample
    started = time.perf_counter()
    for start in range(0, count, 1000):
        with transaction.atomic():
            for i in range(start, min(count, start + 1000)):
                services.notify(
                    "dossier.received",
                    recipient=Contact(email=f"cong.dan.{i:05d}@example.vn"),
                    context=context,
                )
    return time.perf_counter() - started


def drain(_index=None) -> int:
    from django.db import connections

    from egov.notifications import delivery

    connections.close_all()
    return delivery.deliver_pending().sent


def run(workers: int, workdir: Path, port: int) -> dict:
    from django.core.management import call_command
    from django.db import connections

    from egov.notifications.models import Notification

    call_command("flush", "--no-input", verbosity=0)
    queue_seconds = queue(MESSAGES)
    connections.close_all()
    started = time.perf_counter()
    if workers == 1:
        sent = drain()
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            sent = sum(pool.map(drain, range(workers)))
    seconds = time.perf_counter() - started
    assert Notification.objects.filter(status="sent").count() == MESSAGES, "not all sent"
    return {
        "workers": workers,
        "messages": sent,
        "seconds": round(seconds, 2),
        "messages_per_second": round(sent / seconds, 1),
        "queue_seconds": round(queue_seconds, 2),
        "queued_per_second": round(MESSAGES / queue_seconds, 1),
    }


def main():
    ctx = multiprocessing.get_context("spawn")
    port_recv, port_send = ctx.Pipe(duplex=False)
    result_recv, result_send = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    server = ctx.Process(target=smtp_server, args=(port_send, stop, result_send), daemon=True)
    server.start()
    port = port_recv.recv()
    with tempfile.TemporaryDirectory(prefix="egov-bench-") as tmp:
        workdir = Path(tmp)
        configure(port, workdir)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", "--no-input", verbosity=0)
        vendor = connection.vendor
        results = [run(workers, workdir, port) for workers in (1, 2)]
        connection.close()
    stop.set()
    received, distinct = result_recv.recv()
    server.join(timeout=10)
    assert distinct == received == MESSAGES * len(results), (received, distinct)

    print(f"Notifications: {MESSAGES} queued e-mails delivered to a local SMTP server ({vendor})")
    print(f"{'workers':>8} {'seconds':>8} {'msg/s':>8} {'queueing msg/s':>15}")
    for row in results:
        print(
            f"{row['workers']:>8} {row['seconds']:>8} {row['messages_per_second']:>8} "
            f"{row['queued_per_second']:>15}"
        )
    print(f"SMTP server received {received} messages, {distinct} distinct Message-IDs.")
    report = {
        "benchmark": "notifications.email_delivery",
        "database": vendor,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "results": results,
        "smtp_received": received,
        "smtp_distinct_message_ids": distinct,
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "notifications.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
