"""The benchmark's phases: ingest (HTTP batches, plain COPY, one POST per broadcast),
plan and indicator status, and list endpoints. Every loop is bounded in count and time,
and sends requests to the loopback server only."""

import json
import queue
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg

from app.core.text import search_text
from bench.load import conninfo, tags
from bench.material import BROADCAST_TITLES
from bench.records import BROADCAST_COLUMNS
from bench.server import MemorySampler, Server

BATCH_SIZE = 5000
LOCAL = "+07:00"


def summary(ms: list[float]) -> dict[str, Any]:
    if not ms:
        return {"n": 0}
    ordered = sorted(ms)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 2)

    return {
        "n": len(ms),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


@dataclass
class Target:
    """Where the ingest goes: a province's communes, their stations, a few products."""

    province_agency: str
    units: list[tuple[str, int | None]]
    products: list[int]


def find_target(url: str, ubnd: str) -> Target:
    with psycopg.connect(conninfo(url)) as conn:
        units = conn.execute(
            "SELECT a.code, min(c.id) FROM agency a LEFT JOIN channel c ON c.agency_code = a.code "
            "AND c.kind = 'loudspeaker_station' WHERE a.parent_code = %s "
            "AND a.kind IN ('commune', 'ward') GROUP BY a.code ORDER BY a.code",
            (ubnd,),
        ).fetchall()
        products = conn.execute(
            "SELECT m.id FROM media_product m JOIN agency a ON a.code = m.agency_code "
            "WHERE a.code LIKE 'bao-%%' AND a.parent_code = %s ORDER BY m.id LIMIT 500",
            (ubnd,),
        ).fetchall()
    return Target(ubnd, [(code, channel) for code, channel in units], [p for (p,) in products])


def make_items(target: Target, source: str, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` new airings of the target province, each with a unique external_id."""
    items = []
    start = datetime(2026, 1, 1, 5, 0)
    for n in range(count):
        code, channel = rng.choice(target.units)
        origin = rng.choice(("central", "provincial", "local"))
        item: dict[str, Any] = {
            "agency_code": code,
            "channel_id": channel,
            "title": rng.choice(BROADCAST_TITLES[origin]),
            "origin": origin,
            "started_at": (start + timedelta(minutes=rng.randint(0, 364 * 24 * 60))).isoformat()
            + LOCAL,
            "duration_seconds": rng.choice((300, 600, 900, 1200)),
            "language": "vi",
            "loudspeaker_clusters": rng.randint(1, 30),
            "topics": rng.sample(["nq57", "digital_literacy", "local_effort", "ai"], 2),
            "source": source,
            "external_id": f"{n:08d}",
        }
        if target.products and rng.random() < 0.2:
            item["media_product_id"] = rng.choice(target.products)
        items.append(item)
    return items


def batch_ingest(
    server: Server, key: str, bodies: list[bytes], *, clients: int, seconds: float
) -> dict[str, Any]:
    """POST /broadcasts/batch with pre-encoded bodies from ``clients`` threads until the
    bodies run out or ``seconds`` pass; peak memory of the service meanwhile."""
    work: queue.Queue[bytes] = queue.Queue()
    for body in bodies:
        work.put(body)
    latencies: list[float] = []
    created = [0]
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def client() -> None:
        with httpx.Client(base_url=server.base, timeout=600, headers=headers) as http:
            while time.monotonic() < deadline:
                try:
                    body = work.get_nowait()
                except queue.Empty:
                    return
                began = time.perf_counter()
                response = http.post("/api/v1/broadcasts/batch", content=body)
                elapsed = 1000 * (time.perf_counter() - began)
                with lock:
                    latencies.append(elapsed)
                    if response.status_code == 200:
                        created[0] += response.json()["counts"]["created"]
                    else:
                        failures.append(f"{response.status_code} {response.text[:200]}")

    with MemorySampler(server) as memory:
        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    return {
        "clients": clients,
        "batch_size": BATCH_SIZE,
        "batches": len(latencies),
        "rows_created": created[0],
        "seconds": round(wall, 3),
        "rows_per_s": round(created[0] / wall, 1) if wall else None,
        "batch_latency": summary(latencies),
        "failures": failures[:5],
        "memory": memory.report(),
    }


def copy_rows(url: str, items: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """The same rows through one plain psycopg COPY into ``broadcast`` (foreign keys and
    indexes as they are), committed: the floor the HTTP path is compared with."""
    now = datetime.now(UTC)
    columns = [c for c in BROADCAST_COLUMNS if c != "id"]
    rows = []
    for item in items:
        values = {
            **item,
            "media_product_id": item.get("media_product_id"),
            "started_at": datetime.fromisoformat(item["started_at"]),
            "topics": tags(item["topics"]),
            "retracted_at": None,
            "source": source,
            "search_text": search_text(item["title"]),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        rows.append(tuple(values[c] for c in columns))
    with psycopg.connect(conninfo(url)) as conn:
        began = time.perf_counter()
        names = ", ".join(columns)
        with conn.cursor().copy(f"COPY broadcast ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        wall = time.perf_counter() - began
    return {"rows": len(rows), "seconds": round(wall, 3), "rows_per_s": round(len(rows) / wall, 1)}


def single_posts(
    server: Server, key: str, items: list[dict[str, Any]], *, clients: int, seconds: float
) -> dict[str, Any]:
    """One POST /broadcasts per airing, ``clients`` threads, for ``seconds``."""
    work: queue.Queue[bytes] = queue.Queue()
    for item in items:
        work.put(json.dumps(item).encode())
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def client() -> None:
        with httpx.Client(base_url=server.base, timeout=60, headers=headers) as http:
            while time.monotonic() < deadline:
                try:
                    body = work.get_nowait()
                except queue.Empty:
                    return
                began = time.perf_counter()
                code = http.post("/api/v1/broadcasts", content=body).status_code
                with lock:
                    latencies.append(1000 * (time.perf_counter() - began))
                    statuses[code] = statuses.get(code, 0) + 1

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    created = statuses.get(201, 0)
    return {
        "clients": clients,
        "rows_created": created,
        "seconds": round(wall, 3),
        "rows_per_s": round(created / wall, 1),
        "latency": summary(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def timed_gets(
    http: httpx.Client, make_url: Callable[[int], str], *, count: int, seconds: float
) -> tuple[list[float], list[str]]:
    """GET ``make_url(i)`` up to ``count`` times (or until ``seconds`` pass), one at a time."""
    latencies, failures = [], []
    deadline = time.monotonic() + seconds
    for i in range(count):
        if i and time.monotonic() > deadline:
            break
        url = make_url(i)
        began = time.perf_counter()
        response = http.get(url)
        latencies.append(1000 * (time.perf_counter() - began))
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code} {response.text[:200]}")
    return latencies, failures
