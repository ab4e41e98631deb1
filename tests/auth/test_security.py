from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth import security
from app.auth.models import ApiKey
from app.core.access import Reader, Writer
from app.core.vocab import Scope
from app.main import create_app
from tests.auth.factories import make_key
from tests.helpers import assert_problem

PROBE = "/api/v1/_probe"


@pytest.fixture
def probe(app: FastAPI) -> str:
    """A route guarded like the record routers: Reader to GET, Writer to POST."""

    def read_probe(actor: Reader) -> dict[str, Any]:
        return {"actor": actor.actor, "agency": actor.agency_code}

    def write_probe(actor: Writer) -> dict[str, Any]:
        return {"actor": actor.actor, "agency": actor.agency_code}

    app.router.add_api_route(PROBE, read_probe, methods=["GET"])
    app.router.add_api_route(PROBE, write_probe, methods=["POST"])
    return PROBE


def test_read_only_key_reads_but_may_not_write(
    client: TestClient, session: Session, probe: str
) -> None:
    prefix, reader = make_key(session, scopes=(Scope.read,))
    assert client.get(probe, headers=reader).json() == {
        "actor": f"key:{prefix}",
        "agency": "xa-bao-lam",
    }
    assert_problem(client.post(probe, headers=reader), 403)
    body = {"code": "xa-moi", "name": "Xã Mới", "kind": "commune"}
    assert_problem(client.post("/api/v1/agencies", json=body, headers=reader), 403)
    assert client.get("/api/v1/agencies/xa-moi").status_code == 404
    _, writer = make_key(session, scopes=(Scope.write,))
    assert client.post(probe, headers=writer).status_code == 200
    assert_problem(client.post("/api/v1/agencies", json=body, headers=writer), 403)


def test_anonymous_and_malformed_keys_are_401(client: TestClient, probe: str) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Bearer nq57_000000000000_abc"},
        {"Authorization": "Bearer nq57__"},
        {"Authorization": "Bearer nq57_NOT-HEX_abc"},
        {"Authorization": f"Bearer nq57_{'a' * 40}_abc"},
        {"Authorization": "Bearer " + "x" * 5000},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ):
        problem = assert_problem(client.get(probe, headers=headers), 401)
        assert problem["detail"]
    response = client.get(probe, headers={"Authorization": "Bearer nonsense"})
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_guessed_secret_for_a_real_prefix_is_401(
    client: TestClient, session: Session, probe: str
) -> None:
    prefix, headers = make_key(session)
    forged = {"Authorization": f"Bearer nq57_{prefix}_{'A' * 43}"}
    assert_problem(client.get(probe, headers=forged), 401)
    assert client.get(probe, headers=headers).status_code == 200


def test_revoked_key_is_401(
    client: TestClient, session: Session, admin_headers: dict[str, str], probe: str
) -> None:
    prefix, headers = make_key(session)
    assert client.get(probe, headers=headers).status_code == 200
    revoked = client.post(f"/api/v1/api-keys/{prefix}/revoke", headers=admin_headers)
    assert revoked.status_code == 200
    problem = assert_problem(client.get(probe, headers=headers), 401)
    assert "revoked" in problem["detail"]
    assert_problem(client.post(probe, headers=headers), 401)


def test_expired_key_is_401(client: TestClient, session: Session, probe: str) -> None:
    _, expired = make_key(session, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    problem = assert_problem(client.get(probe, headers=expired), 401)
    assert "expired" in problem["detail"]
    _, valid = make_key(session, expires_at=datetime.now(UTC) + timedelta(hours=1))
    assert client.get(probe, headers=valid).status_code == 200


def test_last_used_at_is_recorded(
    client: TestClient, session: Session, admin_headers: dict[str, str], probe: str
) -> None:
    prefix, headers = make_key(session)
    url = f"/api/v1/api-keys/{prefix}"
    assert client.get(url, headers=admin_headers).json()["last_used_at"] is None
    before = datetime.now(UTC)
    assert client.get(probe, headers=headers).status_code == 200
    used = client.get(url, headers=admin_headers).json()["last_used_at"]
    assert used is not None
    assert datetime.fromisoformat(used) >= before - timedelta(seconds=1)
    # Recorded to the minute: a second use right after does not write again.
    assert client.get(probe, headers=headers).status_code == 200
    assert client.get(url, headers=admin_headers).json()["last_used_at"] == used
    # A failed use (wrong secret) does not count.
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).one()
    key.last_used_at = None
    session.add(key)
    session.commit()
    client.get(probe, headers={"Authorization": f"Bearer nq57_{prefix}_wrong"})
    assert client.get(url, headers=admin_headers).json()["last_used_at"] is None


def test_a_secret_containing_underscores_authenticates(
    client: TestClient, session: Session, probe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security.secrets, "token_urlsafe", lambda _n: "a_b_c-" + "d" * 37)
    _, headers = make_key(session)
    assert headers["Authorization"].count("_") == 4
    assert client.get(probe, headers=headers).status_code == 200


def test_swagger_authorize_uses_the_bearer_scheme() -> None:
    schema = create_app().openapi()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["type"] == "http"
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    for path, method in (
        ("/api/v1/api-keys", "post"),
        ("/api/v1/api-keys", "get"),
        ("/api/v1/audit-events", "get"),
        ("/api/v1/agencies", "post"),
    ):
        assert {"HTTPBearer": []} in schema["paths"][path][method]["security"], (path, method)
