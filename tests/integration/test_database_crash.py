"""PostgreSQL crashing (SIGKILL) and freezing (SIGSTOP) under a stream of pushes.

A private server (tests/integration/private_postgres.py) so that the machine's shared
cluster never stops. Loudspeaker systems push their airings one by one, each with its
own ``Idempotency-Key``, and retry the same request until it is acknowledged, as the
integration guide tells them to.

* After a crash and a restart, every retry succeeds within seconds: no key stays blocked
  by the claim of a request that died with the database. Nothing acknowledged is lost,
  nothing is stored twice.
* While the database is frozen, no request waits longer than the documented bound
  (``NQ57_REQUEST_TIMEOUT_SECONDS``, plus libpq's 2 s minimum when a connection is being
  opened): each answers 503 with ``Retry-After``.
"""

import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL
from tests.integration.private_postgres import PrivatePostgres, unavailable_reason
from tests.integration.servers import uvicorn_server

pytestmark = [
    pytest.mark.skipif(
        not TEST_DATABASE_URL.startswith("postgresql"),
        reason="crashing and freezing the database is a PostgreSQL test",
    ),
    pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason())),
]
REQUEST_TIMEOUT = 3.0
# libpq's minimum connect timeout, and a second for the machine's scheduling.
BOUND = REQUEST_TIMEOUT + 2.0 + 1.0
CLIENTS = 6


@pytest.fixture
def database() -> Iterator[PrivatePostgres]:
    # Not under pytest's tmp_path: its folders are private to root, and the server runs
    # as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="nq57-pg-"))
    server = PrivatePostgres(folder)
    try:
        server.start()
        server.prepare()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _airing(client: int, number: int) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": f"Bản tin Bình dân học vụ số {client}-{number}",
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": f"loa-{client}",
        "external_id": str(number),
    }


@dataclass
class Stream:
    """What the loudspeaker systems saw."""

    acknowledged: dict[tuple[str, str], int] = field(default_factory=dict)
    latencies: list[tuple[float, float, int]] = field(default_factory=list)  # start, s, status
    # (pushed since, acknowledged at) of every push that needed a retry
    retried: list[tuple[float, float]] = field(default_factory=list)
    missing_retry_after: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _push_until_acknowledged(
    http: httpx.Client, stream: Stream, client: int, number: int, give_up_at: float
) -> None:
    body = _airing(client, number)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}", "Idempotency-Key": str(uuid.uuid4())}
    first = time.monotonic()
    tries = 0
    while time.monotonic() < give_up_at:
        tries += 1
        started = time.monotonic()
        try:
            response = http.post("/api/v1/broadcasts", json=body, headers=headers)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        with stream.lock:
            stream.latencies.append((started, time.monotonic() - started, response.status_code))
        if response.status_code in (200, 201):
            with stream.lock:
                stream.acknowledged[(body["source"], body["external_id"])] = response.json()["id"]
                if tries > 1:
                    stream.retried.append((first, time.monotonic()))
            return
        if response.status_code in (409, 503) and "retry-after" not in response.headers:
            stream.missing_retry_after.append(response.status_code)
        assert response.status_code in (409, 503), response.text
        time.sleep(0.2)
    raise AssertionError(f"airing {client}-{number} was never acknowledged")


def _run_stream(base: str, stream: Stream, stop: threading.Event) -> list[threading.Thread]:
    def loudspeaker(client: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            number = 0
            while not stop.is_set():
                try:
                    _push_until_acknowledged(http, stream, client, number, time.monotonic() + 45)
                except AssertionError as exc:
                    with stream.lock:
                        stream.failures.append(str(exc))
                    return
                number += 1

    threads = [threading.Thread(target=loudspeaker, args=(c,)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def _stored(url: str) -> list[tuple[str, str, int]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT source, external_id, id FROM broadcast WHERE source LIKE 'loa-%%'"
            return [(row[0], row[1], row[2]) for row in conn.exec_driver_sql(query)]
    finally:
        engine.dispose()


def test_retries_succeed_within_seconds_of_a_restart_and_nothing_is_lost(
    database: PrivatePostgres,
) -> None:
    stream, stop = Stream(), threading.Event()
    env = {"NQ57_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT), "NQ57_DB_POOL_SIZE": "4"}
    with uvicorn_server(database.url, workers=2, **env) as (base, _process):
        threads = _run_stream(base, stream, stop)
        time.sleep(2)
        database.crash()
        time.sleep(3)
        database.start()
        restarted_at = time.monotonic()
        time.sleep(8)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert not stream.failures, stream.failures[:5]
    stored = _stored(database.url)
    keys = [(source, external_id) for source, external_id, _ in stored]
    assert len(keys) == len(set(keys)), "an airing was stored twice"
    by_key = {(source, external_id): row_id for source, external_id, row_id in stored}
    lost = {key for key in stream.acknowledged if key not in by_key}
    assert not lost, f"acknowledged but lost: {sorted(lost)[:5]}"
    assert all(by_key[key] == row_id for key, row_id in stream.acknowledged.items())
    # The crash interrupted pushes, and each was acknowledged within seconds of the restart.
    blocked = [done - restarted_at for since, done in stream.retried if since < restarted_at]
    assert blocked, "the crash interrupted no push"
    assert max(blocked) < 5.0, sorted(blocked)[-5:]
    assert not stream.missing_retry_after


def test_a_frozen_database_holds_no_request_past_the_bound(database: PrivatePostgres) -> None:
    stream, stop = Stream(), threading.Event()
    env = {"NQ57_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT), "NQ57_DB_POOL_SIZE": "4"}
    with uvicorn_server(database.url, workers=2, **env) as (base, _process):
        threads = _run_stream(base, stream, stop)
        time.sleep(2)
        database.freeze()
        frozen_at = time.monotonic()
        time.sleep(12)
        database.thaw()
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert not stream.failures, stream.failures[:5]
    during = [(took, status) for started, took, status in stream.latencies if started > frozen_at]
    assert any(status == 503 for _, status in during), "the freeze was not seen"
    slowest = max(took for took, _ in during)
    assert slowest <= BOUND, f"a request waited {slowest:.1f} s (bound {BOUND} s)"
    assert not stream.missing_retry_after
    stored = _stored(database.url)
    assert len(stored) == len({(s, e) for s, e, _ in stored})
    assert all(key in {(s, e) for s, e, _ in stored} for key in stream.acknowledged)
