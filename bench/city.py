"""City-scale benchmark: the platform as deployed on this machine under load, each figure beside
the same database work done directly in SQL by pgbench (docs/performance.md).

    .venv/bin/python bench/city.py --dossiers 100000          # generate, then measure
    .venv/bin/python bench/city.py --reuse --database NAME    # measure an existing database

It generates the city (bench/generate.py) unless --reuse, starts gunicorn (--workers sync
workers), the database task worker (`manage.py db_worker`) and the notification sender, and runs
each scenario from a separate load process (bench/load.py, asyncio + aiohttp) for a bounded time:

1. dossier submission over the citizen API: start, attach a small PDF per required paper,
   submit, each citizen with a personal access token;
2. public tracking by code, each request carrying another client address (X-Forwarded-For, as
   the city's reverse proxy passes it), so the per-address rate limit (30 a minute) does its
   full work but never refuses. The platform believes that header only from reverse proxies it
   is told about (EGOV_NUM_PROXIES, default 0); the benchmark runs it as deployed behind one
   (EGOV_NUM_PROXIES=1), the load process standing in for that proxy;
3. the desk's work queues (HTML page and staff API, per tab) and dossier search (code, name
   without accents, CCCD, phone), with a signed-in staff session made with Django's session
   store; skipped with a message while the platform answers 404 at those addresses;
4. the yearly statistics report: the city's year with the most dossiers, the per-agency
   drill-down and the busiest agency's year (`/api/v1/reports/...`), after recounting the
   generated dossiers into the statistics' aggregates (`rebuild_reports`), beside pgbench
   running the same aggregate SQL. bench/report_scale.py measures it at a 20-million-dossier
   city's density.

Then pgbench runs the matching script (bench/raw_sql.py) with as many clients as the load had
requests in flight, and the table shows platform / raw SQL. The platform runs with
DJANGO_DEBUG=0 in the development environment, so that TOTP is not required of the staff
session (EGOV_STAFF_REQUIRE_2FA), and EGOV_MALWARE_SCANNER=none (no clamd on the upload path).
"""

import argparse
import glob
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench import generate, raw_sql  # noqa: E402

PYTHON = sys.executable
TABS = ["receive", "assign", "process", "approve", "return", "overdue"]
TAB_ROLES = {
    "receive": "desk_officer",
    "assign": "approver",
    "process": "specialist",
    "approve": "leader",
    "return": "desk_officer",
    "overdue": "desk_officer",
}
SCENARIOS = ["submission", "tracking", "staff", "report"]
REDIS_CACHE = "redis://127.0.0.1:6379/13"
TARGETS = {
    "submission": "≥ 30% of raw SQL",
    "tracking": "p99 < 20 ms, ≥ 50% of raw SQL",
    "queue": "p95 < 100 ms",
    "search": "p95 < 100 ms",
    "report": "< 500 ms",
}


