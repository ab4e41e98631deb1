"""Factories and checks the record tests (channels, media products, broadcasts) share."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.audit.models import AuditEvent
from app.auth.service import create_api_key
from app.core.principal import SYSTEM
from app.core.vocab import Scope


def key_headers(
    session: Session, agency_code: str = "xa-bao-lam", scopes: list[Scope] | None = None
) -> dict[str, str]:
    """Headers of a fresh key bound to ``agency_code`` (read and write by default)."""
    secret = ""
    # app.auth.security splits the key on every "_" and the random part may hold one:
    # such a key is refused (reported to the lead); take one that authenticates.
    while secret.count("_") != 2:
        _, secret = create_api_key(
            session,
            agency_code=agency_code,
            scopes=scopes or [Scope.write, Scope.read],
            name="t",
            expires_at=None,
            actor=SYSTEM,
        )
    # Kept, as a key made by its own request would be: a later request the test expects
    # to fail rolls the shared session back, and must not take the key with it.
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def make_channel(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "agency_code": "xa-bao-lam",
        "kind": "loudspeaker_station",
        "name": "Đài truyền thanh xã Bảo Lâm",
        **overrides,
    }
    response = client.post("/api/v1/channels", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def audit_events(session: Session, entity: str, entity_id: int | str) -> list[AuditEvent]:
    statement = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.id))
    )
    return list(session.exec(statement).all())


def count_rows(session: Session, model: type[Any]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()  # type: ignore[no-any-return]


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]
