"""Signed and logged calls per second through the data sharing platform's gateway, and the
latency the gateway adds (p50/p95) against calling the provider directly; then the log is
time-stamped and verified, and those are timed too. Prints a table; writes
var/bench/exchange.json.

    .venv/bin/python bench/exchange.py [--count 300]

One gateway process (Django's WSGI handler in this process, with a fresh SQLite database, or
the PostgreSQL database named by DATABASE_URL), the provider and the development PKI's
responders in processes of their own, as they would run on other servers. Each call is signed
by the client (ES256) inside the measured time, as a real client would.
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _migrations_key() -> str:
    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("src/egov/*/migrations/0*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def _sqlite_copy(scratch: Path) -> Path:
    """A copy of a migrated database kept in var/bench from an earlier run with the same
    migrations (migrating from nothing takes most of a minute here)."""
    template = ROOT / "var" / "bench" / f"exchange-{_migrations_key()}.sqlite3"
    target = scratch / "bench.sqlite3"
    if template.exists():
        shutil.copyfile(template, target)
    return target


def _keep_template(database: Path) -> None:
    template = ROOT / "var" / "bench" / f"exchange-{_migrations_key()}.sqlite3"
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(database, template)


def _redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/14"
    except OSError:
        return ""


def _serve_pki(directory: Path, port: int) -> None:
    from egov.signatures.devpki import http_server

    while not (directory / "pki.json").exists():
        time.sleep(0.05)
    http_server(directory, "127.0.0.1", port).serve_forever()


def _serve_provider(port: int) -> None:
    """A provider that answers with a small JSON document, threaded and keeping connections
    alive (HTTP/1.1) like a real one: the gateway's connection pool reuses them."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    answer = b'{"ho_ten": "Nguy\\u1ec5n V\\u0103n A", "nam_sinh": 1990}'

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    Server(("127.0.0.1", port), Handler).serve_forever()


def _start_gunicorn(workers: int, threads: int, app: str) -> tuple[subprocess.Popen, str]:
    """The gateway as a city runs it: gunicorn workers (threaded), on the same database; its own
    WSGI application (egov.exchange.wsgi) or the whole site's (egov.wsgi)."""
    port = _free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "egov.exchange.wsgi:application" if app == "gateway" else "egov.wsgi:application",
        "--config",
        str(ROOT / "bench" / "gunicorn_conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own command
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc); 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pids(master: int) -> list[int]:
    try:
        return [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]
    except OSError:
        return []


