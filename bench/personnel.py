"""Benchmark: civil servant records at the size of Cần Thơ (30,000 people, 20 events each).

    .venv/bin/python bench/personnel.py --database postgres      # make bench runs this
    .venv/bin/python bench/personnel.py --database sqlite --people 5000

Builds a fresh database, loads the demo city, generates the people and their careers from a
seed (egov.personnel.generate: the same seed gives the same people), then times, in-process
through Django's test client as a Home Affairs personnel officer who covers the whole city (so
the figures include routing, the session, the scope, the queries, the audit record of each
opening and the template; not the network):

- the search page (a fixed mix of names with and without accents, record numbers, filters),
- a person's page (random records; each opening writes its audit record),
- the city-wide staffing report (every agency, every column),

and the import of a workbook of N new people with their recruitments (N people rows and N event
rows, checked and written in one transaction). Prints a table and writes
var/bench/personnel-<database>.json.
"""

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SEED = 20261207
TARGET_MS = 100
SEARCHES = [
    {"q": "nguyen van"},
    {"q": "Nguyễn Thị Lan"},
    {"q": "tran"},
    {"q": "LÊ MINH"},
    {"q": "pham thu hang"},
    {"q": "vo"},
    {"q": "huynh ngoc"},
    {"q": "BM000123"},
    {"q": "", "status": "active"},
    {"q": "hai", "status": "retired"},
    {"q": "dung", "status": ""},
]


def prepare(database: str) -> str:
    if database == "sqlite":
        path = ROOT / "var" / "bench" / "personnel.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS egov_bench_personnel")
        c.execute("CREATE DATABASE egov_bench_personnel")
    return "postgres://postgres@127.0.0.1:5432/egov_bench_personnel"


def generate_people(count: int, events: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from egov.organizations.models import Agency
    from egov.personnel import generate

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = timezone.localdate()
    agencies = list(Agency.objects.as_of(today).exclude(parent=None).order_by("code"))
    generator = generate.Generator(
        SEED, agencies, today=today, events=events, id_numbers_from=500_000
    )
    start = time.perf_counter()
    people, written = generate.write(
        (generator.person(n, f"BM{n:06d}") for n in range(1, count + 1)), generator
    )
    seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"people": people, "events": written, "agencies": len(agencies), "seconds": seconds}


def reused() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from egov.personnel.models import CareerEvent, CivilServant

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    people, events = CivilServant.objects.count(), CareerEvent.objects.count()
    return {"people": people, "events": events, "agencies": None, "seconds": None}


