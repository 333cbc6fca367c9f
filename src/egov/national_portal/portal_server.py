"""A local National Public Service Portal for development, the demo, the tests and the benchmark:
it speaks the integration protocol of ``client.py`` (DongBoHoSoMC, CapNhatTienDoHoSoMC,
TraCuuHoSo, LayDanhSachTTHC, LayThuTuc), checks the fields and formats the real portal checks,
keeps what it accepted in a SQLite file and answers a call it already accepted (same
Idempotency-Key) with its first answer, so a retry never makes a second dossier or step.

It is a separate program, as the portal is: ``manage.py serve_national_portal --port 8792``. For
the tests it can be told to be down (every call 503) or to refuse a dossier with an error code,
in process (``PortalState``) or over HTTP at ``/_control/…``. It never runs inside the platform.

Like the real portal it wants a session token: ``POST /api/auth`` with ``{"username",
"password"}`` answers ``{"session", "error_code": 0, "expires_in"}``; every call carries it as
``session`` in its body, and a call with a session unknown or past its expiry is answered HTTP
401 with ``error_code`` "401".
"""

import argparse
import json
import re
import secrets
import sqlite3
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 10 * 1024 * 1024
PORTAL_TIME = re.compile(r"\d{14}")
SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    idempotency_key TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    dossier_code TEXT NOT NULL,
    payload TEXT NOT NULL,
    answer TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_dossier ON calls (dossier_code, received_at);
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
# The fields the portal refuses a call without (error code "-1", as it answers).
REQUIRED = {
    "DongBoHoSoMC": ("MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo", "KenhThucHien", "TrangThaiHoSo"),
    "CapNhatTienDoHoSoMC": ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai"),
}
DATES = {
    "DongBoHoSoMC": ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra"),
    "CapNhatTienDoHoSoMC": ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh"),
}


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PortalState:
    """What the portal holds, and how a test wants it to behave."""

    def __init__(
        self,
        data_dir: Path,
        *,
        accounts: dict[str, str],
        procedures: list[dict],
        session_seconds: float = 1800,
    ):
        self.accounts = accounts  # user name → password
        self.session_seconds = session_seconds
        self.sessions: dict[str, float] = {}  # session token → monotonic time it expires
        self.sessions_issued = 0
        self.procedures = {p["MaTTHC"]: p for p in procedures}
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "portal.sqlite3"
        self.lock = threading.Lock()
        self.down = False
        self.received = 0  # dossier calls received, a call sent again included
        self.updating: dict[str, str] = {}  # idempotency key → the isUpdating it came with
        # dossier code (or procedure code) → (error code, message): refused until cleared.
        self.refusals: dict[str, tuple[str, str]] = {}
        with self._db() as db:
            db.executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        # A commit per accepted call: WAL keeps it from waiting on the disk each time.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def sign_in(self, username: str, password: str) -> dict[str, Any]:
        expected = self.accounts.get(username)
        if expected is None or not secrets.compare_digest(expected, password):
            return {"error_code": "-8", "message": "sai tên đăng nhập hoặc mật khẩu"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = time.monotonic() + self.session_seconds
            self.sessions_issued += 1
        return {"error_code": 0, "session": token, "expires_in": self.session_seconds}

    def valid_session(self, token: str) -> bool:
        return self.sessions.get(token, 0.0) > time.monotonic()

    def expire_sessions(self) -> None:
        """As when the portal's sessions time out: every session given so far is refused."""
        with self.lock:
            self.sessions.clear()

    # --- dossier calls ---------------------------------------------------------------------------

    def _problem(self, service: str, item: dict) -> tuple[str, str] | None:
        missing = [name for name in REQUIRED[service] if item.get(name) in (None, "")]
        if missing:
            return "-1", f"thiếu trường bắt buộc: {', '.join(missing)}"
        for name in DATES[service]:
            if item.get(name) and not PORTAL_TIME.fullmatch(str(item[name])):
                return "-2", f"{name} phải có dạng yyyyMMddHHmmss"
        status = item.get("TrangThaiHoSo", item.get("TrangThai"))
        if str(status) not in {str(code) for code in range(1, 11)}:
            return "-3", "trạng thái hồ sơ phải từ 1 đến 10"
        for key in (item["MaHoSo"], item.get("MaTTHC", "")):
            if key in self.refusals:
                return self.refusals[key]
        return None

    def dossier_call(
        self, service: str, data: list[dict], key: str, updating: str | None = None
    ) -> dict[str, Any]:
        if len(data) != 1 or not isinstance(data[0], dict):
            return {"error_code": "-1", "message": "data phải có đúng một hồ sơ"}
        item = data[0]
        with self.lock, self._db() as db:
            self.received += 1
            if key:
                row = db.execute(
                    "SELECT answer FROM calls WHERE idempotency_key = ?", (key,)
                ).fetchone()
                if row:
                    return {**json.loads(row["answer"]), "duplicate": True}
            problem = self._problem(service, item)
            if problem is None and service == "CapNhatTienDoHoSoMC":
                known = db.execute(
                    "SELECT 1 FROM dossiers WHERE code = ?", (item["MaHoSo"],)
                ).fetchone()
                if not known:
                    problem = ("-4", "hồ sơ chưa được đồng bộ (DongBoHoSoMC)")
            if problem is not None:
                return {"error_code": problem[0], "message": problem[1]}
            # _problem above refused a call without a status; the codes come as text or numbers.
            status = str(item.get("TrangThaiHoSo", item.get("TrangThai")))
            if service == "DongBoHoSoMC":
                db.execute(
                    "INSERT INTO dossiers (code, status, record, updated_at) VALUES (?,?,?,?) "
                    "ON CONFLICT (code) DO UPDATE SET status = excluded.status, "
                    "record = excluded.record, updated_at = excluded.updated_at",
                    (item["MaHoSo"], int(status), json.dumps(item, ensure_ascii=False), _now()),
                )
            else:
                db.execute(
                    "UPDATE dossiers SET status = ?, updated_at = ? WHERE code = ?",
                    (int(status), _now(), item["MaHoSo"]),
                )
            answer = {"error_code": "0", "message": "Thành công", "MaHoSo": item["MaHoSo"]}
            if key and updating is not None:
                self.updating[key] = updating
            db.execute(
                "INSERT INTO calls VALUES (?,?,?,?,?,?)",
                (
                    key or f"{service}:{item['MaHoSo']}:{_now()}",
                    service,
                    item["MaHoSo"],
                    json.dumps(item, ensure_ascii=False),
                    json.dumps(answer),
                    _now(),
                ),
            )
        return answer

    def lookup(self, data: list[dict]) -> dict[str, Any]:
        codes = [str(item.get("MaHoSo", "")) for item in data][:1000]
        with self._db() as db:
            marks = ",".join("?" * len(codes))
            rows = db.execute(
                f"SELECT code, status, updated_at FROM dossiers WHERE code IN ({marks})",  # noqa: S608 - placeholders only
                codes,
            ).fetchall()
        return {
            "error_code": "0",
            "result": [
                {"MaHoSo": r["code"], "TrangThaiHoSo": r["status"], "NgayCapNhat": r["updated_at"]}
                for r in rows
            ],
        }

    # --- what tests read -------------------------------------------------------------------------

    def calls(self, dossier_code: str | None = None) -> list[dict[str, Any]]:
        """The calls accepted, in the order they arrived."""
        query, args = "SELECT * FROM calls", tuple[str, ...]()
        if dossier_code is not None:
            query, args = query + " WHERE dossier_code = ?", (dossier_code,)
        with self._db() as db:
            rows = db.execute(query + " ORDER BY rowid", args).fetchall()
        return [
            {
                "key": r["idempotency_key"],
                "service": r["service"],
                "dossier_code": r["dossier_code"],
                "data": json.loads(r["payload"]),
                "updating": self.updating.get(r["idempotency_key"]),
            }
            for r in rows
        ]

    def dossier(self, code: str) -> dict[str, Any] | None:
        with self._db() as db:
            row = db.execute(
                "SELECT status, record FROM dossiers WHERE code = ?", (code,)
            ).fetchone()
        return None if row is None else {"status": row["status"], **json.loads(row["record"])}

    # --- catalogue -------------------------------------------------------------------------------

    def procedure_list(self) -> dict[str, Any]:
        summary = ("MaTTHC", "TenTTHC", "MaLinhVuc", "NgayCapNhat")
        result = [{k: p.get(k, "") for k in summary} for p in self.procedures.values()]
        return {"error_code": "0", "result": result}

    def procedure(self, data: list[dict]) -> dict[str, Any]:
        code = str((data or [{}])[0].get("MaTTHC", ""))
        if code not in self.procedures:
            return {"error_code": "-5", "message": f"không có thủ tục {code}"}
        return {"error_code": "0", "result": self.procedures[code]}


def handler_for(state: PortalState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read the state
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return None
            try:
                return json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return None

        def do_GET(self) -> None:
            if self.path == "/_control/state":
                return self._answer(
                    200, {"down": state.down, "refusals": state.refusals, "calls": state.calls()}
                )
            self._answer(404, {"error_code": "404", "message": "not found"})

        def do_POST(self) -> None:
            body = self._json()
            if not isinstance(body, dict):
                return self._answer(400, {"error_code": "-1", "message": "body must be JSON"})
            if self.path.startswith("/_control/"):
                return self._control(self.path.removeprefix("/_control/"), body)
            if state.down:
                return self._answer(503, {"error_code": "503", "message": "bảo trì hệ thống"})
            if self.path == "/api/auth":
                answer = state.sign_in(str(body.get("username", "")), str(body.get("password", "")))
                return self._answer(200, answer)
            if self.path != "/api/integration":
                return self._answer(404, {"error_code": "404", "message": "not found"})
            if not state.valid_session(str(body.get("session", ""))):
                return self._answer(
                    401,
                    {"error_code": "401", "message": "phiên làm việc không hợp lệ hoặc hết hạn"},
                )
            service, data = body.get("service"), body.get("data") or []
            if service in REQUIRED:
                key = self.headers.get("Idempotency-Key", "")
                updating = body.get("isUpdating")
                return self._answer(
                    200,
                    state.dossier_call(
                        str(service), data, key, None if updating is None else str(updating)
                    ),
                )
            if service == "TraCuuHoSo":
                return self._answer(200, state.lookup(data))
            if service == "LayDanhSachTTHC":
                return self._answer(200, state.procedure_list())
            if service == "LayThuTuc":
                return self._answer(200, state.procedure(data))
            self._answer(200, {"error_code": "-9", "message": f"không có dịch vụ {service}"})

        def _control(self, what: str, body: dict[str, Any]) -> None:
            if what == "down":
                state.down = bool(body.get("down", True))
            elif what == "refuse":
                state.refusals[str(body["code"])] = (
                    str(body.get("error_code", "-6")),
                    str(body.get("message", "")),
                )
            elif what == "expire":
                state.expire_sessions()
            elif what == "accept":
                state.refusals.pop(str(body.get("code", "")), None)
            else:
                return self._answer(404, {"error_code": "404", "message": "not found"})
            self._answer(200, {"error_code": "0"})

    return Handler


def make_server(
    data_dir: Path,
    *,
    accounts: dict[str, str],
    procedures: list[dict] | None = None,
    host: str = "127.0.0.1",
    port: int = 8792,
    session_seconds: float = 1800,
) -> tuple[ThreadingHTTPServer, PortalState]:
    state = PortalState(
        data_dir, accounts=accounts, procedures=procedures or [], session_seconds=session_seconds
    )
    server = ThreadingHTTPServer((host, port), handler_for(state))
    server.daemon_threads = True
    return server, state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local National Public Service Portal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument(
        "--account", action="append", default=[], help="username=password (repeatable)"
    )
    parser.add_argument("--session-seconds", type=float, default=1800)
    parser.add_argument("--procedures", help="JSON file of national procedures (LayThuTuc)")
    parser.add_argument("--data", required=True, help="folder for what the portal keeps")
    options = parser.parse_args(argv)
    accounts = dict(item.split("=", 1) for item in options.account)
    procedures = (
        json.loads(Path(options.procedures).read_text(encoding="utf-8"))
        if options.procedures
        else []
    )
    server, _state = make_server(
        Path(options.data),
        accounts=accounts,
        procedures=procedures,
        host=options.host,
        port=options.port,
        session_seconds=options.session_seconds,
    )
    print(f"National portal on http://{options.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
