"""Pushed records are keyed by ``(agency_code, source, external_id)``: a retry never
duplicates, and each agency's records are its own (two communes whose vendor software uses
the same ``source`` and counter each keep their own rows; no push reaches another agency's).

Outcomes: ``created`` (201), ``updated`` or ``unchanged`` (200). The single POST answers
with the outcome in the ``Push-Outcome`` header; batches give it per item.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from app.core.errors import InvalidInput
from app.core.records import Record
from app.core.service import apply_changes
from app.core.snapshots import snapshot

RowT = TypeVar("RowT", bound=SQLModel)
PUSH_OUTCOME_HEADER = "Push-Outcome"


class PushOutcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


def check_pair(source: str | None, external_id: str | None) -> None:
    if (source is None) != (external_id is None):
        raise InvalidInput(
            "source and external_id go together: give both or neither.",
            errors=[
                {
                    "loc": ["body", "external_id" if source else "source"],
                    "msg": "source and external_id go together",
                    "type": "missing_pair",
                }
            ],
        )


def find_pushed(
    session: Session,
    model: type[RowT],
    agency_code: str,
    source: str | None,
    external_id: str | None,
) -> RowT | None:
    """The agency's record pushed under this pair, if any."""
    if source is None or external_id is None:
        return None
    statement = select(model).where(
        model.agency_code == agency_code,  # type: ignore[attr-defined]
        model.source == source,  # type: ignore[attr-defined]
        model.external_id == external_id,  # type: ignore[attr-defined]
    )
    return session.exec(statement).first()


def differs(row: SQLModel, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != value for name, value in values.items())


@dataclass(frozen=True)
class PushSteps(Generic[RowT]):
    """How one type of record is pushed. ``record`` leaves the audit event; records with
    children (a media product's channels) pass their own comparison, replacement and
    insert steps."""

    model: type[RowT]
    record: Record
    is_unchanged: Callable[[RowT], bool] | None = None
    replace: Callable[[RowT], object] | None = None
    after_insert: Callable[[RowT], None] | None = None


def upsert_pushed(
    session: Session, steps: PushSteps[RowT], values: dict[str, Any]
) -> tuple[RowT, PushOutcome]:
    """The push of one record, whatever its type; flushed, never committed.

    A known ``(agency_code, source, external_id)`` whose content is the same answers
    ``unchanged`` and writes nothing; other content replaces the stored values; a new key
    is inserted. If a concurrent request inserts the same key first, the unique constraint
    refuses ours and the push is answered as a repeat of theirs. The caller has authorized
    ``values["agency_code"]``; the stored record found is that agency's by its key, so a
    push never reaches another agency's record, however requests interleave.
    """
    key = (values["agency_code"], values.get("source"), values.get("external_id"))
    existing = find_pushed(session, steps.model, *key)
    if existing is not None:
        return existing, _push_stored(session, steps, existing, values)
    row = _insert_pushed(session, steps, values)
    if row is None:  # the key was taken in between: answer as a repeat
        return upsert_pushed(session, steps, values)
    return row, PushOutcome.created


def _push_stored(
    session: Session, steps: PushSteps[RowT], existing: RowT, values: dict[str, Any]
) -> PushOutcome:
    """Compare, then replace what differs: ``unchanged`` or ``updated``."""
    if steps.is_unchanged is not None:
        unchanged = steps.is_unchanged(existing)
    else:
        unchanged = not differs(existing, values)
    if unchanged:
        return PushOutcome.unchanged
    if steps.replace is not None:
        steps.replace(existing)
    else:
        before = snapshot(existing)
        apply_changes(existing, values)
        session.add(existing)
        steps.record(action="update", row=existing, before=before)
    session.flush()
    return PushOutcome.updated


def _insert_pushed(session: Session, steps: PushSteps[RowT], values: dict[str, Any]) -> RowT | None:
    """Insert a new key in a savepoint; None when a concurrent request inserted the same
    key first (the unique constraint refused ours, and only ours is rolled back)."""
    row = steps.model.model_validate(values)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
            if steps.after_insert is not None:
                steps.after_insert(row)
            else:
                steps.record(action="create", row=row, before=None)
    except IntegrityError:
        key = (values["agency_code"], values.get("source"), values.get("external_id"))
        if find_pushed(session, steps.model, *key) is None:
            raise
        return None
    session.flush()
    return row