def pdf_bytes(size: int) -> bytes:
    """A valid one-page PDF, padded with a comment to ``size`` bytes (a small scan)."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 595]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n"
    )
    padding = b"%" + b"x" * max(0, size - len(body) - 8) + b"\n"
    return body + padding + b"%%EOF\n"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def with_cpu(figures: dict, result: dict) -> dict:
    return {**figures, "cpu_ms_per_op": result["cpu_ms_per_op"]}


def capacity(figures: dict | None) -> float | None:
    """Operations per second the machine's cores would sustain if the work had them to itself:
    cores / CPU time per operation (web workers and database backends together)."""
    if not figures or "cpu_ms_per_op" not in figures:
        return None
    used = sum(figures["cpu_ms_per_op"].values())
    return round((os.cpu_count() or 1) * 1000 / used, 1) if used else None


def summary(latencies: list[float], seconds: float) -> dict:
    return {
        "count": len(latencies),
        "per_s": round(len(latencies) / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
    }


# -- the platform --------------------------------------------------------------------------


class Platform:
    """gunicorn and the task workers, started here and stopped by their process ids."""

    def __init__(self, url: str, workers: int, port: int, cache: str):
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "0",
            "EGOV_MALWARE_SCANNER": "none",
            "EGOV_STAFF_REQUIRE_2FA": "0",
            "LOG_LEVEL": "WARNING",
            "EGOV_VAR_DIR": str(ROOT / "var" / "bench" / "city"),
            "EGOV_PUBLIC_BASE_URL": self.base,
            "PYTHONPATH": str(ROOT / "src"),
            "CACHE_URL": REDIS_CACHE if cache == "redis" else "",
            # As behind the city's reverse proxy: the load process sends each look-up with
            # another client address in X-Forwarded-For, which is believed only with this.
            "EGOV_NUM_PROXIES": "1",
        }
        self.command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "egov.wsgi",
            "--config",
            str(ROOT / "bench" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ]
        self.processes = {}

    def start(self) -> None:
        devnull = subprocess.DEVNULL
        manage = [PYTHON, str(ROOT / "manage.py")]
        self.processes["web"] = subprocess.Popen(  # noqa: S603 - fixed commands
            self.command, env=self.env, cwd=ROOT, stdout=devnull
        )
        self.processes["tasks"] = subprocess.Popen(  # noqa: S603
            [*manage, "db_worker", "--queue-name", "default"], env=self.env, cwd=ROOT,
            stdout=devnull, stderr=devnull,
        )  # fmt: skip
        self.processes["notifications"] = subprocess.Popen(  # noqa: S603
            [*manage, "deliver_notifications", "--loop"], env=self.env, cwd=ROOT,
            stdout=devnull, stderr=devnull,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        answer = None
        while time.monotonic() < deadline:
            try:
                answer = get(self.base, "/healthz", {})
                if answer[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                answer = exc
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz within 180 s: {answer}")

    def web_workers(self) -> list[int]:
        master = self.processes["web"].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]

    def meters(self, database: str) -> dict:
        return {"web": self.web_workers, "database": backends(database, "")}

    def peak_rss(self) -> dict:
        """VmHWM (the peak resident set) of each process, in MiB."""

        def hwm(pid: int) -> float:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
            return 0.0

        workers = [hwm(pid) for pid in self.web_workers()]
        return {
            "web_worker_max_mib": max(workers),
            "web_workers_mib": workers,
            "task_worker_mib": hwm(self.processes["tasks"].pid),
            "notification_sender_mib": hwm(self.processes["notifications"].pid),
        }

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float | None:
    """User + system CPU time a process has used, in ms (None once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) * TICK_MS


