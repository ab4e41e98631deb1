"""Faults: the database goes away under load and comes back; SIGTERM during a batch.

PostgreSQL only (a real server process and a real network path to the database). The
outage is a TCP proxy between the service and PostgreSQL that drops every connection
and refuses new ones, which is what clients see when PostgreSQL stops; the machine's
cluster itself is shared and never stopped.
"""

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col

from app.broadcasts.models import Broadcast
from app.status import tallies
from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL
from tests.integration.servers import TcpProxy, uvicorn_server

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="a database outage and a server process need PostgreSQL",
)
HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}


def _airing(source: str, external_id: str) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": "Bản tin Bình dân học vụ số",
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": source,
        "external_id": external_id,
    }


def _rows(engine: Engine, source: str) -> list[str]:
    with engine.connect() as conn:
        return [
            row[0]
            for row in conn.execute(
                sa.text("SELECT external_id FROM broadcast WHERE source = :s"), {"s": source}
            )
        ]


def _purge(engine: Engine, source: str) -> None:
    with Session(engine) as session:
        tallies.delete_records(session, "broadcast", col(Broadcast.source) == source)
        session.commit()


def test_database_outage_answers_503_and_loses_nothing(engine: Engine) -> None:
    source = "fault-outage"
    _purge(engine, source)
    url = make_url(TEST_DATABASE_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    acknowledged: set[str] = set()
    statuses: list[int] = []
    missing_retry_after: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        with uvicorn_server(through_proxy, NQ57_DB_POOL_SIZE="4") as (base, _process):

            def client(number: int) -> None:
                # A loudspeaker system: pushes its airings one by one, retrying each until
                # the service acknowledges it (as the integration guide says).
                with httpx.Client(base_url=base, headers=HEADERS, timeout=30) as http:
                    sequence = 0
                    while not stop.is_set():
                        external_id = f"c{number}-{sequence}"
                        while not stop.is_set():
                            try:
                                response = http.post(
                                    "/api/v1/broadcasts", json=_airing(source, external_id)
                                )
                            except httpx.HTTPError:
                                time.sleep(0.2)
                                continue
                            with lock:
                                statuses.append(response.status_code)
                                if response.status_code == 503 and not response.headers.get(
                                    "retry-after"
                                ):
                                    missing_retry_after.append(503)
                            if response.status_code in (200, 201):
                                with lock:
                                    acknowledged.add(external_id)
                                break
                            time.sleep(0.2)
                        sequence += 1

            with ThreadPoolExecutor(4) as pool:
                futures = [pool.submit(client, n) for n in range(4)]
                time.sleep(2)
                proxy.cut()
                time.sleep(4)
                with httpx.Client(base_url=base, timeout=10) as probe:
                    outage = probe.post(
                        "/api/v1/broadcasts", json=_airing(source, "probe"), headers=HEADERS
                    )
                    ready = probe.get("/readyz")
                proxy.restore()
                time.sleep(6)
                stop.set()
                for future in futures:
                    future.result(timeout=60)
            with httpx.Client(base_url=base, timeout=10) as probe:
                assert probe.get("/readyz").status_code == 200  # recovered, no restart
    finally:
        proxy.close()
    assert outage.status_code == 503, outage.text
    assert outage.headers["retry-after"]
    assert outage.headers["content-type"].startswith("application/problem+json")
    assert outage.json()["request_id"] == outage.headers["x-request-id"]
    assert ready.status_code == 503 and ready.headers["retry-after"]
    assert 500 not in statuses and not missing_retry_after, sorted(set(statuses))
    assert 503 in statuses
    rows = _rows(engine, source)
    assert len(rows) == len(set(rows)), "a record was stored twice"
    assert acknowledged <= set(rows), acknowledged - set(rows)
    assert len(acknowledged) > 20, "the clients barely pushed"
    _purge(engine, source)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_batch_is_whole_or_absent_when_the_server_stops(engine: Engine, sig: int) -> None:
    source = f"fault-{signal.Signals(sig).name.lower()}"
    _purge(engine, source)
    batch = {"items": [_airing(source, f"b-{i}") for i in range(5000)]}
    outcome: dict[str, Any] = {}

    with uvicorn_server(TEST_DATABASE_URL) as (base, process):

        def push() -> None:
            try:
                outcome["response"] = httpx.post(
                    f"{base}/api/v1/broadcasts/batch", json=batch, headers=HEADERS, timeout=120
                )
            except httpx.HTTPError as exc:
                outcome["error"] = exc

        sender = threading.Thread(target=push)
        sender.start()
        time.sleep(0.3)  # the batch is on its way or being written
        process.send_signal(sig)
        sender.join(timeout=120)
        process.wait(timeout=60)

    count = len(_rows(engine, source))
    response = outcome.get("response")
    if response is not None and response.status_code == 200:
        assert count == 5000  # acknowledged: wholly in
    else:
        assert count in (0, 5000), count  # never half a batch
    # The retry, against a fresh server, creates nothing twice.
    with uvicorn_server(TEST_DATABASE_URL) as (base, _process):
        retry = httpx.post(
            f"{base}/api/v1/broadcasts/batch", json=batch, headers=HEADERS, timeout=120
        )
    assert retry.status_code == 200, retry.text[:300]
    counts = retry.json()["counts"]
    assert counts["created"] + counts["unchanged"] == 5000 and counts["rejected"] == 0
    assert counts["created"] == 5000 - count
    rows = _rows(engine, source)
    assert len(rows) == len(set(rows)) == 5000
    _purge(engine, source)
