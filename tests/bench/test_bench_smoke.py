"""A small run of the benchmark tooling (scale 0.001) on PostgreSQL: the generator builds
the national catalogue and the records deterministically, in the shape the service reads,
and the benchmark runs each phase end to end and leaves the data set as it found it.

It uses its own database, ``<test database>_bench``, dropped at the end.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.core.text import search_text
from app.indicators.measures import groups_of
from bench.generate import generate
from bench.load import conninfo, recreate_database
from bench.run import main as run_benchmark
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="the generator loads with PostgreSQL's COPY and the benchmark serves on PostgreSQL",
)
SCALE = 0.001


@pytest.fixture(scope="module")
def bench_url() -> Iterator[str]:
    url = make_url(TEST_DATABASE_URL)
    scratch = url.set(database=f"{url.database}_bench").render_as_string(hide_password=False)
    recreate_database(scratch)
    yield scratch
    admin = url.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(scratch).database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def generated(bench_url: str) -> dict[str, Any]:
    return generate(bench_url, SCALE)


def _one(url: str, sql: str) -> Any:
    with psycopg.connect(conninfo(url)) as conn:
        row = conn.execute(sql).fetchone()
        assert row is not None
        return row[0]


def _fingerprint(url: str) -> str:
    return str(
        _one(
            url,
            "SELECT md5(string_agg(concat_ws('|', id, agency_code, channel_id, media_product_id, "
            "title, origin, started_at, topics, source, external_id, search_text), ',' "
            "ORDER BY id)) FROM broadcast",
        )
    )


def test_the_generator_builds_the_nation_at_scale(
    generated: dict[str, Any], bench_url: str
) -> None:
    rows = generated["rows"]
    assert rows["broadcast"] == 10_000
    assert rows["media_product"] == 1_000
    assert rows["training_session"] == 50
    assert rows["plan"] == 34
    assert rows["indicator"] == 34 * 16
    assert _one(bench_url, "SELECT count(*) FROM agency WHERE kind IN ('commune', 'ward')") == 3321
    # Every commune and ward has its digital team, and every generated group exists.
    assert (
        _one(bench_url, "SELECT count(*) FROM agency WHERE kind = 'community_digital_team'") == 3321
    )
    with psycopg.connect(conninfo(bench_url)) as conn:
        codes = {code for (code,) in conn.execute("SELECT code FROM agency_group")}
        measures = [m for (m,) in conn.execute("SELECT measure FROM indicator")]
        samples = conn.execute(
            "SELECT title, search_text FROM broadcast ORDER BY id LIMIT 200"
        ).fetchall()
        products = conn.execute(
            "SELECT title, summary, partner_press, search_text FROM media_product LIMIT 200"
        ).fetchall()
    for measure in measures:
        assert set(groups_of(measure)) <= codes
    for title, text in samples:
        assert text == search_text(title)
    for title, summary, partner, text in products:
        assert text == search_text(title, summary, partner)


def test_the_same_seed_gives_the_same_data(generated: dict[str, Any], bench_url: str) -> None:
    first = _fingerprint(bench_url)
    generate(bench_url, SCALE)
    assert _fingerprint(bench_url) == first


def test_the_benchmark_runs_every_phase(
    generated: dict[str, Any], bench_url: str, tmp_path: Path
) -> None:
    import json

    out = tmp_path / "results.json"
    run_benchmark(
        [
            "--scale", str(SCALE), "--database-url", bench_url, "--reuse", "--out", str(out),
            "--province", "lai-chau", "--also-plan", "none", "--ingest-batches", "1",
            "--single-seconds", "1", "--single-max", "200", "--status-requests", "2",
            "--indicator-requests", "1", "--list-requests", "2",
        ]
    )  # fmt: skip
    results = json.loads(out.read_text(encoding="utf-8"))
    assert "reused" in results["generate"]
    ingest = results["ingest"]
    assert ingest["http_batch"]["rows_created"] == 5000, ingest["http_batch"]["failures"]
    assert ingest["copy"]["rows"] == 5000
    assert ingest["single_post"]["rows_created"] > 0
    assert ingest["http_batch"]["memory"]["samples"] > 0
    status = results["status"]["kh-nq57-lai-chau-2026"]
    assert status["failures"] == [] and status["plan_status"]["n"] == 2
    assert len(status["per_indicator"]) == 16
    for name, measured in results["lists"].items():
        assert measured["failures"] == [], name
    assert set(results["targets"]) >= {"batch_rows_per_s", "plan_status_p95_ms", "memory_pss_mib"}
    # What the benchmark added is gone again.
    assert _one(bench_url, "SELECT count(*) FROM broadcast") == 10_000
    assert _one(bench_url, "SELECT count(*) FROM api_key") == 0
