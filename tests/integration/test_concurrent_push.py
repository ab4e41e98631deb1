"""Against a real server with two workers on PostgreSQL: retries racing each other never
create a duplicate, and every answer names the same record."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.broadcasts.models import Broadcast
from app.status import tallies
from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL

SOURCE = "concurrency-test"
pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="two server processes writing at once need PostgreSQL; SQLite has one writer",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _purge(engine: Engine) -> None:
    with Session(engine) as session:
        tallies.delete_records(session, "broadcast", col(Broadcast.source) == SOURCE)
        session.commit()


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    _purge(engine)
    port = _free_port()
    env = {
        **os.environ,
        "NQ57_DATABASE_URL": TEST_DATABASE_URL,
        "NQ57_ADMIN_API_KEY": ADMIN_KEY,
        "NQ57_DB_POOL_SIZE": "10",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        _purge(engine)


def _airing(external_id: str) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": "Tiếp sóng bản tin Nghị quyết 57-NQ/TW",
        "origin": "central",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": SOURCE,
        "external_id": external_id,
    }


def _count(engine: Engine, prefix: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT count(*) FROM broadcast WHERE source = :s AND external_id LIKE :p"),
                {"s": SOURCE, "p": prefix + "%"},
            ).scalar_one()
        )


def _post_all(url: str, bodies: list[Any]) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with httpx.Client(timeout=300) as client, ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda body: client.post(url, json=body, headers=headers), bodies))


def test_fifty_identical_pushes_leave_one_row(server: str, engine: Engine) -> None:
    responses = _post_all(f"{server}/api/v1/broadcasts", [_airing("single-1")] * 50)
    assert {r.status_code for r in responses} <= {200, 201}, [r.text for r in responses[:3]]
    assert sum(r.status_code == 201 for r in responses) == 1
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(engine, "single-") == 1


def test_fifty_identical_batches_of_a_thousand(server: str, engine: Engine) -> None:
    batch = {"items": [_airing(f"batch-{i}") for i in range(1000)]}
    responses = _post_all(f"{server}/api/v1/broadcasts/batch", [batch] * 50)
    assert {r.status_code for r in responses} == {200}, [
        r.text[:300] for r in responses if r.status_code != 200
    ]
    id_lists = {tuple(item["id"] for item in r.json()["items"]) for r in responses}
    assert len(id_lists) == 1
    assert sum(r.json()["counts"]["created"] for r in responses) == 1000
    assert all(r.json()["counts"]["rejected"] == 0 for r in responses)
    assert _count(engine, "batch-") == 1000
