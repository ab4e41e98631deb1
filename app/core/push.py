"""Pushed records are keyed by ``(agency_code, source, external_id)``: a retry never
duplicates, and each agency's records are its own (two communes whose vendor software uses
the same ``source`` and counter each keep their own rows; no push reaches another agency's).

Outcomes: ``created`` (201), ``updated`` or ``unchanged`` (200). The single POST answers
with the outcome in the ``Push-Outcome`` header; batches give it per item.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from app.core.errors import InvalidInput
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


def upsert_pushed(
    session: Session,
    *,
    model: type[RowT],
    values: dict[str, Any],
    record: Callable[[str, RowT, dict[str, Any] | None], None],
    is_unchanged: Callable[[RowT], bool] | None = None,
    replace: Callable[[RowT], object] | None = None,
    after_insert: Callable[[RowT], None] | None = None,
    commit: bool,
) -> tuple[RowT, PushOutcome]:
    """The push of one record, whatever its type.

    A known ``(agency_code, source, external_id)`` whose content is the same answers
    ``unchanged`` and writes nothing; other content replaces the stored values; a new key
    is inserted. ``record(action, row, before)`` leaves the audit event. Records with children (a
    media product's channels) pass their own comparison, replacement and insert steps.
    If a concurrent request inserts the same key first, the unique constraint refuses
    ours and the push is answered as a repeat of theirs. The caller has authorized
    ``values["agency_code"]``; the stored record found is that agency's by its key, so a
    push never reaches another agency's record, however requests interleave.
    """
    agency_code = values["agency_code"]
    source, external_id = values.get("source"), values.get("external_id")
    existing = find_pushed(session, model, agency_code, source, external_id)
    if existing is not None:
        unchanged = is_unchanged(existing) if is_unchanged else not differs(existing, values)
        if unchanged:
            return existing, PushOutcome.unchanged
        if replace is not None:
            replace(existing)
        else:
            before = snapshot(existing)
            apply_changes(existing, values)
            session.add(existing)
            record("update", existing, before)
        _finish(session, commit=commit)
        return existing, PushOutcome.updated
    row = model.model_validate(values)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
            if after_insert is not None:
                after_insert(row)
            else:
                record("create", row, None)
    except IntegrityError:
        if find_pushed(session, model, agency_code, source, external_id) is None:
            raise
        return upsert_pushed(
            session,
            model=model,
            values=values,
            record=record,
            is_unchanged=is_unchanged,
            replace=replace,
            after_insert=after_insert,
            commit=commit,
        )
    _finish(session, commit=commit)
    return row, PushOutcome.created


def _finish(session: Session, *, commit: bool) -> None:
    """Commit a write; a batch caller passes ``commit=False`` and commits once itself."""
    if commit:
        session.commit()
    else:
        session.flush()
