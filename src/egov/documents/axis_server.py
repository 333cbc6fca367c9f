"""A local document exchange axis for development, the demo and the tests: it speaks the protocol
of ``axis.py`` (the operations of the national axis's SDKs) and keeps messages in a SQLite file
until the receiving system confirms it took them, so a receiver that is down loses nothing.

It is a separate program, as the real axis is: ``manage.py serve_exchange_axis --port 8791
--config axis.json --data var/axis``. The configuration lists the connected systems, their
secrets and the agencies (QCVN 102 codes) each serves::

    {"systems": [{"id": "cantho", "secret": "…", "organs": [{"code": "000.00.03.H13",
                                                              "name": "Sở Tư pháp"}]}]}

It never runs inside the platform: the platform talks to it over HTTP only.
"""

import argparse
import hmac
import json
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 80 * 1024 * 1024
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    sender_system TEXT NOT NULL,
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    to_system TEXT NOT NULL,
    message_type TEXT NOT NULL,
    payload BLOB NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    confirmation TEXT,
    UNIQUE (sender_system, idempotency_key)
);
"""


class Axis:
    def __init__(self, config: dict, data_dir: Path):
        self.systems = {system["id"]: system for system in config["systems"]}
        self.organs = {
            organ["code"]: (system["id"], organ.get("name", ""))
            for system in config["systems"]
            for organ in system.get("organs", [])
        }
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "axis.sqlite3"
        self.lock = threading.Lock()
        with self._db() as db:
            db.executescript(SCHEMA)

    def _db(self):
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def authenticate(self, headers) -> str | None:
        system = self.systems.get(headers.get("systemid", ""))
        if system is None or not hmac.compare_digest(
            headers.get("secret", "").encode(), system["secret"].encode()
        ):
            return None
        return system["id"]

    def send(self, system_id, *, from_code, to_code, message_type, key, payload):
        if to_code not in self.organ_codes():
            return 404, {"status": "FAIL", "detail": f"unknown organ {to_code}"}
        if self.organs.get(from_code, (None,))[0] != system_id:
            return 403, {"status": "FAIL", "detail": f"{from_code} is not served by this system"}
        if message_type not in ("edoc", "status"):
            return 422, {"status": "FAIL", "detail": "messagetype must be edoc or status"}
        if not key or len(key) > 100:
            return 400, {"status": "FAIL", "detail": "Idempotency-Key header required"}
        with self.lock, self._db() as db:
            row = db.execute(
                "SELECT id FROM messages WHERE sender_system = ? AND idempotency_key = ?",
                (system_id, key),
            ).fetchone()
            if row:
                return 200, {"status": "OK", "docId": row["id"]}
            doc_id = uuid.uuid4().hex
            db.execute(
                "INSERT INTO messages (id, idempotency_key, sender_system, from_code, to_code, "
                "to_system, message_type, payload, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    key,
                    system_id,
                    from_code,
                    to_code,
                    self.organs[to_code][0],
                    message_type,
                    payload,
                    datetime.now(UTC).isoformat(),
                ),
            )
        return 201, {"status": "OK", "docId": doc_id}

    def organ_codes(self):
        return self.organs.keys()

    def received(self, system_id, message_type):
        with self._db() as db:
            rows = db.execute(
                "SELECT id, from_code, to_code, message_type, created_at FROM messages "
                "WHERE to_system = ? AND message_type = ? AND confirmed_at IS NULL "
                "ORDER BY created_at, id LIMIT 500",
                (system_id, message_type),
            ).fetchall()
        return [
            {
                "id": r["id"],
                "from": r["from_code"],
                "to": r["to_code"],
                "messagetype": r["message_type"],
                "created_time": r["created_at"],
            }
            for r in rows
        ]

    def fetch(self, system_id, doc_id):
        with self._db() as db:
            row = db.execute(
                "SELECT payload FROM messages WHERE id = ? AND to_system = ?", (doc_id, system_id)
            ).fetchone()
        return None if row is None else bytes(row["payload"])

    def confirm(self, system_id, doc_id, status):
        with self.lock, self._db() as db:
            changed = db.execute(
                "UPDATE messages SET confirmed_at = ?, confirmation = ? "
                "WHERE id = ? AND to_system = ? AND confirmed_at IS NULL",
                (datetime.now(UTC).isoformat(), status, doc_id, system_id),
            ).rowcount
            exists = db.execute(
                "SELECT 1 FROM messages WHERE id = ? AND to_system = ?", (doc_id, system_id)
            ).fetchone()
        return bool(changed or exists)


def handler_for(axis: Axis):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: tests and the demo read their own logs
            pass

        def _answer(self, status: int, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _system(self):
            system = axis.authenticate(self.headers)
            if system is None:
                self._answer(401, {"status": "FAIL", "detail": "invalid systemid or secret"})
            return system

        def _body(self) -> bytes | None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(413, {"status": "FAIL", "detail": "message too large"})
                return None
            return self.rfile.read(length)

        def do_GET(self):
            url = urlsplit(self.path)
            system = self._system()
            if system is None:
                return
            if url.path == "/api/v1/agencies":
                organs = [{"code": c, "name": n} for c, (_s, n) in sorted(axis.organs.items())]
                return self._answer(200, {"status": "OK", "data": organs})
            if url.path == "/api/v1/edocs/received":
                kind = parse_qs(url.query).get("messagetype", ["edoc"])[0]
                return self._answer(200, {"status": "OK", "data": axis.received(system, kind)})
            if url.path.startswith("/api/v1/edocs/"):
                payload = axis.fetch(system, url.path.rsplit("/", 1)[1])
                if payload is None:
                    return self._answer(404, {"status": "FAIL", "detail": "no such message"})
                return self._answer(200, payload, "application/xml")
            self._answer(404, {"status": "FAIL", "detail": "not found"})

        def do_POST(self):
            url = urlsplit(self.path)
            system = self._system()
            if system is None:
                return
            body = self._body()
            if body is None:
                return
            if url.path == "/api/v1/edocs":
                status, answer = axis.send(
                    system,
                    from_code=self.headers.get("from", ""),
                    to_code=self.headers.get("to", ""),
                    message_type=self.headers.get("messagetype", ""),
                    key=self.headers.get("Idempotency-Key", ""),
                    payload=body,
                )
                return self._answer(status, answer)
            if url.path.startswith("/api/v1/edocs/") and url.path.endswith("/status"):
                doc_id = url.path.split("/")[-2]
                try:
                    status = json.loads(body or b"{}").get("status", "done")
                except ValueError:
                    return self._answer(400, {"status": "FAIL", "detail": "body must be JSON"})
                if not axis.confirm(system, doc_id, status):
                    return self._answer(404, {"status": "FAIL", "detail": "no such message"})
                return self._answer(200, {"status": "OK"})
            self._answer(404, {"status": "FAIL", "detail": "not found"})

    return Handler


def make_server(config: dict, data_dir: Path, host: str = "127.0.0.1", port: int = 8791):
    return ThreadingHTTPServer((host, port), handler_for(Axis(config, data_dir)))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Local document exchange axis (edXML).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--config", required=True, help="JSON file of systems and agencies")
    parser.add_argument("--data", required=True, help="folder for the message store")
    options = parser.parse_args(argv)
    config = json.loads(Path(options.config).read_text(encoding="utf-8"))
    server = make_server(config, Path(options.data), options.host, options.port)
    print(f"Document exchange axis on http://{options.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
