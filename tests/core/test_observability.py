"""Request ids, problem bodies, JSON access lines, Prometheus metrics; SQLite's
"database is locked" answered as 503."""

import json
import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.main import create_app
from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL
from tests.helpers import assert_problem


def test_request_id_is_taken_echoed_and_in_every_problem(client: TestClient) -> None:
    given = client.get("/api/v1/agencies/khong-co", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    assert assert_problem(given, 404)["request_id"] == "abc-123"
    made = client.get("/api/v1/agencies", headers={"X-Request-ID": "bad id\twith blanks"})
    assert made.headers["x-request-id"] != "bad id\twith blanks"
    for response, status in [
        (client.put("/api/v1/agencies"), 405),  # router
        (client.get("/api/v1/agencies?q=a%00b"), 400),  # middleware
        (client.post("/api/v1/broadcasts", headers={"Idempotency-Key": "\x7f"}), 422),
        (client.get("/api/v1/broadcasts"), 401),
    ]:
        body = assert_problem(response, status)
        assert body["request_id"] == response.headers["x-request-id"]


def test_405_allow_lists_every_method_of_the_path(client: TestClient) -> None:
    response = client.put("/api/v1/agencies/xa-bao-lam")
    assert set(response.headers["allow"].split(", ")) >= {"GET", "PATCH", "DELETE"}
    assert client.patch("/api/v1/broadcasts/batch").headers["allow"] == "POST"


def test_one_json_access_line_per_request(
    client: TestClient, admin_headers: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    client.get("/api/v1/broadcasts/12345", headers={**admin_headers, "X-Request-ID": "r-1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    access = [line for line in lines if line["logger"] == "app.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "r-1"
    assert line["method"] == "GET" and line["status"] == 404
    assert line["path"] == "/api/v1/broadcasts/12345"
    assert line["route"] == "/api/v1/broadcasts/{broadcast_id}"
    assert line["client"] == "bootstrap-admin" and line["duration_ms"] >= 0


def test_metrics(client: TestClient, admin_headers: dict[str, str]) -> None:
    airing = {
        "agency_code": "xa-bao-lam",
        "title": "Bản tin",
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
    }
    assert client.post("/api/v1/broadcasts", json=airing, headers=admin_headers).status_code == 201
    assert client.get("/api/v1/plans/kh-209-2026/status").status_code == 200
    text = client.get("/metrics").text
    assert 'nq57_http_requests_total{method="POST",route="/api/v1/broadcasts",status="201"}' in text
    assert "nq57_http_request_duration_seconds_bucket" in text
    assert 'nq57_rows_ingested_total{entity="broadcasts",outcome="created"}' in text
    assert "nq57_indicator_evaluations_total" in text
    paths = create_app().openapi()["paths"]
    assert "/metrics" not in paths and "/healthz" not in paths and "/readyz" not in paths


@pytest.mark.skipif(not TEST_DATABASE_URL.startswith("sqlite"), reason="SQLite's write lock")
def test_sqlite_database_is_locked_is_503(engine: Engine) -> None:
    holder = sqlite3.connect(TEST_DATABASE_URL.removeprefix("sqlite:///"))
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past busy_timeout
    try:
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            response = client.post(
                "/api/v1/agencies",
                json={"code": "xa-khoa", "name": "UBND xã Khóa", "kind": "commune"},
                headers={"Authorization": f"Bearer {ADMIN_KEY}"},
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_problem(response, 503)
    assert response.headers["retry-after"]
    with TestClient(create_app()) as client:
        assert client.get("/api/v1/agencies/xa-khoa").status_code == 404  # nothing half-way
