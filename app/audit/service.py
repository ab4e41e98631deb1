"""Audit trail: every write adds one event in the same transaction as the change."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NotRequired, TypedDict, Unpack

from sqlmodel import Session, SQLModel

from app.audit.models import AuditEvent
from app.core.principal import Principal
from app.core.records import Record
from app.core.request_context import current_request_id
from app.core.snapshots import snapshot as snapshot  # re-exported: services audit with it
from app.core.types import utcnow


class AuditFields(TypedDict):
    """What an audit event says: who did what to which row, its state before and after, and
    whose it is (``agency_code``; the actor's agency when not given)."""

    actor: Principal
    action: str
    entity: str
    entity_id: str | int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    agency_code: NotRequired[str | None]


def record_event(session: Session, **event: Unpack[AuditFields]) -> None:
    session.add(AuditEvent(**event_row(**event)))


def record_change(
    session: Session,
    *,
    actor: Principal,
    action: str,
    entity: str,
    row: SQLModel,
    before: dict[str, Any] | None,
    entity_id: str | int | None = None,
    agency_code: str | None = None,
    after_of: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """The audit event of a change to ``row``: flushes first (so a new row has its id), and
    takes ``after`` from the row itself (None when ``action`` is "delete"; ``after_of``
    when the row's state is more than its columns, e.g. its members), ``entity_id`` from
    its ``id`` and ``agency_code`` from its ``agency_code`` unless given."""
    session.flush()
    record_event(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id if entity_id is not None else getattr(row, "id", None) or 0,
        before=before,
        after=None if action == "delete" else (after_of() if after_of else snapshot(row)),
        agency_code=agency_code if agency_code is not None else getattr(row, "agency_code", None),
    )


@dataclass(frozen=True)
class Trail:
    """How the rows of one entity show in the audit trail: the entity's name and, where
    they are not the row's ``id``, ``agency_code`` and columns, what names a row
    (``entity_id``), whose it is (``agency_code``) and its state (``after``)."""

    entity: str
    entity_id: Callable[[Any], str | int] | None = None
    agency_code: Callable[[Any], str | None] | None = None
    after: Callable[[Session, Any], dict[str, Any]] | None = None

    def record(
        self,
        session: Session,
        actor: Principal,
        action: str,
        row: SQLModel,
        *,
        before: dict[str, Any] | None,
    ) -> None:
        """The audit event of ``action`` on ``row`` (app.audit.service.record_change)."""
        after = self.after
        record_change(
            session,
            actor=actor,
            action=action,
            entity=self.entity,
            row=row,
            before=before,
            entity_id=self.entity_id(row) if self.entity_id else None,
            agency_code=self.agency_code(row) if self.agency_code else None,
            after_of=(lambda: after(session, row)) if after else None,
        )

    def recorder(self, session: Session, actor: Principal) -> Record:
        """The audit of ``actor``'s changes to this entity, as the shared write steps
        (``app.core.records``: patch_record, delete_record, insert_record) take it."""
        return partial(self.record, session, actor)


def event_row(**event: Unpack[AuditFields]) -> dict[str, Any]:
    """An audit event as a row for a bulk insert (batches write thousands at once)."""
    actor = event["actor"]
    return {
        "occurred_at": utcnow(),
        "actor_key_id": actor.key_id,
        "actor": actor.actor,
        "agency_code": event.get("agency_code") or actor.agency_code,
        "action": event["action"],
        "entity": event["entity"],
        "entity_id": str(event["entity_id"]),
        "before": event["before"],
        "after": event["after"],
        "request_id": current_request_id(),
    }