def _backend_pids() -> list[int]:
    """The PostgreSQL server processes serving this database (the gateway's connections)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def _redis_pids() -> list[int]:
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "redis-server":
                pids.append(int(comm.parent.name))
        except OSError:
            continue
    return pids


class CpuMeter:
    """CPU seconds spent during the measured calls, per part: the gateway (gunicorn workers, or
    this process's own time in the in-process mode), the PostgreSQL backends of this database,
    Redis (shared with whoever else uses it on this machine), the provider and the clients (this
    process, in the gunicorn mode). What the gateway costs, whatever else the machine runs."""

    def __init__(self, master: int | None, provider: int) -> None:
        self.master, self.provider = master, provider

    def _sample(self) -> dict[str, float]:
        workers = _worker_pids(self.master) if self.master else []
        own = time.process_time()
        sample = {
            "gateway": sum(_cpu_seconds(pid) for pid in workers) if self.master else own,
            "clients": own if self.master else float("nan"),
            "provider": _cpu_seconds(self.provider),
            "redis": sum(_cpu_seconds(pid) for pid in _redis_pids()),
        }
        for pid in _backend_pids():
            sample[f"pg:{pid}"] = _cpu_seconds(pid)
        return sample

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        spent = {
            name: after[name] - self.before.get(name, 0.0)
            for name in ("gateway", "clients", "provider", "redis")
        }
        spent["postgresql"] = sum(
            value - self.before.get(name, 0.0)
            for name, value in after.items()
            if name.startswith("pg:")
        )
        return spent


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="calls per measurement")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers serving the gateway (0: Django's handler in this process)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=1, help="client threads calling at once")
    parser.add_argument(
        "--app",
        choices=["gateway", "site"],
        default="gateway",
        help="with --workers: the gateway's own WSGI application or the whole site's",
    )
    args = parser.parse_args()
    if args.workers and os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"):
        raise SystemExit("--workers needs PostgreSQL: set DATABASE_URL")
    scratch = Path(tempfile.mkdtemp(prefix="egov-bench-exchange-"))
    pki_port, provider_port = _free_port(), _free_port()
    pki_url = f"http://127.0.0.1:{pki_port}"
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{_sqlite_copy(scratch)}"
    # The rate and quota counters live in the cache: Redis, as a city deploys it, when one
    # answers here (CACHE_URL), else the database cache.
    os.environ.setdefault("CACHE_URL", _redis_url())
    os.environ.update(
        DJANGO_SETTINGS_MODULE="egov.settings",
        EGOV_DEV_PKI_DIR=str(scratch / "pki"),
        EGOV_DEV_PKI_URL=pki_url,
        LOG_LEVEL="WARNING",
        DJANGO_DEBUG="0",  # no per-query bookkeeping, as in production
    )
    (scratch / "pki").mkdir()
    processes = [
        multiprocessing.Process(target=_serve_pki, args=(scratch / "pki", pki_port), daemon=True),
        multiprocessing.Process(target=_serve_provider, args=(provider_port,), daemon=True),
    ]
    for process in processes:
        process.start()

    import django

    django.setup()
    import httpx
    from cryptography.hazmat.primitives import serialization
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from egov.exchange import messagelog, services
    from egov.exchange.client import call_token
    from egov.exchange.models import Member
    from egov.signatures.devpki import DevelopmentPKI

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        _keep_template(Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")))
    if connection.vendor == "postgresql":  # a database kept from an earlier run: start empty
        from django.apps import apps

        tables = ", ".join(
            f'"{model._meta.db_table}"' for model in apps.get_app_config("exchange").get_models()
        )
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    print(f"database ready in {time.perf_counter() - started:.1f} s", flush=True)
    pki = DevelopmentPKI.create(scratch / "pki", pki_url)
    time.sleep(0.5)  # the responders start
    platform_issued = pki.issue("LGSP", organization="LGSP", key_type="ec-p256")
    messagelog.install_platform_key(platform_issued.certificate, platform_issued.key)
    provider = services.save_member(actor=None, code="p", name="Provider", kind="outside")
    consumer = services.save_member(actor=None, code="c", name="Consumer", kind=Member.Kind.OUTSIDE)
    provider_url = f"http://127.0.0.1:{provider_port}"
    service = services.publish_service(
        actor=None,
        provider=provider,
        code="echo",
        name="Echo",
        base_url=provider_url,
        openapi_document={"openapi": "3.1.0"},
    )
    issued = pki.issue("Client", organization="Consumer", key_type="ec-p256")
    pem = issued.certificate.public_bytes(serialization.Encoding.PEM).decode()
    client_system = services.register_client(
        actor=None,
        member=consumer,
        code="bench",
        name="Bench",
        certificate_pem=pem,
        rate_per_minute=10**6,
        daily_quota=10**8,
    )
    services.grant_right(
        actor=None, client=client_system, service=service, purpose="bench", legal_basis="bench"
    )
    body = json.dumps({"so_dinh_danh": "001203004567"}).encode()
    server = _start_gunicorn(args.workers, args.threads, args.app) if args.workers else None
    local = threading.local()

    def post(path: str, token: str) -> tuple[int, bytes]:
        if server is None:
            if not hasattr(local, "django"):
                local.django = Client()
            answer = local.django.post(
                f"/exchange/gateway/echo/{path}",
                body,
                content_type="application/json",
                HTTP_X_EXCHANGE_TOKEN=token,
            )
            return answer.status_code, answer.content
        if not hasattr(local, "httpx"):
            local.httpx = httpx.Client(base_url=server[1])
        reply = local.httpx.post(
            f"/exchange/gateway/echo/{path}",
            content=body,
            headers={"content-type": "application/json", "x-exchange-token": token},
        )
        return reply.status_code, reply.content

    def through_gateway(number: int) -> float:
        path = f"cong-dan/{number}"
        started = time.perf_counter()
        token = call_token(
            issued.key,  # type: ignore[arg-type]
            fingerprint=client_system.fingerprint,
            client_code="bench",
            service_code="echo",
            method="POST",
            path=path,
            body=body,
        )
        status, content = post(path, token)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"gateway answered {status}: {content!r}")
        return elapsed

    def direct(number: int) -> float:
        if not hasattr(local, "direct"):
            local.direct = httpx.Client()
        started = time.perf_counter()
        local.direct.post(f"{provider_url}/cong-dan/{number}", content=body).raise_for_status()
        return time.perf_counter() - started

    pool = ThreadPoolExecutor(max_workers=args.clients)

    def run(function: Any, numbers: range) -> list[float]:
        if args.clients == 1:  # in this thread: BENCH_PROFILE's cProfile sees only this one
            return [function(number) for number in numbers]
        return list(pool.map(function, numbers))

    warm = 10 * max(1, args.clients)
    run(through_gateway, range(-warm, 0))  # connections, caches, the key, workers
    run(direct, range(-warm, 0))
    direct_times = run(direct, range(args.count))
    meter = CpuMeter(server[0].pid if server else None, processes[1].pid)
    meter.start()
    started = time.perf_counter()
    profiling = os.environ.get("BENCH_PROFILE", "")
    if profiling:
        import cProfile

        # BENCH_PROFILE=cpu: the CPU time of this thread only (what the code costs, without the
        # waits for PostgreSQL, Redis and the provider); any other value: wall-clock time.
        profile = cProfile.Profile(time.thread_time) if profiling == "cpu" else cProfile.Profile()
        profile.enable()
    gateway_times = run(through_gateway, range(args.count))
    wall = time.perf_counter() - started
    cpu = meter.stop()
    if profiling:
        profile.disable()
        profile.dump_stats(str(scratch / "profile.out"))
        print("profile:", scratch / "profile.out")
    started = time.perf_counter()
    messagelog.stamp_pending()
    stamp_seconds = time.perf_counter() - started
    started = time.perf_counter()
    problems = list(messagelog.verify())
    verify_seconds = time.perf_counter() - started
    if problems:
        raise SystemExit(f"the log does not verify: {problems[:3]}")

    result: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "cache": os.environ["CACHE_URL"].split(":", 1)[0] or "database",
        "gateway": f"gunicorn {args.workers}×{args.threads} threads, {args.app} app"
        if args.workers
        else "in-process WSGI handler",
        "clients_at_once": args.clients,
        "load_average": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "calls": args.count,
        "calls_per_second": round(args.count / wall, 1),
        "direct_p50_ms": round(statistics.median(direct_times) * 1000, 2),
        "direct_p95_ms": round(_percentile(direct_times, 0.95) * 1000, 2),
        "gateway_p50_ms": round(statistics.median(gateway_times) * 1000, 2),
        "gateway_p95_ms": round(_percentile(gateway_times, 0.95) * 1000, 2),
        "cpu_ms_per_call": {
            name: round(value / args.count * 1000, 2) for name, value in cpu.items()
        },
        "timestamp_batch_seconds": round(stamp_seconds, 3),
        "verify_seconds": round(verify_seconds, 3),
        "log_records": args.count + warm,
    }
    result["added_p95_ms"] = round(result["gateway_p95_ms"] - result["direct_p95_ms"], 2)
    # What one call costs the platform's side (gateway, PostgreSQL, Redis), and so how many calls
    # a second two cores would carry with the clients and the provider on other machines.
    platform_ms = sum(
        result["cpu_ms_per_call"][name] for name in ("gateway", "postgresql", "redis")
    )
    result["platform_cpu_ms_per_call"] = round(platform_ms, 2)
    result["calls_per_second_on_2_cores"] = round(2000 / platform_ms) if platform_ms else None
    for name, value in result.items():
        print(f"{name:26} {value}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "exchange.json").write_text(json.dumps(result, indent=2))
    if server is not None:
        server[0].terminate()
        try:
            server[0].wait(15)
        except subprocess.TimeoutExpired:  # a worker still holds a keep-alive connection
            server[0].kill()
    for process in processes:
        process.terminate()


if __name__ == "__main__":
    main()
