"""Audit trail: every write adds one event in the same transaction as the change."""

from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent
from app.core.principal import Principal
from app.core.request_context import current_request_id
from app.core.snapshots import snapshot as snapshot  # re-exported: services audit with it
from app.core.types import utcnow


def record_event(
    session: Session,
    *,
    actor: Principal,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    agency_code: str | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor_key_id=actor.key_id,
            actor=actor.actor,
            agency_code=agency_code or actor.agency_code,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
            request_id=current_request_id(),
        )
    )


def event_row(
    *,
    actor: Principal,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    agency_code: str | None,
) -> dict[str, Any]:
    """An audit event as a row for a bulk insert (batches write thousands at once)."""
    return {
        "occurred_at": utcnow(),
        "actor_key_id": actor.key_id,
        "actor": actor.actor,
        "agency_code": agency_code or actor.agency_code,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": before,
        "after": after,
        "request_id": current_request_id(),
    }
