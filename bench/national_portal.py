"""Benchmark: the sync with the National Public Service Portal (docs/national_portal.md).

    .venv/bin/python bench/national_portal.py                      # small: under a minute
    .venv/bin/python bench/national_portal.py --changes 5000 --seconds 60 --database postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_portal_bench \
        .venv/bin/python bench/national_portal.py --database postgres   # a database of your own

Against the local portal server (``portal_server.py``, in a thread of this process, HTTP on
loopback), with two sync workers (threads, each with its own database connection, running
``outbox.send_due`` as ``national_portal_worker --loop`` does):

1. Throughput: CHANGES calls waiting in the outbox (as after an outage), spread over DOSSIERS
   dossiers, each dossier's first call its whole record: the time until all are acknowledged,
   in changes per second.
2. Delay: changes arriving at RATE a minute for SECONDS seconds while the workers run; the p50
   and p95 time from the change (the outbox row written) to the portal's acknowledgement.

The dossiers are written straight to the database (a procedure made as the tests make one); the
outbox rows are written as ``outbox.enqueue`` writes them. Prints a line per part and writes
var/bench/national-portal-<database>.json.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
UNIT, USERNAME, PASSWORD = "000.00.00.H13", "egov-bench", "bench-portal-password"


def prepare(database: str) -> str:
    """A fresh database: on PostgreSQL the one DATABASE_URL names (dropped and made again), else
    egov_bench_national_portal on the local server."""
    name = "egov_bench_national_portal"
    if database == "sqlite":
        path = ROOT / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        server, name = url.rsplit("/", 1)
    else:
        server = "postgres://postgres@127.0.0.1:5432"
        url = f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return url


def setup_django(url: str, portal_url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="egov.settings",
        EGOV_VAR_DIR=tempfile.mkdtemp(),
        MEDIA_ROOT=tempfile.mkdtemp(),
        LOG_LEVEL="WARNING",
        # As in production: with DEBUG on, Django keeps every query of a worker in memory.
        DJANGO_DEBUG="0",
        EGOV_NATIONAL_PORTAL_ENABLED="1",
        EGOV_NATIONAL_PORTAL_URL=portal_url,
        EGOV_NATIONAL_PORTAL_UNIT_CODE=UNIT,
        EGOV_NATIONAL_PORTAL_USERNAME=USERNAME,
        EGOV_NATIONAL_PORTAL_PASSWORD=PASSWORD,
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def dossiers(count: int) -> list:
    import datetime

    from tests.catalog_fixtures import make_procedure

    from egov.accounts import services as accounts
    from egov.accounts.models import User
    from egov.dossiers.models import Dossier
    from egov.organizations import services as organizations
    from egov.organizations.models import AdministrativeUnit, Agency

    province = AdministrativeUnit.objects.create(
        code="92",
        name="Thành phố Cần Thơ",
        level=1,
        kind="thanh_pho_tw",
        valid_from=datetime.date(2025, 7, 1),
    )
    city = organizations.save_agency(
        Agency(code=UNIT, name="Ủy ban nhân dân thành phố Cần Thơ", kind="ubnd", unit=province),
        actor=None,
    )
    version = make_procedure("1.001193", "Đăng ký khai sinh", owner=city, receiving=[city.code])
    citizen = accounts.create_user(
        actor=None,
        username="congdan",
        password="a-long-bench-password-123",  # noqa: S106 - a throwaway database
        kind=User.Kind.CITIZEN,
        email="congdan@example.vn",
        full_name="Nguyễn Văn An",
    )
    return [
        Dossier.objects.create(
            code=f"{UNIT}-261130-{n:04d}",
            procedure=version.procedure,
            procedure_version=version,
            receiving_agency=city,
            applicant=citizen,
            applicant_name="Nguyễn Văn An",
            status=Dossier.Status.IN_PROGRESS,
        )
        for n in range(1, count + 1)
    ]


class Outbox:
    """Writes outbox rows as ``outbox.enqueue`` does, numbered per dossier."""

    def __init__(self, dossiers: list):
        from egov.national_portal import payloads

        self.dossiers = dossiers
        self.next = {d.pk: 1 for d in dossiers}
        self.records = {d.pk: payloads.dossier_record(d, 4) for d in dossiers}

    def row(self, n: int):
        from django.utils import timezone

        from egov.national_portal.models import OutboxMessage

        dossier = self.dossiers[n % len(self.dossiers)]
        sequence = self.next[dossier.pk]
        self.next[dossier.pk] += 1
        first = sequence == 1
        return OutboxMessage(
            dossier=dossier,
            dossier_code=dossier.code,
            sequence=sequence,
            service="DongBoHoSoMC" if first else "CapNhatTienDoHoSoMC",
            transition="advance",
            status=dossier.status,
            portal_code=4,
            next_attempt_at=timezone.now(),
            payload=self.records[dossier.pk]
            if first
            else {
                "MaHoSo": dossier.code,
                "NguoiXuLy": "Trần Chuyên",
                "TrangThai": 4,
                "ThoiDiemXuLy": "20261130090000",
                "NoiDungXuLy": f"bước {sequence}",
            },
        )


def workers(count: int, stop: threading.Event) -> list[threading.Thread]:
    def work():
        from django.db import connection

        from egov.national_portal import outbox
        from egov.national_portal.client import PortalClient

        client = PortalClient()
        while not stop.is_set():
            if not outbox.send_due(client=client, limit=200)["sent"]:
                time.sleep(0.02)
        connection.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def arrived_in_order(calls: list[dict]) -> bool:
    """Each dossier's calls reached the portal in their numbers' order, each once."""
    last: dict[str, int] = {}
    for call in calls:
        code, number = call["key"].rsplit(":", 1)
        if int(number) <= last.get(code, 0):
            return False
        last[code] = int(number)
    return True


def pct(values: list[float], p: int) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=50)
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--rate", type=int, default=1000, help="changes a minute (part 2)")
    parser.add_argument("--seconds", type=int, default=15, help="length of part 2")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from egov.national_portal import portal_server

    server, state = portal_server.make_server(
        Path(tempfile.mkdtemp()), accounts={USERNAME: PASSWORD}, port=0
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    setup_django(prepare(args.database), f"http://127.0.0.1:{server.server_address[1]}")
    from egov.national_portal.models import OutboxMessage

    box = Outbox(dossiers(args.dossiers))

    OutboxMessage.objects.bulk_create([box.row(n) for n in range(args.changes)], batch_size=500)
    stop = threading.Event()
    started = time.perf_counter()
    threads = workers(args.workers, stop)
    while OutboxMessage.objects.exclude(state="sent").exists():
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    per_second = args.changes / elapsed
    # Calls the portal received again (answered from its first answer): none should be.
    duplicates = state.received - len(state.calls())
    print(
        f"throughput  db={args.database} workers={args.workers} changes={args.changes} "
        f"dossiers={args.dossiers}: {per_second:.0f}/s ({elapsed:.1f} s), duplicates={duplicates}"
    )

    in_order = arrived_in_order(state.calls())
    # Part 2 goes on numbering each dossier's calls: new steps, not calls the portal already has.
    OutboxMessage.objects.all().delete()
    stop = threading.Event()
    threads = workers(args.workers, stop)
    interval, total = 60 / args.rate, args.rate * args.seconds // 60
    begin = time.perf_counter()
    for n in range(total):
        box.row(n).save()
        time.sleep(max(0.0, begin + (n + 1) * interval - time.perf_counter()))
    while OutboxMessage.objects.exclude(state="sent").exists():
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    delays = [
        (acked - created).total_seconds() * 1000
        for created, acked in OutboxMessage.objects.values_list("created_at", "acknowledged_at")
    ]
    in_order = in_order and arrived_in_order(state.calls())
    duplicates = state.received - len(state.calls())
    print(
        f"delay       rate={args.rate}/min for {args.seconds} s ({total} changes): "
        f"p50={pct(delays, 50):.0f} ms p95={pct(delays, 95):.0f} ms max={max(delays):.0f} ms; "
        f"in order per dossier: {in_order}, duplicates: {duplicates}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    result = {
        "database": args.database,
        "workers": args.workers,
        "changes": args.changes,
        "dossiers": args.dossiers,
        "throughput_per_second": round(per_second, 1),
        "rate_per_minute": args.rate,
        "delay_p50_ms": round(pct(delays, 50)),
        "delay_p95_ms": round(pct(delays, 95)),
        "in_order": in_order,
        "duplicates": duplicates,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"national-portal-{args.database}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
