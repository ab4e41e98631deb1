"""Security headers on every answer (app.core.middleware.SecurityHeadersMiddleware) and no
``Server`` banner from uvicorn."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import cli
from tests.auth.factories import make_key
from tests.conftest import TEST_DATABASE_URL
from tests.helpers import assert_problem
from tests.integration.servers import uvicorn_server

NOT_FRAMEABLE = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}


def assert_nosniff(response: Any) -> None:  # the test client's response or httpx's
    assert response.headers.get_list("x-content-type-options") == ["nosniff"], (
        response.request.url,
        response.headers,
    )


def test_nosniff_on_every_answer(client: TestClient, admin_headers: dict[str, str]) -> None:
    wrong_key = {"Authorization": "Bearer nope"}
    for response, status in (
        (client.get("/api/v1/agencies"), 200),
        (client.get("/healthz"), 200),
        (client.get("/metrics"), 200),
        (client.get("/api/v1/agencies/khong-co"), 404),
        (client.get("/api/v1/broadcasts"), 401),
        (client.get("/api/v1/broadcasts", headers=wrong_key), 401),
        # Problems the middlewares answer themselves, before any route.
        (client.get("/api/v1/agencies?q=a%00b"), 400),
        (
            client.post(
                "/api/v1/agencies", json={}, headers={**admin_headers, "Idempotency-Key": "x" * 300}
            ),
            422,
        ),
    ):
        assert response.status_code == status, response.request.url
        if status >= 400:
            assert_problem(response, status)
        assert_nosniff(response)


def test_no_store_on_answers_to_keyed_requests(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    _, headers = make_key(session)
    for url, keyed in (
        ("/api/v1/broadcasts", headers),  # records
        ("/api/v1/agencies", headers),  # the catalogue, read with a key
        ("/api/v1/audit-events", admin_headers),  # audit
        ("/api/v1/api-keys", admin_headers),
        ("/api/v1/agencies/khong-co", headers),  # a 404 too
    ):
        response = client.get(url, headers=keyed)
        assert response.status_code in (200, 404), response.text
        assert response.headers.get_list("cache-control") == ["no-store"], url
    wrong = client.get("/api/v1/broadcasts", headers={"Authorization": "Bearer nope"})
    assert wrong.headers["cache-control"] == "no-store"
    # Public catalogue reads stay cacheable; so do answers outside /api/v1/.
    for url in ("/api/v1/agencies", "/api/v1/plans", "/api/v1/agencies/khong-co"):
        assert "cache-control" not in client.get(url).headers, url
    assert "cache-control" not in client.get("/healthz", headers=admin_headers).headers


def test_a_route_keeps_its_own_cache_control(
    app: FastAPI, client: TestClient, admin_headers: dict[str, str]
) -> None:
    def probe(response: Response) -> dict[str, Any]:
        response.headers["Cache-Control"] = "private, max-age=60"
        return {}

    app.router.add_api_route("/api/v1/_cache_probe", probe, methods=["GET"])
    response = client.get("/api/v1/_cache_probe", headers=admin_headers)
    assert response.headers.get_list("cache-control") == ["private, max-age=60"]
    assert_nosniff(response)
    # The new key's secret keeps exactly one no-store.
    body = {"agency_code": "xa-bao-lam", "scopes": ["read"], "name": "tiêu đề"}
    created = client.post("/api/v1/api-keys", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers.get_list("cache-control") == ["no-store"]


def test_idempotent_replays_are_unaffected(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """no-store is added outside the idempotency middleware, which takes a route's own
    no-store for a secret shown once (and would refuse to replay)."""
    headers = {**admin_headers, "Idempotency-Key": "hdr-1"}
    body = {"code": "xa-tieu-de", "name": "UBND xã Tiêu Đề", "kind": "commune"}
    first = client.post("/api/v1/agencies", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/api/v1/agencies", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    for response in (first, again):
        assert response.headers.get_list("cache-control") == ["no-store"]
        assert_nosniff(response)


def test_docs_are_not_frameable(client: TestClient) -> None:
    for url in ("/docs", "/redoc", "/openapi.json", "/api/v1/agencies"):
        response = client.get(url)
        assert response.status_code == 200, url
        for name, value in NOT_FRAMEABLE.items():
            assert response.headers.get_list(name) == [value], (url, name)
        assert_nosniff(response)
    # Room left for embeddable pages: nothing is served there yet.
    embed = client.get("/embed/widget")
    assert embed.status_code == 404
    assert "x-frame-options" not in embed.headers
    assert "content-security-policy" not in embed.headers
    assert_nosniff(embed)


def test_a_real_server_sends_no_server_banner() -> None:
    with uvicorn_server(TEST_DATABASE_URL) as (base, _process):
        response = httpx.get(f"{base}/healthz", timeout=10)
    assert response.status_code == 200
    assert "server" not in response.headers, response.headers
    assert_nosniff(response)


def test_nq57_serve_turns_the_banner_off(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    """``engine``: serve checks that the database is migrated before it starts."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # serve sets it; restored afterwards
    cli.serve(host="127.0.0.1", port=8000, workers=1, reload=False)
    assert len(calls) == 1
    assert calls[0]["server_header"] is False
