"""Through a database restart, a crash and a stop, under load (docs/operations.md, "A database
outage").

A private PostgreSQL (initdb in a temporary folder, its own port) serves the web server
(gunicorn), the task worker and the notification sender, started as in production. Citizens
submit dossiers through the API and a desk officer receives them while the database is restarted
(fast), killed (kill -9 of the postmaster, started again 10 s later) and stopped for 30 s. Then:
nothing acknowledged is lost, no Idempotency-Key made two dossiers, the web answered only 503
problem documents with Retry-After while the database was away, every process is still running,
the queues drained, and /healthz said 503 while it was down and "stalled" once a worker stops.

It starts its own PostgreSQL whatever DATABASE_URL says, so it runs once in CI: in the pass on
SQLite.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CRASH_PAUSE = 10  # seconds between the kill -9 and the start
STOP_PAUSE = 30  # seconds the database is stopped


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own; as root it runs as the ``postgres`` user."""

    def __init__(self, folder: Path):
        self.bin = _postgres_bin()
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/egov"
        self.as_user = os.geteuid() == 0

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "egov")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def restart_fast(self) -> None:
        # The log file again: without one the server would hold our output pipe open.
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def kill(self) -> None:
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def sql(self, query: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as connection:
            return connection.execute(query).fetchall()


class Client(threading.Thread):
    """A citizen submitting dossiers (create with an Idempotency-Key, attach, submit), retrying
    after each 503 as told; every answer is kept."""

    def __init__(self, base: str, token: str, plan: dict, name: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.plan, self.name_, self.stop = base, plan, name, stop
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.answers: list[tuple[int, str, str]] = []  # status, content type, Retry-After
        self.errors: list[str] = []
        self.created: dict[str, str] = {}  # Idempotency-Key -> dossier id
        self.submitted: dict[str, str] = {}  # dossier id -> code

    def call(self, method: str, path: str, **kwargs) -> requests.Response | None:
        while True:
            try:
                response = self.session.request(method, self.base + path, timeout=30, **kwargs)
            except requests.RequestException as exc:
                self.errors.append(f"{method} {path}: {exc.__class__.__name__}")
                return None
            self.answers.append(
                (
                    response.status_code,
                    response.headers.get("Content-Type", ""),
                    response.headers.get("Retry-After", ""),
                )
            )
            if response.status_code != 503:
                return response
            time.sleep(0.5)  # shorter than Retry-After, so the load goes on through the outage

    def run(self) -> None:
        try:
            self.work()
        except Exception as exc:  # a client that dies must fail the test, not go quiet
            self.errors.append(f"{self.name_} died: {exc!r}")

    def work(self) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            key = f"{self.name_}-{number}"
            created = self.call(
                "POST",
                "/api/v1/dossiers",
                json={
                    "procedure_code": self.plan["procedure_code"],
                    "commune_code": self.plan["commune_code"],
                    "answers": self.plan["answers"],
                },
                headers={"Idempotency-Key": key},
            )
            if created is None or created.status_code not in (200, 201):
                self._unexpected("create", created)
                continue
            dossier = created.json()["id"]
            self.created[key] = dossier
            attached = self.call(
                "POST",
                f"/api/v1/dossiers/{dossier}/attachments",
                data={"requirement_id": str(self.plan["requirement_id"])},
                files={"file": ("to-khai.pdf", PDF, "application/pdf")},
            )
            if attached is None or attached.status_code != 201:
                self._unexpected("attach", attached)
                continue
            submitted = self.call("POST", f"/api/v1/dossiers/{dossier}/submit")
            if submitted is None or submitted.status_code != 200:
                self._unexpected("submit", submitted)
                continue
            self.submitted[dossier] = submitted.json()["code"]

    def _unexpected(self, what: str, response) -> None:
        if response is not None:
            self.errors.append(f"{what}: {response.status_code} {response.text[:200]}")


class Desk(Client):
    """The desk officer receiving whatever was submitted (each receipt queues a notification)."""

    received = 0

    def work(self) -> None:
        while not self.stop.is_set():
            listed = self.call("GET", "/api/v1/staff/dossiers", params={"tab": "receive"})
            if listed is None or listed.status_code != 200:
                self._unexpected("list", listed)
                time.sleep(0.5)
                continue
            for item in listed.json()["items"][:5]:
                detail = self.call("GET", f"/api/v1/staff/dossiers/{item['code']}")
                if detail is None or detail.status_code != 200:
                    self._unexpected("detail", detail)
                    continue
                done = self.call(
                    "POST",
                    f"/api/v1/staff/dossiers/{item['code']}/actions/receive",
                    json={"revision": detail.json()["revision"]},
                )
                if done is not None and done.status_code == 200:
                    self.received += 1
                elif done is not None and done.status_code not in (409, 422):
                    self._unexpected("receive", done)
            time.sleep(0.2)


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n167\n%%EOF\n"
)


@pytest.fixture
def platform(tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs once, in the test pass on SQLite: it starts a PostgreSQL of its own")
    if _postgres_bin() is None:
        pytest.fail("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    # Not under pytest's folder: as root, that is closed to the postgres user.
    database = PrivatePostgres(Path(tempfile.mkdtemp(prefix="egov-restart-pg-")))
    database.init()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_DEBUG": "false",
        "EGOV_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EGOV_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "EGOV_MALWARE_SCANNER": "none",
        "EGOV_HEARTBEAT_SECONDS": "1",
        "EGOV_HEARTBEAT_STALE_SECONDS": "4",
        "EGOV_TASK_QUEUE_STALE_SECONDS": "4",
        "EGOV_OUTAGE_MAX_BACKOFF_SECONDS": "2",
        # A message claimed when the database was killed is taken again when its lease ends (300 s
        # in production); scaled down so that the drain below can wait for it.
        "NOTIFY_LEASE_SECONDS": "10",
        "LOG_LEVEL": "WARNING",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    plan = json.loads(
        subprocess.run(
            [PYTHON, "-m", "tests.core.restart_data"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    commands = {
        "web": [
            str(Path(PYTHON).parent / "gunicorn"),
            "egov.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        "tasks": [
            *manage,
            "db_worker",
            "--queue-name",
            "default",
            "--no-reload",
            "--interval",
            "0.2",
        ],
        "notifications": [*manage, "deliver_notifications", "--loop", "--interval", "0.2"],
    }
    processes = {
        name: subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=(logs / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for name, command in commands.items()
    }
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code in (200, 503):
                break
        except requests.RequestException:  # not listening yet, or still loading
            time.sleep(0.2)
    yield database, base, plan, processes, env, logs
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    database.stop()
    shutil.rmtree(database.folder, ignore_errors=True)


def _logs(logs: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(logs.iterdir()))


def _wait_until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def test_the_platform_comes_through_a_database_restart_crash_and_stop(platform):
    database, base, plan, processes, env, logs = platform
    stop = threading.Event()
    clients = [
        Client(base, token, plan, f"citizen{index}", stop)
        for index, token in enumerate(plan["citizen_tokens"])
    ]
    desk = Desk(base, plan["officer_token"], plan, "desk", stop)
    for client in [*clients, desk]:
        client.start()

    health_while_down: list[tuple[int, str]] = []

    def probe_health():
        response = requests.get(f"{base}/healthz", timeout=10)
        health_while_down.append((response.status_code, response.headers.get("Retry-After", "")))

    time.sleep(5)
    database.restart_fast()
    time.sleep(5)
    database.kill()
    time.sleep(CRASH_PAUSE)
    database.start()
    time.sleep(5)
    database.stop()
    stopped_at = time.monotonic()
    time.sleep(2)
    probe_health()
    while time.monotonic() - stopped_at < STOP_PAUSE:
        time.sleep(1)
    probe_health()
    database.start()
    time.sleep(8)
    stop.set()
    for client in [*clients, desk]:
        client.join(timeout=60)

    # Only 503 problem documents with Retry-After while the database was away; no 500.
    answers = [answer for client in [*clients, desk] for answer in client.answers]
    statuses = {status for status, _, _ in answers}
    assert statuses <= {200, 201, 409, 422, 503}, (statuses, _logs(logs))
    unavailable = [answer for answer in answers if answer[0] == 503]
    assert unavailable, "the clients never met the outage"
    assert all(kind == "application/problem+json" and retry for _, kind, retry in unavailable)
    errors = [error for client in [*clients, desk] for error in client.errors]
    assert errors == [], errors
    assert health_while_down and all(status == 503 and retry for status, retry in health_while_down)

    # Every process is still running.
    assert {name: process.poll() for name, process in processes.items()} == {
        "web": None,
        "tasks": None,
        "notifications": None,
    }, _logs(logs)

    # Nothing acknowledged is lost; no key made two dossiers; codes are unique.
    created = {key: dossier for client in clients for key, dossier in client.created.items()}
    submitted = {d: code for client in clients for d, code in client.submitted.items()}
    assert len(submitted) >= 10 and desk.received >= 5
    stored = dict(database.sql("SELECT public_id::text, coalesce(code, '') FROM dossiers_dossier"))
    assert set(created.values()) <= set(stored)
    assert all(stored[dossier] == code for dossier, code in submitted.items())
    assert (
        database.sql(
            "SELECT idempotency_key FROM dossiers_dossier WHERE idempotency_key <> '' "
            "GROUP BY idempotency_key HAVING count(*) > 1"
        )
        == []
    )
    assert (
        database.sql(
            "SELECT code FROM dossiers_dossier WHERE code IS NOT NULL "
            "GROUP BY code HAVING count(*) > 1"
        )
        == []
    )

    # The queues drain by themselves.
    def waiting() -> list:
        return database.sql(
            "SELECT (SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "        WHERE status IN ('READY', 'RUNNING')),"
            "       (SELECT count(*) FROM notifications_notification "
            "        WHERE status IN ('queued', 'sending'))"
        )

    def drained() -> bool:
        return waiting() == [(0, 0)]

    assert _wait_until(drained, 60), (f"tasks, notifications waiting: {waiting()}", _logs(logs))
    assert database.sql("SELECT count(*) FROM notifications_notification")[0][0] >= desk.received
    audit = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "verify_audit"], env=env, cwd=ROOT, capture_output=True
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    health = requests.get(f"{base}/healthz", timeout=10).json()
    assert health["status"] == "ok", health
    assert health["workers"]["tasks"]["status"] == "ok"
    assert health["workers"]["notifications"]["status"] == "ok"

    # A stopped worker: its queue stalls and its heartbeat goes silent, and /healthz says so.
    processes["tasks"].send_signal(signal.SIGTERM)
    processes["tasks"].wait(timeout=20)
    enqueue = "from egov.notifications.tasks import deliver_notifications as t; t.enqueue()"
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", enqueue], env=env, cwd=ROOT, check=True
    )

    def stalled() -> bool:
        body = requests.get(f"{base}/healthz", timeout=10).json()
        return (
            body["tasks"]["status"] == "stalled" and body["workers"]["tasks"]["status"] == "silent"
        )

    assert _wait_until(stalled, 30), json.dumps(requests.get(f"{base}/healthz", timeout=10).json())
