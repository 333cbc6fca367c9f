"""Benchmark of citizen reports (docs/feedback.md): with N reports in PostgreSQL, Open311
``GET requests`` by area and status, the staff queue, and ``POST requests`` with a 2 MB photo.

    .venv/bin/python bench/feedback.py --reports 1000000

A scratch database (--database, dropped first) is migrated and loaded with the demo city
(`load_demo`: Cần Thơ's 103 communes and wards, their People's Committees, the demo
categories), a schematic grid of commune boundaries over the benchmark area (so that posting
exercises routing by the boundary that holds the point; not real boundaries), then N reports
made by one INSERT … SELECT: 70 % around the city centre (normal, σ ≈ 3 km), 30 % spread over
the area, received over two years; those of the last 60 days are open or answered, older ones
answered or closed.

Each figure is timed in this process through Django's test client (the view, the queries and
the JSON or HTML, no network; rate limits counted in Redis): --runs requests each. Posting
scans every photo with a real clamd (started here with a one-signature database) when clamd is
installed, and says so.
"""

import argparse
import io
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
SERVER = "postgresql://postgres@127.0.0.1:5432"
SOUTH, WEST, NORTH, EAST = 9.85, 105.55, 10.25, 105.95
CENTRE = (10.03, 105.77)
GRID = (10, 11)  # rows, columns of schematic communes over the area
PASSWORD = "bench-egov-2026"  # noqa: S105 - a throw-away benchmark database


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(latencies: list[float], sizes: list[int] | None = None, cpu=None) -> dict:
    """Wall-clock percentiles, with this process's CPU time per request (what the machine's
    other work cannot stretch) and the load average, since the machine is shared."""
    ms = [value * 1000 for value in latencies]
    result = {
        "runs": len(ms),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }
    if cpu:
        result["cpu_p50_ms"] = round(statistics.median(cpu) * 1000, 1)
        result["cpu_p95_ms"] = round(percentile(cpu, 95) * 1000, 1)
    if sizes:
        result["rows_median"] = statistics.median(sizes)
        result["rows_max"] = max(sizes)
    return result


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(name: str, workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    os.environ["EGOV_VAR_DIR"] = str(workdir)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_OPEN311_READ_RATE"] = "100000/m"
    # Rate limits count in Redis, as a city runs them (the database cache is the embedded
    # default: two writes a request).
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")
    os.environ["NOTIFY_SMS_PROVIDER"] = "off"
    os.environ["NOTIFY_ZALO_PROVIDER"] = "off"
    import django

    django.setup()


def load_city() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with redirect_stdout(io.StringIO()):
        call_command("load_demo")


def load_grid() -> list[tuple[int, int, int, int]]:
    """Schematic square boundaries for the communes, row by row over the area."""
    from django.utils import timezone

    from egov.feedback import services
    from egov.organizations.models import AdministrativeUnit, Agency

    communes = list(
        AdministrativeUnit.objects.as_of(timezone.localdate())
        .filter(level=3, parent__code="92")
        .order_by("code")
    )
    rows, columns = GRID
    height, width = (NORTH - SOUTH) / rows, (EAST - WEST) / columns
    features, cells = [], []
    committees = dict(
        Agency.objects.as_of(timezone.localdate())
        .filter(kind="ubnd", unit__in=communes)
        .values_list("unit_id", "pk")
    )
    for index, unit in enumerate(communes[: rows * columns]):
        row, column = divmod(index, columns)
        south, west = SOUTH + row * height, WEST + column * width
        ring = [
            [west, south],
            [west + width, south],
            [west + width, south + height],
            [west, south + height],
            [west, south],
        ]
        features.append(
            {
                "properties": {"code": unit.code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
        cells.append((row, column, unit.pk, committees.get(unit.pk, "NULL")))
    services.load_boundaries(features, actor=None, source="bench grid")
    return cells


FILL = """
CREATE TEMP TABLE bench_grid (gy int, gx int, commune_id bigint, agency_id bigint);
INSERT INTO bench_grid VALUES {cells};
CREATE TEMP TABLE bench_points AS
SELECT i,
       CASE WHEN random() < 0.7
            THEN least(greatest({lat0} + 0.027 * sqrt(-2 * ln(1 - random()))
                                 * cos(2 * pi() * random()), {south}), {north} - 1e-6)
            ELSE {south} + random() * ({north} - {south}) END AS lat,
       CASE WHEN random() < 0.7
            THEN least(greatest({lon0} + 0.027 * sqrt(-2 * ln(1 - random()))
                                 * cos(2 * pi() * random()), {west}), {east} - 1e-6)
            ELSE {west} + random() * ({east} - {west}) END AS lon,
       now() - random() * interval '730 days' AS received,
       random() AS r1, random() AS r2, floor(random() * 6)::int AS category_index
  FROM generate_series(1, {count}) AS i;
INSERT INTO feedback_report (
    code, token, province_code, category_id, description, public_description, attributes, status,
    agency_id, latitude, longitude, cell, address, commune_id, place_source, contact_name,
    contact_email, contact_phone, source, device_id, media_url, received_at, due_at, answered_at,
    closed_at, answer, hidden_reason, reopen_count, rating_comment, updated_at,
    media_url_status, media_url_attempts, media_url_error)
SELECT 'PA-' || to_char(p.received, 'YYMM') || '-B' || lpad(p.i::text, 8, '0'),
       gen_random_uuid(), '92', c.id,
       'Phản ánh tạo cho đo hiệu năng số ' || p.i, '', '{{}}',
       s.status,
       coalesce(g.agency_id, c.agency_id), p.lat, p.lon,
       floor((p.lat + 90) / 0.01)::bigint * 100000 + floor((p.lon + 180) / 0.01)::bigint,
       '', g.commune_id, 'map', '', '', '', 'portal', '', '',
       p.received, p.received + interval '5 days',
       CASE WHEN s.status IN ('answered', 'closed')
            THEN p.received + p.r2 * interval '8 days' END,
       CASE WHEN s.status = 'closed'
            THEN p.received + p.r2 * interval '8 days' + interval '1 day' END,
       CASE WHEN s.status IN ('answered', 'closed') THEN 'Đã xử lý.' ELSE '' END,
       '', 0, '', p.received,
       '', 0, ''
  FROM bench_points p
  CROSS JOIN LATERAL (
       SELECT CASE WHEN p.received > now() - interval '60 days'
                   THEN CASE WHEN p.r1 < 0.3 THEN 'new' WHEN p.r1 < 0.6 THEN 'in_progress'
                             ELSE 'answered' END
                   ELSE CASE WHEN p.r1 < 0.1 THEN 'answered' ELSE 'closed' END END AS status) s
  JOIN (SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS n FROM feedback_category) c
    ON c.n = p.category_index % (SELECT count(*) FROM feedback_category)
  LEFT JOIN bench_grid g
    ON g.gy = floor((p.lat - {south}) / ({north} - {south}) * {rows})
   AND g.gx = floor((p.lon - {west}) / ({east} - {west}) * {columns});
DROP TABLE bench_points;
"""


def fill(count: int, cells: list) -> float:
    from django.db import connection

    started = time.perf_counter()
    sql = FILL.format(
        cells=", ".join(f"({a}, {b}, {c}, {d})" for a, b, c, d in cells),
        lat0=CENTRE[0],
        lon0=CENTRE[1],
        south=SOUTH,
        north=NORTH,
        west=WEST,
        east=EAST,
        rows=GRID[0],
        columns=GRID[1],
        count=count,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute("ANALYZE feedback_report")
    return time.perf_counter() - started


def near_centre(rng: random.Random) -> tuple[float, float]:
    if rng.random() < 0.7:
        return rng.gauss(CENTRE[0], 0.027), rng.gauss(CENTRE[1], 0.027)
    return rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)


def time_open311(client, rng: random.Random, runs: int, radius: int) -> dict:
    results = {}
    for status in ("open", "closed"):
        latencies, sizes, cpu = [], [], []
        for _ in range(runs):
            lat, lon = near_centre(rng)
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(
                "/open311/v2/requests.json",
                {"lat": f"{lat:.6f}", "long": f"{lon:.6f}", "radius": radius, "status": status},
            )
            latencies.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200, response.content[:300]
            sizes.append(len(response.json()))
        results[status] = summary(latencies, sizes, cpu)
    return results


def busiest_agency():
    from django.db.models import Count

    from egov.feedback.models import Report
    from egov.organizations.models import Agency

    row = (
        Report.objects.filter(status__in=Report.OPEN)
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return Agency.objects.get(pk=row["agency"]), row["n"]


def time_queue(client, runs: int) -> dict:
    from egov.accounts import services as accounts
    from egov.accounts.models import Role, User

    agency, open_reports = busiest_agency()
    officer = User.objects.filter(username="bench.officer").first()
    if officer is None:  # --reuse finds the one made before
        officer = accounts.create_user(
            actor=None,
            username="bench.officer",
            password=PASSWORD,
            kind=User.Kind.STAFF,
            agency=agency,
            full_name="Cán bộ đo hiệu năng",
        )
        accounts.grant_role(actor=None, user=officer, role=Role.SPECIALIST, agency=agency)
    client.force_login(officer)
    results = {"agency": agency.name, "open_reports": open_reports}
    every, every_cpu = [], []
    for tab in ("new", "in_progress", "due_soon", "overdue", "answered", "closed"):
        latencies, cpu = [], []
        for page in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/staff/feedback/", {"tab": tab, "page": 1 + page % 3})
            latencies.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200
        results[tab] = summary(latencies, cpu=cpu)
        every += latencies
        every_cpu += cpu
    results["all_tabs"] = summary(every, cpu=every_cpu)
    client.logout()
    return results


def photo(rng: random.Random) -> bytes:
    """A 12-megapixel phone photo of about 2 MB: smooth colour fields with sensor-like noise
    (pure noise would be the worst case of JPEG, not a photo), with a GPS position in its EXIF."""
    from PIL import Image

    base = Image.frombytes("RGB", (64, 48), rng.randbytes(64 * 48 * 3))
    base = base.resize((4000, 3000), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    image = Image.blend(base, noise, 0.1)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (10, 1, 48.0), 3: "E", 4: (105, 46, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def start_clamd(workdir: Path):
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(binary).exists():
        return None, None
    home = workdir / "clamd"
    (home / "db").mkdir(parents=True, exist_ok=True)
    (home / "db" / "bench.hdb").write_text("44d88612fea8a8f36de82e1278abb02f:68:Egov.Test.EICAR\n")
    socket_path = home / "clamd.sock"
    config = home / "clamd.conf"
    config.write_text(
        f"DatabaseDirectory {home / 'db'}\nLocalSocket {socket_path}\nPidFile {home / 'pid'}\n"
        f"LogFile {home / 'log'}\nForeground yes\nUser root\nStreamMaxLength 50M\n"
    )
    process = subprocess.Popen(  # noqa: S603 - the system's clamd with our own config
        [binary, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        if socket_path.exists():
            return process, str(socket_path)
        time.sleep(0.1)
    process.terminate()
    return None, None


def time_posts(client, runs: int, rng: random.Random, socket_path: str | None) -> dict:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.accounts.models import User
    from egov.feedback import services

    if socket_path:
        settings.EGOV_MALWARE_SCANNER = "clamd"
        settings.EGOV_CLAMD_SOCKET = socket_path
    else:
        settings.EGOV_MALWARE_SCANNER = "none"
    admin = User.objects.filter(is_superuser=True).first()
    _client, key = services.issue_api_key(
        actor=admin, name="Bench", contact_email="bench@example.vn", requests_per_minute=100_000
    )
    data = photo(rng)
    latencies = []
    started_all = time.perf_counter()
    for index in range(runs):
        lat, lon = near_centre(rng)
        started = time.perf_counter()
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": key,
                "service_code": "rac-thai",
                "lat": f"{lat:.6f}",
                "long": f"{lon:.6f}",
                "description": f"Rác tồn đọng ở đầu hẻm, lần đo {index}.",
                "attribute[loai-rac]": "sinh-hoat",
                "email": "nguoi.dan@example.vn",
                "media": SimpleUploadedFile("IMG.jpg", data, content_type="image/jpeg"),
            },
        )
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    seconds = time.perf_counter() - started_all
    return {
        **summary(latencies),
        "photo_bytes": len(data),
        "reports_per_second": round(runs / seconds, 2),
        "malware_scan": "clamd (one-signature database)" if socket_path else "off (no clamd)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--database", default="egov_bench_feedback")
    parser.add_argument("--runs", type=int, default=200, help="requests per read figure")
    parser.add_argument("--queue-runs", type=int, default=60, help="requests per queue tab")
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--radius", type=int, default=500, help="metres, for GET by area")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="egov-bench-feedback-"))
    if not args.reuse:
        create_database(args.database)
    setup_django(args.database, workdir)
    from django.test import Client

    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "reports": args.reports,
    }
    if not args.reuse:
        started = time.perf_counter()
        load_city()
        cells = load_grid()
        result["setup_seconds"] = round(time.perf_counter() - started, 1)
        result["fill_seconds"] = round(fill(args.reports, cells), 1)
    client = Client()
    client.get("/open311/v2/services.json")  # warm up: imports, connections, caches
    result["open311_get_by_area_and_status"] = time_open311(client, rng, args.runs, args.radius)
    result["staff_queue"] = time_queue(client, args.queue_runs)
    process, socket_path = start_clamd(workdir)
    try:
        result["open311_post_with_2mb_photo"] = time_posts(client, args.posts, rng, socket_path)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "feedback.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"Citizen reports benchmark, {args.reports:,} reports in PostgreSQL")
    print(
        f"{'figure':<40} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'cpu p95':>8} {'load':>5}"
        f" {'rows':>6}"
    )
    for status, figures in result["open311_get_by_area_and_status"].items():
        label = f"GET requests ({args.radius} m, status={status})"
        print(
            f"{label:<40} {figures['p50_ms']:>7} {figures['p95_ms']:>7} {figures['p99_ms']:>7}"
            f" {figures['cpu_p95_ms']:>8} {figures['load_average_1m']:>5}"
            f" {figures['rows_median']:>6}"
        )
    queue = result["staff_queue"]
    for tab in ("new", "in_progress", "due_soon", "overdue", "answered", "closed", "all_tabs"):
        figures = queue[tab]
        label = f"staff queue, {tab}"
        print(
            f"{label:<40} {figures['p50_ms']:>7} {figures['p95_ms']:>7} {figures['p99_ms']:>7}"
            f" {figures['cpu_p95_ms']:>8} {figures['load_average_1m']:>5}"
        )
    posts = result["open311_post_with_2mb_photo"]
    print(
        f"{'POST requests, 2 MB photo':<40} {posts['p50_ms']:>7} {posts['p95_ms']:>7}"
        f" {posts['p99_ms']:>7}   {posts['reports_per_second']} reports/s ({posts['malware_scan']})"
    )
    print(f"busiest agency: {queue['agency']} ({queue['open_reports']:,} open reports)")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