class CpuMeter(threading.Thread):
    """Adds up the CPU time the processes named by ``pids()`` use while it runs: the web
    workers, and the PostgreSQL backends serving the benchmark's database. Figures per
    operation do not depend on what else the machine is doing, unlike rates and latencies."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.first = {pid: cpu_ms(pid) for pid in pids()}
        self.last = dict(self.first)
        self.running = True

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(0.2)

    def sample(self) -> None:
        for pid in self.pids():
            value = cpu_ms(pid)
            if value is not None:
                self.first.setdefault(pid, 0.0)  # born during the run: all of it counts
                self.last[pid] = value

    def stop(self) -> float:
        self.running = False
        self.join()
        self.sample()
        return sum(self.last[pid] - (self.first[pid] or 0.0) for pid in self.last)


def backends(database: str, application: str | None):
    """The PostgreSQL backend processes connected to ``database`` (by application name)."""
    import psycopg

    def pids():
        with psycopg.connect(f"{generate.SERVER}/postgres", autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid, application_name FROM pg_stat_activity "
                "WHERE datname = %s AND backend_type = 'client backend'",
                [database],
            ).fetchall()
        return [pid for pid, name in rows if application is None or name == application]

    return pids


def get(base: str, path: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def run_load(plan: dict, meters: dict) -> dict:
    """Runs bench/load.py; ``meters`` ({name: pids function}) measure CPU from the end of its
    warm-up to its end, reported per operation."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    try:
        process = subprocess.Popen(  # noqa: S603
            [PYTHON, str(ROOT / "bench" / "load.py"), handle.name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in process.stderr:
            if line.strip() == "measuring":
                break
        running = {name: CpuMeter(pids) for name, pids in meters.items()}
        for meter in running.values():
            meter.start()
        output, errors = process.communicate()
        used = {name: meter.stop() for name, meter in running.items()}
        if process.returncode != 0:
            raise RuntimeError(f"the load generator failed: {errors[-2000:]}")
    finally:
        os.unlink(handle.name)
    result = json.loads(output)
    operations = max(1, len(result["latencies_ms"]))
    result["cpu_ms_per_op"] = {name: round(ms / operations, 2) for name, ms in used.items()}
    return result


# -- raw SQL --------------------------------------------------------------------------------


def pgbench_binary() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    if not found:
        raise SystemExit("pgbench not found under /usr/lib/postgresql/*/bin")
    return found[-1]


def pgbench(database: str, scripts: dict, clients: int, seconds: int, variables: dict) -> dict:
    """Runs pgbench with ``scripts`` ({text: weight}); returns its rate and latency spread."""
    with tempfile.TemporaryDirectory(prefix="egov-pgbench-") as folder:
        arguments = []
        for index, (text, weight) in enumerate(scripts.items()):
            path = Path(folder) / f"script{index}.sql"
            path.write_text(text)
            arguments += ["-f", f"{path}@{weight}"]
        for name, value in variables.items():
            arguments += ["-D", f"{name}={value}"]
        command = [
            pgbench_binary(), "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "simple",
            "-c", str(clients), "-j", "1", "-T", str(seconds), "-l",
            "--log-prefix", f"{folder}/log", *arguments, database,
        ]  # fmt: skip
        meter = CpuMeter(backends(database, "pgbench"))
        meter.start()
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        used = meter.stop()
        if result.returncode != 0:
            raise RuntimeError(f"pgbench failed: {result.stderr[-2000:]}")
        latencies = []
        for log in Path(folder).glob("log*"):
            for line in log.read_text().splitlines():
                latencies.append(int(line.split()[2]) / 1000)
        rate = float(re.search(r"tps = ([\d.]+) \(without", result.stdout).group(1))
    return {
        **summary(latencies, seconds),
        "per_s": round(rate, 1),
        "clients": clients,
        "cpu_ms_per_op": {"database": round(used / max(1, len(latencies)), 2)},
    }


def fill_picks(connection, table: str, columns: str, rows: list[tuple]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} (n integer PRIMARY KEY, {columns})")
        width = len(rows[0]) if rows else 0
        marks = ", ".join(["%s"] * (width + 1))
        cursor.executemany(
            f"INSERT INTO {table} VALUES ({marks})",  # noqa: S608
            [(index + 1, *row) for index, row in enumerate(rows)],
        )
    connection.commit()
    return len(rows)


# -- preparing the scenarios ---------------------------------------------------------------


def answers_for(schema: dict) -> dict:
    """Answers that satisfy an e-form's JSON Schema (its required fields)."""
    answers = {}
    for name in schema.get("required", []):
        field = schema["properties"][name]
        if "enum" in field:
            answers[name] = field["enum"][0]
        elif field.get("type") == "integer":
            answers[name] = max(1, field.get("minimum", 1))
        elif field.get("type") == "number":
            answers[name] = 1
        elif field.get("type") == "boolean":
            answers[name] = True
        elif field.get("format") == "date":
            answers[name] = "2026-11-02"
        elif field.get("type") == "array":
            answers[name] = []
        else:
            answers[name] = "Nguyễn Văn An"[: field.get("maxLength", 200)]
    return answers


def submission_data(citizens: int, pdf_size: int, rng: random.Random) -> dict:
    """The procedure with the fewest papers to upload among the fully online commune-level
    ones, the communes a citizen may apply in, and a token for each of ``citizens``."""
    from django.db import transaction
    from django.utils import timezone

    from egov.accounts import tokens
    from egov.accounts.models import User
    from egov.catalog import eforms
    from egov.catalog.search import current_versions
    from egov.organizations.models import Agency

    best = None
    for version in current_versions().filter(online_mode="full", level="commune"):
        if version.deciding_agency_id is not None:
            continue
        uploads = [
            r.pk
            for r in version.requirements.filter(mandatory=True)
            if not r.registry and (r.originals or r.copies) and "pdf" in (r.accepted_types or [])
        ]
        answers = answers_for(version.form_schema)
        valid = not eforms.validate_data(version.form_schema, answers)
        if uploads and valid and (best is None or len(uploads) < len(best[1])):
            best = (version, uploads, answers)
    version, uploads, answers = best
    committees = Agency.objects.as_of(timezone.localdate()).filter(
        kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level=3
    )
    communes = list(committees.values_list("unit__code", "pk"))
    people = list(User.objects.filter(kind=User.Kind.CITIZEN).order_by("pk")[:citizens])
    with transaction.atomic():
        issued = [tokens.create(person, name="bench", days=1)[1] for person in people]
    dossiers = [
        {"procedure_code": version.procedure.code, "commune_code": code, "answers": answers}
        for code, _ in communes
    ]
    return {
        "version": version,
        "uploads": uploads,
        "answers": answers,
        "communes": communes,
        "people": people,
        "plan": {
            "tokens": issued,
            "dossiers": dossiers,
            "requirements": uploads,
            "pdf_hex": pdf_bytes(pdf_size).hex(),
        },
    }


def tracking_codes(connection, count: int, rng: random.Random) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM dossiers_dossier")
        top = cursor.fetchone()[0]
        ids = [rng.randint(1, top) for _ in range(count * 2)]
        cursor.execute(
            "SELECT code FROM dossiers_dossier WHERE id = ANY(%s) AND code IS NOT NULL "
            "AND status <> 'draft' AND idempotency_key NOT LIKE 'raw-%%'",
            [ids],
        )
        return [code for (code,) in cursor.fetchall()][:count]


def staff_session(user) -> str:
    """A signed-in session for ``user``, as the login view would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def queue_data(connection, rng: random.Random) -> dict:
    """The busiest agency's officers (a session and a token each) and search queries drawn
    from its dossiers: codes, names without accents, CCCD and phone numbers."""
    from django.db import transaction

    from egov.accounts import tokens
    from egov.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_agency_id, count(*) FROM dossiers_dossier "
            "WHERE current_agency_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        agency, open_count = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM dossiers_dossier WHERE receiving_agency_id = %s", [agency]
        )
        received = cursor.fetchone()[0]
        cursor.execute(
            "SELECT d.code, d.applicant_search, u.citizen_id, u.phone, d.public_id::text "
            "FROM dossiers_dossier d "
            "JOIN accounts_user u ON u.id = d.applicant_id "
            "WHERE (d.receiving_agency_id = %s OR d.deciding_agency_id = %s) "
            "AND d.code IS NOT NULL ORDER BY d.id DESC LIMIT 2000",
            [agency, agency],
        )
        rows = cursor.fetchall()
    picked = rng.sample(rows, min(50, len(rows)))
    probe = (rows[-1][0], rows[-1][4])  # the oldest of the sample: on no tab's first page
    queries = (
        [("code", r[0]) for r in picked]
        + [("name", r[1]) for r in picked]
        + [("cccd", r[2]) for r in picked if r[2]]
        + [("phone", r[3]) for r in picked if r[3]]
    )
    officers = {}
    with transaction.atomic():
        for role in sorted(set(TAB_ROLES.values())):
            user = User.objects.filter(
                role_assignments__agency_id=agency, role_assignments__role=role
            ).first()
            officers[role] = {
                "user": user.pk,
                "session": staff_session(user),
                "token": tokens.create(user, name="bench", days=1)[1],
            }
    return {
        "agency": agency,
        "open": open_count,
        "received": received,
        "queries": queries,
        "probe": probe,
        "officers": officers,
    }


# -- the scenarios -------------------------------------------------------------------------


def scenario_submission(args, service, data, connection, database) -> dict:
    plan = {
        "scenario": "submission",
        "base_url": service.base,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "data": data["plan"],
    }
    result = run_load(plan, service.meters(database))
    web = with_cpu(summary(result["latencies_ms"], result["seconds"]), result)
    fill_picks(
        connection,
        "bench_pick_agency",
        "agency_id bigint, version_id bigint, procedure_id bigint",
        [(pk, data["version"].pk, data["version"].procedure_id) for _, pk in data["communes"]],
    )
    fill_picks(
        connection, "bench_pick_citizen", "user_id bigint", [(p.pk,) for p in data["people"]]
    )
    write_chain_heads(connection)
    script = raw_sql.submission(
        data["uploads"], args.pdf_size, json.dumps(data["answers"], ensure_ascii=False)
    )
    raw = pgbench(
        database,
        {script: 1},
        args.concurrency,
        args.seconds,
        {"agencies": len(data["communes"]), "citizens": len(data["people"])},
    )
    parts = {
        name: summary(values, result["seconds"]) for name, values in result["parts_ms"].items()
    }
    remove_raw_dossiers(connection)
    return {"platform": web, "raw": raw, "requests": parts, "errors": result["errors"]}


def write_chain_heads(connection) -> None:
    """The audit chain heads of the picked agencies, which the platform writes with an agency's
    first audit record and the raw script expects (bench_pick_agency filled)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditchainhead (chain, last_seq, last_hash) "
            "SELECT agency_id, 0, repeat('0', 64) FROM bench_pick_agency "
            "ON CONFLICT (chain) DO NOTHING"
        )
    connection.commit()


def remove_raw_dossiers(connection) -> None:
    """The raw submissions leave dossiers behind; later scenarios should not find them.

    Besides the script's own rows, the dossier-agency rows that the database's trigger
    (migration dossiers/0010) wrote for them."""
    raw = "SELECT id FROM dossiers_dossier WHERE idempotency_key LIKE 'raw-%'"
    with connection.cursor() as cursor:
        for table in ("dossiers_attachment", "dossiers_dossierevent", "dossiers_dossieragency"):
            cursor.execute(f"DELETE FROM {table} WHERE dossier_id IN ({raw})")  # noqa: S608
        cursor.execute("DELETE FROM dossiers_dossier WHERE idempotency_key LIKE 'raw-%'")
    connection.commit()


def scenario_tracking(args, service, codes, connection, database) -> dict:
    result = run_load(
        {
            "scenario": "tracking",
            "base_url": service.base,
            "concurrency": args.concurrency,
            "seconds": args.seconds,
            "data": {"codes": codes},
        },
        service.meters(database),
    )
    web = with_cpu(summary(result["latencies_ms"], result["seconds"]), result)
    fill_picks(connection, "bench_pick_code", "code text", [(c,) for c in codes])
    raw = pgbench(
        database, {raw_sql.TRACKING: 1}, args.concurrency, args.seconds, {"codes": len(codes)}
    )
    return {"platform": web, "raw": raw, "errors": result["errors"]}


def staff_requests(base: str, data: dict, kind: str) -> tuple[list, list[str]]:
    """(path, headers, part) for each tab and query, and what was skipped and why."""
    from urllib.parse import urlencode

    requests, skipped = [], []
    officers = data["officers"]

    def headers(role):
        officer = officers[role]
        if kind == "api":
            return {"Authorization": f"Bearer {officer['token']}"}
        return {"Cookie": f"sessionid={officer['session']}"}

    path = "/staff/dossiers/" if kind == "html" else "/api/v1/staff/dossiers"
    status, _ = get(base, f"{path}?tab=receive", headers("desk_officer"))
    if status == 404:
        return [], [f"{kind}: {path} answers 404 (not on this build yet)"]
    if status != 200:
        return [], [f"{kind}: {path} answers {status}"]
    for tab in TABS:
        requests.append(
            (f"{path}?{urlencode({'tab': tab})}", headers(TAB_ROLES[tab]), f"queue:{tab}")
        )
    # Search works when asking for a code finds that dossier (the page links to it by its public
    # id, the API names its code), which the unfiltered answer (its newest dossiers) does not.
    code, public_id = data["probe"]
    marker = (public_id if kind == "html" else code).encode()
    _, plain = get(base, path, headers("desk_officer"))
    status, body = get(base, f"{path}?{urlencode({'q': code})}", headers("desk_officer"))
    if status == 200 and marker in body and marker not in plain:
        for query_kind, query in data["queries"]:
            requests.append(
                (
                    f"{path}?{urlencode({'q': query})}",
                    headers("desk_officer"),
                    f"search:{query_kind}",
                )
            )
    else:
        skipped.append(f"{kind}: ?q=<code> does not find an old dossier by its code yet")
    return requests, skipped


def scenario_staff(args, service, data, connection, database) -> dict:
    from egov.core.text import normalize_search_text
    from egov.dossiers.worklists import name_keys_query

    results, skipped = {}, []
    for kind in ("html", "api"):
        requests, why = staff_requests(service.base, data, kind)
        skipped += why
        if not requests:
            continue
        figures = {"parts": {}}
        for part in ("queue", "search"):
            chosen = [r for r in requests if r[2].startswith(f"{part}:")]
            if not chosen:
                figures[part] = None
                continue
            result = run_load(
                {
                    "scenario": "pages",
                    "base_url": service.base,
                    "concurrency": args.staff_concurrency,
                    "seconds": args.seconds,
                    "data": {"requests": chosen},
                },
                service.meters(database),
            )
            figures[part] = with_cpu(summary(result["latencies_ms"], result["seconds"]), result)
            figures["parts"].update(
                {
                    name: summary(values, result["seconds"])
                    for name, values in result["parts_ms"].items()
                }
            )
            figures.setdefault("errors", {}).update(result["errors"])
        results[kind] = figures
    numbered, per_kind = [], {}
    for kind, query in data["queries"]:
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if kind == "name":  # the name keys' query the platform builds, as an SQL literal
            words = normalize_search_text(query).split()
            query = name_keys_query(words, [data["agency"]]).replace("'", "''")
        numbered.append((kind, per_kind[kind], query))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_pick_query")
        cursor.execute(
            "CREATE TABLE bench_pick_query (kind text, n integer, q text, PRIMARY KEY (kind, n))"
        )
        cursor.executemany("INSERT INTO bench_pick_query VALUES (%s, %s, %s)", numbered)
    connection.commit()
    variables = {
        "agency": data["agency"],
        "user": data["officers"]["specialist"]["user"],
        **{f"{kind}_queries": count for kind, count in per_kind.items()},
    }
    clients = args.staff_concurrency
    raw_queue = pgbench(
        database, {raw_sql.queue(tab): 1 for tab in TABS}, clients, args.seconds, variables
    )
    raw_search = pgbench(
        database, {raw_sql.search(kind): 1 for kind in per_kind}, clients, args.seconds, variables
    )
    return {
        "agency_id": data["agency"],
        "agency_open_dossiers": data["open"],
        "agency_dossiers": data["received"],
        "platform": results,
        "raw_queue": raw_queue,
        "raw_search": raw_search,
        "skipped": skipped,
    }


def report_data(connection) -> dict:
    """The year with the most dossiers received and the busiest agency. This year counts up to
    today (a database generated over one year has most of its dossiers in it); the day is the
    platform's (Vietnam's), as the reports API takes it."""
    year = connection.execute(
        "SELECT extract(year FROM month)::int AS y FROM reports_monthtally GROUP BY y "
        "ORDER BY sum(received_online + received_desk + received_post) DESC LIMIT 1"
    ).fetchone()
    if year is None:
        return {}
    agency = connection.execute(
        "SELECT a.code FROM reports_monthtally t JOIN organizations_agency a ON a.id = t.agency_id "
        "WHERE extract(year FROM t.month) = %s GROUP BY a.code "
        "ORDER BY sum(t.opened) DESC LIMIT 1",
        [year[0]],
    ).fetchone()
    today = connection.execute("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date").fetchone()
    return {"year": year[0], "agency": agency[0], "today": today[0]}


def scenario_report(args, service, data: dict, database: str) -> dict:
    status, _ = get(service.base, "/api/v1/reports/yearly", {})
    if status == 404:
        return {"skipped": "the yearly statistics report is not on this build"}
    if not data:
        return {"skipped": "no statistics: the tallies are empty (run rebuild_reports)"}
    year = data["year"]
    requests = [
        (f"/api/v1/reports/yearly?year={year}", {}, "report:city"),
        (f"/api/v1/reports/agencies?year={year}", {}, "report:agencies"),
        (f"/api/v1/reports/yearly?year={year}&agency={data['agency']}", {}, "report:agency"),
    ]
    for path, _headers, _part in requests:
        status, body = get(service.base, path, {})
        if status != 200:
            return {"skipped": f"{path} answers {status}: {body[:200]!r}"}
    result = run_load(
        {
            "scenario": "pages",
            "base_url": service.base,
            "concurrency": args.staff_concurrency,
            "seconds": args.seconds,
            "data": {"requests": requests},
        },
        service.meters(database),
    )
    figures = with_cpu(summary(result["latencies_ms"], result["seconds"]), result)
    figures["parts"] = {
        name: summary(values, result["seconds"]) for name, values in result["parts_ms"].items()
    }
    figures["errors"] = result["errors"]
    script = raw_sql.report(year, data["today"])
    raw = pgbench(database, {script: 1}, args.staff_concurrency, args.seconds, {})
    return {"year": year, "agency": data["agency"], "platform": figures, "raw": raw}


def rebuild_reports(connection) -> float | None:
    """Generated dossiers were written with COPY, past the signals that keep the statistics:
    recount them (the operator's `rebuild_reports`) unless that was done already (or the
    tallies were filled directly, by bench/report_scale.py)."""
    done = connection.execute(
        "SELECT EXISTS (SELECT 1 FROM reports_dossierfact) "
        "OR EXISTS (SELECT 1 FROM reports_monthtally)"
    ).fetchone()[0]
    if done:
        return None
    from egov.reports import satisfaction, tallies

    started = time.perf_counter()
    tallies.rebuild()
    satisfaction.rebuild()
    return round(time.perf_counter() - started, 1)


# -- output ---------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    import psycopg

    with psycopg.connect(f"{generate.SERVER}/postgres") as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        buffers = connection.execute("SHOW shared_buffers").fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "postgresql": version,
        "shared_buffers": buffers,
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_flush() -> None:
    """Empties the benchmark's Redis database (13): every run starts with a cold cache (the
    tracking answers are cached per code for 5 minutes, and the codes come from the seed)."""
    with socket.create_connection(("127.0.0.1", 6379), timeout=2) as connection:
        connection.sendall(b"SELECT 13\r\nFLUSHDB\r\n")
        answer = b""
        while answer.count(b"\r\n") < 2:  # both replies: the database was emptied
            answer += connection.recv(64) or b"\r\n\r\n"


def ratio(web: dict, raw: dict) -> float | None:
    if not web or not raw or not raw.get("per_s"):
        return None
    return round(web["per_s"] / raw["per_s"], 3)


def cpu_text(figures: dict | None) -> str:
    if not figures or "cpu_ms_per_op" not in figures:
        return " " * 13
    cpu = figures["cpu_ms_per_op"]
    if "web" in cpu:
        return f"{cpu['web']:>6.1f}+{cpu['database']:<6.1f}"
    return f"{'':>6} {cpu['database']:<6.1f}"


def row(name, web, raw, target, note="") -> str:
    if web is None:
        return f"{name:<20} {'skipped':>8}  {note}"
    share = ratio(web, raw)
    share_text = f"{share:>6.1%}" if share is not None else " " * 6
    mine, theirs = capacity(web), capacity(raw)
    cpu_share = f"{mine / theirs:>6.1%}" if mine and theirs else " " * 6
    raw_text = f"{raw['per_s']:>8.1f} {raw['p95_ms']:>7.1f}" if raw else " " * 16
    return (
        f"{name:<20} {web['per_s']:>8.1f} {web['p50_ms']:>7.1f} {web['p95_ms']:>7.1f} "
        f"{web['p99_ms']:>7.1f} | {raw_text} | {share_text} | {cpu_text(web)} {cpu_text(raw)} "
        f"{cpu_share} | {target} {note}"
    )


def print_table(result: dict) -> None:
    print(
        f"\ncity benchmark: {result['dossiers']:,} dossiers, {result['workers']} gunicorn workers, "
        f"{result['concurrency']} requests in flight ({result['staff_concurrency']} for staff)"
    )
    print(f"{'':<20} {'platform':>33} | {'raw SQL':>16} | {'':>6} | {'CPU ms per op':>27} |")
    print(
        f"{'scenario':<20} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} | "
        f"{'per s':>8} {'p95 ms':>7} | {'ratio':>6} | {'web+db':>13} {'raw db':>13} "
        f"{'ratio':>6} | target"
    )
    s = result["scenarios"]
    if "submission" in s:
        sub = s["submission"]
        print(row("submission (whole)", sub["platform"], sub["raw"], TARGETS["submission"]))
        for part, figures in sub["requests"].items():
            print(row(f"  {part}", figures, None, ""))
    if "tracking" in s:
        track = s["tracking"]
        print(row("tracking by code", track["platform"], track["raw"], TARGETS["tracking"]))
    if "staff" in s:
        staff = s["staff"]
        for kind in ("html", "api"):
            figures = staff["platform"].get(kind)
            if figures is None:
                print(row(f"queue {kind}", None, None, "", "skipped"))
                continue
            print(row(f"queue {kind}", figures["queue"], staff["raw_queue"], TARGETS["queue"]))
            search = figures["search"]
            print(row(f"search {kind}", search, staff["raw_search"], TARGETS["search"]))
        for reason in staff["skipped"]:
            print(f"  skipped: {reason}")
    if "report" in s:
        report = s["report"]
        if "skipped" in report:
            print(f"{'yearly report':<20} skipped ({TARGETS['report']}): {report['skipped']}")
        else:
            print(row("yearly report (all)", report["platform"], report["raw"], TARGETS["report"]))
            for part, figures in report["platform"]["parts"].items():
                print(row(f"  {part}", figures, None, ""))
    memory = result["memory"]
    print(
        f"peak RSS: web worker {memory['web_worker_max_mib']} MiB, task worker "
        f"{memory['task_worker_mib']} MiB, "
        f"notification sender {memory['notification_sender_mib']} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--database", default="egov_bench_city")
    parser.add_argument(
        "--years",
        type=float,
        default=3,
        help="period the dossiers are spread over; shorter means more a day, so longer queues",
    )
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--staff-concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=20, help="per scenario (max 600)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pdf-size", type=int, default=30_000)
    parser.add_argument("--index-mode", choices=["keep", "rebuild"], default="keep")
    parser.add_argument(
        "--without-attachment-rows",
        action="store_true",
        help="generate no attachment rows (about 1.1 GiB per million dossiers), to fit a disk",
    )
    parser.add_argument(
        "--cache",
        choices=["redis", "database"],
        default="redis",
        help="the shared cache behind rate limits: Redis (at scale) or the database (default "
        "of a small installation)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=SCENARIOS, default=SCENARIOS, help="scenarios to run"
    )
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600)
    if args.cache == "redis" and not redis_answers():
        print("Redis does not answer on 127.0.0.1:6379: the database cache is measured instead")
        args.cache = "database"
    if args.cache == "redis":
        redis_flush()
    generated = None
    if not args.reuse:
        generated = generate.generate(
            argparse.Namespace(
                dossiers=args.dossiers, seed=args.seed, database=args.database, years=args.years,
                now=None, citizens=None, extra_communes=generate.HCMC_COMMUNES - 103,
                index_mode=args.index_mode, batch=20_000,
                without_attachment_rows=args.without_attachment_rows,
            )
        )  # fmt: skip
        generate.print_report(generated)
    url = f"{generate.SERVER}/{args.database}"
    os.environ["EGOV_MALWARE_SCANNER"] = "none"
    generate.setup_django(url)
    import psycopg
    from django.db import connection as django_connection

    rng = random.Random(args.seed)
    result = {
        "benchmark": "city",
        "database": args.database,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "staff_concurrency": args.staff_concurrency,
        "seconds_per_scenario": args.seconds,
        "cache": args.cache,
        "machine": machine(),
        "generated": generated,
        "scenarios": {},
    }
    with psycopg.connect(url) as connection:
        result["dossiers"] = connection.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[
            0
        ]
        submission = submission_data(200, args.pdf_size, rng)
        codes = tracking_codes(connection, 5000, rng) if "tracking" in args.only else []
        staff = queue_data(connection, rng) if "staff" in args.only else {}
        connection.commit()
        reports = {}
        if "report" in args.only:
            result["reports_rebuild_s"] = rebuild_reports(connection)
            reports = report_data(connection)
            connection.commit()
        django_connection.close()
        service = Platform(url, args.workers, args.port, args.cache)
        try:
            service.start()
            scenarios = result["scenarios"]
            if "submission" in args.only:
                scenarios["submission"] = scenario_submission(
                    args, service, submission, connection, args.database
                )
            if "tracking" in args.only:
                scenarios["tracking"] = scenario_tracking(
                    args, service, codes, connection, args.database
                )
            if "staff" in args.only:
                scenarios["staff"] = scenario_staff(args, service, staff, connection, args.database)
            if "report" in args.only:
                scenarios["report"] = scenario_report(args, service, reports, args.database)
            result["memory"] = service.peak_rss()
        finally:
            service.stop()
        for table in (
            "bench_pick_agency",
            "bench_pick_citizen",
            "bench_pick_code",
            "bench_pick_query",
        ):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.commit()
    print_table(result)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"city-{result['dossiers']}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"written to {path.relative_to(ROOT)}")
    if not args.keep:
        generate.drop_database(args.database)


if __name__ == "__main__":
    main()
