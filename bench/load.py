"""The load generator: a separate process that sends HTTP requests to the platform on loopback
and reports what it measured as JSON on stdout (read by bench/city.py).

    .venv/bin/python bench/load.py plan.json

The plan names a scenario, the base URL, how many requests run at once (``concurrency``), how
long (``seconds``, bounded) and at most how many operations (``limit``), plus the scenario's data
(tokens, codes, queries). Each operation's latency is measured from before its first byte is
sent to after its last byte is read; the run stops by itself when the time or the count is up.
"""

import asyncio
import json
import random
import sys
import time

import aiohttp

MAX_SECONDS = 600  # no plan runs longer, whatever it asks


class Run:
    def __init__(self, plan: dict):
        self.plan = plan
        self.base = plan["base_url"].rstrip("/")
        if not self.base.startswith(("http://127.", "http://localhost")):
            raise SystemExit("the load generator only targets this machine's loopback")
        self.rng = random.Random(plan.get("seed", 1))

    def reset(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.remaining = self.plan.get("limit") or 10**9
        self.latencies, self.parts, self.errors = [], {}, {}

    def more(self) -> bool:
        if time.monotonic() >= self.deadline or self.remaining <= 0:
            return False
        self.remaining -= 1
        return True

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    async def timed(self, session, method, path, part, **kwargs):
        start = time.perf_counter()
        async with session.request(method, self.base + path, **kwargs) as response:
            body = await response.read()
        elapsed = (time.perf_counter() - start) * 1000
        self.parts.setdefault(part, []).append(elapsed)
        return response.status, body, elapsed

    # -- scenarios -------------------------------------------------------------------------

    async def submission(self, session, worker: int) -> None:
        data = self.plan["data"]
        pdf = bytes.fromhex(data["pdf_hex"])
        citizens = data["tokens"][worker :: self.plan["concurrency"]]
        number = 0
        while self.more():
            token = citizens[number % len(citizens)]
            number += 1
            headers = {"Authorization": f"Bearer {token}"}
            start = time.perf_counter()
            status, body, _ = await self.timed(
                session,
                "POST",
                "/api/v1/dossiers",
                "start",
                json=self.rng.choice(data["dossiers"]),
                headers={**headers, "Idempotency-Key": f"bench-{worker}-{number}-{time.time()}"},
            )
            if status != 201:
                self.error(f"start {status} {body[:200]!r}")
                continue
            dossier = json.loads(body)["id"]
            failed = False
            for requirement in data["requirements"]:
                form = aiohttp.FormData()
                form.add_field("requirement_id", str(requirement))
                form.add_field("file", pdf, filename="giay-to.pdf", content_type="application/pdf")
                status, body, _ = await self.timed(
                    session,
                    "POST",
                    f"/api/v1/dossiers/{dossier}/attachments",
                    "attachment",
                    data=form,
                    headers=headers,
                )
                if status != 201:
                    self.error(f"attachment {status} {body[:200]!r}")
                    failed = True
                    break
            if failed:
                continue
            status, body, _ = await self.timed(
                session, "POST", f"/api/v1/dossiers/{dossier}/submit", "submit", headers=headers
            )
            if status != 200 or json.loads(body)["status"] != "submitted":
                self.error(f"submit {status} {body[:200]!r}")
                continue
            self.latencies.append((time.perf_counter() - start) * 1000)

    async def tracking(self, session, worker: int) -> None:
        codes = self.plan["data"]["codes"]
        while self.more():
            code = self.rng.choice(codes)
            # Each request comes from another citizen, as through the city's reverse proxy.
            address = f"198.18.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
            status, body, elapsed = await self.timed(
                session,
                "GET",
                f"/api/v1/tracking/{code}",
                "tracking",
                headers={"X-Forwarded-For": address},
            )
            if status != 200:
                self.error(f"tracking {status} {body[:200]!r}")
                continue
            self.latencies.append(elapsed)

    async def pages(self, session, worker: int) -> None:
        """GET requests from a list of (path, headers) chosen at random."""
        requests = self.plan["data"]["requests"]
        while self.more():
            path, headers, part = self.rng.choice(requests)
            status, body, elapsed = await self.timed(session, "GET", path, part, headers=headers)
            if status != 200:
                self.error(f"{part} {status} {body[:200]!r}")
                continue
            self.latencies.append(elapsed)

    async def main(self) -> dict:
        scenario = getattr(self, self.plan["scenario"])
        connector = aiohttp.TCPConnector(limit=self.plan["concurrency"])
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            # Unmeasured warm-up: every worker process opens its database connection and
            # imports what the scenario needs before the clock starts.
            self.reset(min(self.plan.get("warmup_seconds", 5), MAX_SECONDS))
            await asyncio.gather(
                *(scenario(session, worker) for worker in range(self.plan["concurrency"]))
            )
            warmup_errors = self.errors
            self.reset(min(self.plan["seconds"], MAX_SECONDS))
            print("measuring", file=sys.stderr, flush=True)
            started = time.perf_counter()
            await asyncio.gather(
                *(scenario(session, worker) for worker in range(self.plan["concurrency"]))
            )
            elapsed = time.perf_counter() - started
        return {
            "seconds": elapsed,
            "latencies_ms": self.latencies,
            "parts_ms": self.parts,
            "errors": self.errors,
            "warmup_errors": warmup_errors,
        }


def main() -> None:
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    result = asyncio.run(Run(plan).main())
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
