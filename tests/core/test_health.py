from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core import health


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_when_migrated(client: TestClient, engine: Engine) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"


def test_readyz_when_the_schema_is_behind(client: TestClient, engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(health, "head_revisions", lambda: frozenset({"a-newer-revision"}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.headers["content-type"].startswith("application/problem+json")


def test_readyz_when_the_database_is_unreachable(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def unreachable() -> frozenset[str]:
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database_revisions", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.json()["detail"]
