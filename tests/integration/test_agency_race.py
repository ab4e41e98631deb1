"""Two agencies pushing the same ``(source, external_id)`` pairs at the same moment, to a
server with two worker processes on PostgreSQL.

Vendors ship the same loudspeaker software to many communes, so two communes' systems can
send the same pairs. Each agency's records are its own: whatever the interleaving, no row
ever changes agency, every answer names a row of the agency that sent it, and the audit
trail names one actor per change.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.broadcasts.models import Broadcast
from app.media_products.models import MediaProduct
from app.status import tallies
from tests.auth.factories import make_key
from tests.conftest import TEST_DATABASE_URL
from tests.integration.servers import uvicorn_server

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="two server processes writing at once need PostgreSQL; SQLite has one writer",
)
SOURCE = "agency-race"
AGENCIES = ("xa-bao-lam", "xa-ly-bon")
ROUNDS = 12
PAIRS = 300


def _purge(engine: Engine) -> None:
    with Session(engine) as session:
        tallies.delete_records(session, "broadcast", col(Broadcast.source) == SOURCE)
        tallies.delete_records(session, "media_product", col(MediaProduct.source) == SOURCE)
        session.commit()


@pytest.fixture(scope="module")
def keys(engine: Engine) -> dict[str, tuple[str, dict[str, str]]]:
    """Each commune's (key prefix, headers)."""
    with Session(engine) as session:
        made = {code: make_key(session, agency_code=code) for code in AGENCIES}
        session.commit()
    return made


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    _purge(engine)
    try:
        with uvicorn_server(TEST_DATABASE_URL, workers=2, NQ57_DB_POOL_SIZE="6") as (base, _):
            yield base
    finally:
        _purge(engine)


def _airing(agency: str, external_id: str, title: str) -> dict[str, Any]:
    return {
        "agency_code": agency,
        "title": title,
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": SOURCE,
        "external_id": external_id,
    }


def _product(agency: str, external_id: str, title: str) -> dict[str, Any]:
    return {
        "agency_code": agency,
        "kind": "article",
        "title": title,
        "published_at": "2026-03-14T08:30:00+07:00",
        "topics": ["nq57"],
        "source": SOURCE,
        "external_id": external_id,
    }


def _requests(round_no: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(agency, path, body): for each agency a batch of airings, a batch of products and
    single pushes, all on the same pairs as the other agency's."""
    pairs = [f"r{round_no}-{n}" for n in range(PAIRS)]
    work: list[tuple[str, str, dict[str, Any]]] = []
    for agency in AGENCIES:
        title = f"Bản tin của {agency}"
        airings = [_airing(agency, pair, title) for pair in pairs]
        products = [_product(agency, pair, title) for pair in pairs[:50]]
        work.append((agency, "/api/v1/broadcasts/batch", {"items": airings}))
        work.append((agency, "/api/v1/media-products/batch", {"items": products}))
        # Single pushes of pairs the batches also carry, with other content: an update.
        for pair in pairs[:4]:
            work.append((agency, "/api/v1/broadcasts", _airing(agency, pair, title + " (sửa)")))
    return work


def _send(
    base: str, keys: dict[str, tuple[str, dict[str, str]]], work: list[tuple[str, str, Any]]
) -> list[httpx.Response]:
    with httpx.Client(base_url=base, timeout=120) as http, ThreadPoolExecutor(8) as pool:
        return list(
            pool.map(lambda job: http.post(job[1], json=job[2], headers=keys[job[0]][1]), work)
        )


def _answered_ids(agency: str, path: str, response: httpx.Response) -> list[int]:
    """The ids an answer names, after checking it says what a push of its own does."""
    assert response.status_code in (200, 201), response.text[:300]
    if path.endswith("/batch"):
        items = response.json()["items"]
        assert {item["outcome"] for item in items} <= {"created", "updated", "unchanged"}
        return [item["id"] for item in items]
    assert response.json()["agency_code"] == agency
    return [response.json()["id"]]


def _owners(engine: Engine, table: str, ids: set[int]) -> dict[int, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(f"SELECT id, agency_code FROM {table} WHERE id = ANY(:ids)"),
            {"ids": sorted(ids)},
        )
        return {row[0]: row[1] for row in rows}


def _actors_per_change(engine: Engine, table: str) -> list[tuple[str, str, str, int]]:
    """(record's agency, event's agency, actor, events) for every create of a raced row."""
    with engine.connect() as conn:
        return [
            tuple(row)  # type: ignore[misc]
            for row in conn.execute(
                sa.text(
                    f"SELECT r.agency_code, e.agency_code, e.actor, count(*) FROM {table} r "
                    "JOIN audit_event e ON e.entity = :entity AND e.entity_id = CAST(r.id AS text) "
                    "WHERE r.source = :source AND e.action = 'create' "
                    "GROUP BY r.id, r.agency_code, e.agency_code, e.actor"
                ),
                {"entity": table, "source": SOURCE},
            )
        ]


def test_two_agencies_racing_on_the_same_pairs_keep_their_own_records(
    server: str, engine: Engine, keys: dict[str, tuple[str, dict[str, str]]]
) -> None:
    for round_no in range(ROUNDS):
        work = _requests(round_no)
        responses = _send(server, keys, work)
        claimed: dict[str, dict[int, str]] = {"broadcast": {}, "media_product": {}}
        for (agency, path, _), response in zip(work, responses, strict=True):
            table = "media_product" if "media-products" in path else "broadcast"
            for record_id in _answered_ids(agency, path, response):
                # The same id is never named to both agencies.
                assert claimed[table].setdefault(record_id, agency) == agency, round_no
        for table, answered in claimed.items():
            assert _owners(engine, table, set(answered)) == answered, (round_no, table)

    with engine.connect() as conn:
        per_agency = dict(
            conn.execute(
                sa.text(
                    "SELECT agency_code, count(*) FROM broadcast WHERE source = :s "
                    "GROUP BY agency_code"
                ),
                {"s": SOURCE},
            ).all()
        )
    assert per_agency == dict.fromkeys(AGENCIES, ROUNDS * PAIRS)
    prefixes = {code: keys[code][0] for code in AGENCIES}
    for table in ("broadcast", "media_product"):
        changes = _actors_per_change(engine, table)
        assert changes, table
        for record_agency, event_agency, actor, events in changes:
            assert (event_agency, actor, events) == (
                record_agency,
                f"key:{prefixes[record_agency]}",
                1,
            )