def timed(client, url: str, params=None) -> tuple[float, float]:
    """Wall time and this process's CPU time (the web side alone; on a shared machine the wall
    time also holds the waits for a core), in ms."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, params or {})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, (time.process_time() - cpu) * 1000


def measure(rounds: int) -> dict[str, list[float]]:
    from django.test import Client

    from egov.accounts.models import User
    from egov.personnel.models import CivilServant

    client = Client()
    client.force_login(User.objects.get(username="tochuc.snv"))
    rng = random.Random(SEED)
    ids = list(CivilServant.objects.values_list("public_id", flat=True))
    for query in SEARCHES:  # warm the connection, the caches and the query plans
        timed(client, "/staff/personnel/", query)
    timed(client, "/staff/personnel/staffing/")
    results = {"search": [], "person": [], "staffing": []}
    for _ in range(rounds):
        for query in SEARCHES:
            results["search"].append(timed(client, "/staff/personnel/", query))
        for public_id in rng.sample(ids, 10):
            results["person"].append(timed(client, f"/staff/personnel/{public_id}/"))
        results["staffing"].append(timed(client, "/staff/personnel/staffing/"))
    return results


def import_rows(count: int) -> dict:
    from openpyxl import Workbook

    from egov.accounts.models import User
    from egov.personnel import spreadsheet
    from egov.personnel.models import CivilServant

    rng = random.Random(SEED + 1)
    agencies = ["000.00.03.H13", "000.00.10.H13", "000.00.04.H13", "000.00.09.H13"]
    book = Workbook(write_only=True)
    people = book.create_sheet("Cán bộ")
    people.append(
        [
            "Số hiệu",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Trình độ chuyên môn cao nhất",
        ]
    )
    events = book.create_sheet("Diễn biến")
    events.append(["Số hiệu", "Diễn biến", "Ngày hiệu lực", "Số quyết định", "Ngày ký", "Người ký",
                   "Mã cơ quan", "Loại cán bộ", "Mã ngạch", "Bậc"])  # fmt: skip
    for n in range(1, count + 1):
        code = f"IM{n:06d}"
        year = rng.randint(1965, 2000)
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
        sex = rng.choice(["Nam", "Nữ"])
        people.append([code, f"Người Nhập {n}", sex, born, "Kinh", "Đại học"])
        on = f"01/{rng.randint(1, 12):02d}/{year + 25}"
        events.append([code, "Tuyển dụng", on, f"{n}/QĐ-NV", on, "Lê Thị Nội Vụ",
                       rng.choice(agencies), "Công chức", "01.003", 1])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    before = CivilServant.objects.count()
    start = time.perf_counter()
    result = spreadsheet.import_workbook(
        data, actor=User.objects.get(username="tochuc.snv"), filename="bench.xlsx"
    )
    seconds = time.perf_counter() - start
    assert result.ok, result.report.errors[:5]
    assert CivilServant.objects.count() == before + count
    return {"rows": count * 2, "people": count, "bytes": len(data), "seconds": seconds}


def summary(pairs: list[tuple[float, float]]) -> dict:
    timings = sorted(wall for wall, _cpu in pairs)
    cpu = sorted(cpu for _wall, cpu in pairs)

    def pct(values, p):
        return values[min(len(values) - 1, int(len(values) * p / 100))]

    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(pct(timings, 95), 1),
        "p99_ms": round(pct(timings, 99), 1),
        "max_ms": round(timings[-1], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(pct(cpu, 95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--people", type=int, default=30000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=30000, dest="import_rows")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the pages again on the database of the last run (migrated, not refilled)",
    )
    args = parser.parse_args()
    if args.reuse and args.database == "postgres":
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/egov_bench_personnel"
    elif args.reuse:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'personnel.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = prepare(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    os.environ["EGOV_VAR_DIR"] = tempfile.mkdtemp()
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    loaded = reused() if args.reuse else generate_people(args.people, args.events)
    took = f"in {loaded['seconds']:.0f} s" if loaded["seconds"] else "(reused)"
    print(
        f"records    people={loaded['people']} events={loaded['events']} "
        f"({loaded['events'] / loaded['people']:.1f} each) agencies={loaded['agencies']} {took}"
    )
    pages = {name: summary(t) for name, t in measure(args.rounds).items()}
    for name, figures in pages.items():
        print(
            f"{name:<10} requests={figures['requests']:<5} p50={figures['p50_ms']:.1f}ms "
            f"p95={figures['p95_ms']:.1f}ms p99={figures['p99_ms']:.1f}ms "
            f"cpu p95={figures['cpu_p95_ms']:.1f}ms (target p95 < {TARGET_MS} ms)"
        )
    imported = import_rows(args.import_rows) if args.import_rows else None
    if imported:
        print(
            f"import     rows={imported['rows']} ({imported['people']} people + their "
            f"recruitments) in {imported['seconds']:.1f} s "
            f"({imported['rows'] / imported['seconds']:.0f} rows/s)"
        )
    result = {
        "benchmark": "civil servant records",
        "load_average": os.getloadavg(),
        "database": args.database,
        "seed": SEED,
        "generated": loaded,
        "pages": pages,
        "import": imported,
        "target_p95_ms": TARGET_MS,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"personnel-{args.database}.json").write_text(json.dumps(result, indent=2))
    over = [name for name, figures in pages.items() if figures["p95_ms"] >= TARGET_MS]
    if over:
        sys.exit(f"p95 is over the {TARGET_MS} ms target: {', '.join(over)}")


if __name__ == "__main__":
    main()
