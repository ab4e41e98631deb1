"""Helpers the plan, task and task-progress tests share."""

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.service import create_api_key
from app.core.principal import SYSTEM
from app.core.vocab import Scope

PLAN = "/api/v1/plans/kh-209-2026"


def key_headers(
    session: Session, agency_code: str = "xa-bao-lam", scopes: list[Scope] | None = None
) -> dict[str, str]:
    """Headers of a fresh key bound to ``agency_code`` (read and write by default)."""
    while True:
        _, secret = create_api_key(
            session,
            agency_code=agency_code,
            scopes=scopes or [Scope.write, Scope.read],
            name="t",
            expires_at=None,
            actor=SYSTEM,
        )
        session.commit()  # the test is the boundary: the service only flushes
        # app.auth.security splits the key on every "_" and the random part may hold one:
        # such a key is refused (already reported to the lead by others); take one without.
        if secret.count("_") == 2:
            return {"Authorization": f"Bearer {secret}"}


def audit_actions(session: Session, entity: str, entity_id: str | int) -> list[str]:
    """The actions of the audit events about one entity, oldest first."""
    statement = (
        select(AuditEvent.action)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.id))
    )
    return list(session.exec(statement).all())
