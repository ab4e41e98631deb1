"""Load test: 80% status reads, 20% batch pushes, N concurrent clients, bounded in time,
loopback only. Prints p50/p95/p99 per kind and the error count, then counts the pushed
records in the database: every acknowledged record must be there exactly once.

    .venv/bin/python -m bench.loadtest --database-url postgresql+psycopg://postgres@127.0.0.1:5432/nq57_load

It migrates and seeds that database, serves the app on 127.0.0.1 with uvicorn (2 workers
by default), runs for --duration seconds (60) with --clients clients (50), stops the
server and exits non-zero on any error, lost or duplicated record. It is not part of the
test suite (tests/integration/test_loadtest_smoke.py runs it for a few seconds).
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
ADMIN_KEY = "loadtest-admin-key-" + uuid.uuid4().hex
STATUS_PATHS = [
    "/api/v1/plans/kh-209-2026/status",
    "/api/v1/plans/kh-209-2026/indicators/T2026-5/status",
]
COMMUNES = ["xa-bao-lam", "xa-ly-bon", "xa-nam-quang", "xa-quang-lam", "xa-yen-tho"]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"status": [], "batch": []})
    errors: dict[str, int] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def _airing(source: str, external_id: str) -> dict[str, Any]:
    return {
        "agency_code": random.choice(COMMUNES),
        "title": "Bản tin Bình dân học vụ số",
        "origin": random.choice(["central", "provincial", "local"]),
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": source,
        "external_id": external_id,
    }


async def _client(
    number: int, http: httpx.AsyncClient, deadline: float, source: str, batch: int, tally: Tally
) -> None:
    sequence = 0
    while time.monotonic() < deadline:
        if random.random() < 0.8:
            started = time.perf_counter()
            try:
                response = await http.get(random.choice(STATUS_PATHS))
            except httpx.HTTPError as exc:
                tally.error(f"status: {type(exc).__name__}")
                continue
            tally.latencies["status"].append(time.perf_counter() - started)
            if response.status_code != 200:
                tally.error(f"status: HTTP {response.status_code}")
            continue
        ids = [f"c{number}-{sequence}-{i}" for i in range(batch)]
        sequence += 1
        body = {"items": [_airing(source, external_id) for external_id in ids]}
        started = time.perf_counter()
        try:
            response = await http.post("/api/v1/broadcasts/batch", json=body)
        except httpx.HTTPError as exc:
            tally.error(f"batch: {type(exc).__name__}")
            continue
        tally.latencies["batch"].append(time.perf_counter() - started)
        if response.status_code != 200:
            tally.error(f"batch: HTTP {response.status_code}")
            continue
        counts = response.json()["counts"]
        if counts["rejected"]:
            tally.error("batch: rejected items")
        tally.acknowledged.update(ids)


def _percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return (
        f"p50 {cuts[49] * 1000:.0f} ms  p95 {cuts[94] * 1000:.0f} ms  p99 {cuts[98] * 1000:.0f} ms"
    )


def _loopback(url: str) -> None:
    host = httpx.URL(url).host
    if not (host in ("localhost", "::1") or host.startswith("127.")):
        raise SystemExit(f"loopback only: {host} is not this machine")


def _ensure_database(database_url: str) -> None:
    """Create the load-test database when it does not exist yet."""
    url = sa.engine.make_url(database_url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": url.database},
            ).first()
            if exists is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    finally:
        admin.dispose()


def _serve(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    _ensure_database(database_url)
    env = {
        **os.environ,
        "NQ57_DATABASE_URL": database_url,
        "NQ57_ADMIN_API_KEY": ADMIN_KEY,
        "NQ57_LOG_LEVEL": "WARNING",
        "NQ57_DB_POOL_SIZE": "10",
    }
    for step in (["db", "upgrade"], ["seed"]):
        subprocess.run([sys.executable, "-m", "app.cli", *step], env=env, cwd=ROOT, check=True)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
    )


async def _run(args: argparse.Namespace, base: str) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + args.duration
    limits = httpx.Limits(max_connections=args.clients)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as http:
        await asyncio.gather(
            *(
                _client(n, http, deadline, args.source, args.batch_size, tally)
                for n in range(args.clients)
            )
        )
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="migrated and seeded here")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--source", default=f"loadtest-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 600.0)
    base = f"http://127.0.0.1:{args.port}"
    _loopback(base)
    server = _serve(args.database_url, args.port, args.workers)
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("the server did not become ready")
        started = time.monotonic()
        tally = asyncio.run(_run(args, base))
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    engine = sa.create_engine(args.database_url)
    with engine.connect() as conn:
        stored = [
            row[0]
            for row in conn.execute(
                sa.text("SELECT external_id FROM broadcast WHERE source = :s"),
                {"s": args.source},
            )
        ]
    engine.dispose()
    lost = tally.acknowledged - set(stored)
    duplicated = len(stored) - len(set(stored))
    requests = sum(len(v) for v in tally.latencies.values())
    rate = requests / elapsed
    print(f"{requests} requests in {elapsed:.1f} s ({rate:.0f}/s), {args.clients} clients")
    for kind, values in tally.latencies.items():
        print(f"  {kind:<7} {len(values):>6}  {_percentiles(values)}")
    print(f"errors: {sum(tally.errors.values())} {tally.errors or ''}")
    print(
        f"records: {len(tally.acknowledged)} acknowledged, {len(stored)} stored, "
        f"{len(lost)} lost, {duplicated} duplicated"
    )
    return 1 if tally.errors or lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
