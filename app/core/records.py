"""Reading and writing one record, whatever its type: the lookups, the list filters and
the write steps the record services share. Domain-free: what knows an agency (the
authorization) or the audit trail is passed in by the domain."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from sqlmodel import Session, SQLModel, col, or_
from sqlmodel.sql.expression import SelectOfScalar

from app.core.concurrency import check_if_match
from app.core.filters import has_tag, instant_range, search_clause
from app.core.principal import Principal
from app.core.schemas import InputModel
from app.core.service import apply_changes, or_not_found, patch_changes, plain, touch
from app.core.snapshots import snapshot

RowT = TypeVar("RowT", bound=SQLModel)
PartsT = TypeVar("PartsT")
# authorize_agency(session, actor, agency_code): raises when the key may not write it.
Authorize = Callable[[Session, Principal, str], None]


class Record(Protocol):
    """Leaves the audit event of a change (``audit.service.record_change`` with the
    session, actor and entity bound)."""

    def __call__(self, *, action: str, row: Any, before: dict[str, Any] | None) -> None: ...


class RecordChange(Protocol):
    """The signature of ``audit.service.record_change``."""

    def __call__(
        self,
        session: Session,
        *,
        actor: Principal,
        action: str,
        entity: str,
        row: Any,
        before: dict[str, Any] | None,
    ) -> None: ...


class KnownAgency(Protocol):
    """``agencies.service.require_agency``: raises InvalidInput at ``loc`` when no agency
    has the code."""

    def __call__(self, session: Session, code: str, *, loc: list[str | int]) -> object: ...


@dataclass(frozen=True)
class RecordKind(Generic[RowT]):
    """One type of record as the shared steps need it: its table, how its errors name it
    ("broadcast"), its audit entity, and the domain's functions that know an agency and
    the audit trail (passed in, so that core imports neither)."""

    model: type[RowT]
    what: str
    entity: str
    authorize: Authorize
    audit: RecordChange
    known: KnownAgency
    # How a missing row is worded, ``{what}`` and ``{id}`` standing for this kind and the id.
    missing: str = "No {what} with id {id}."

    def get(self, session: Session, record_id: int) -> RowT:
        """The row by id, or NotFound ("No broadcast with id 7.")."""
        detail = self.missing.format(what=self.what, id=record_id)
        return or_not_found(session.get(self.model, record_id), detail)

    def writable(
        self, session: Session, record_id: int, actor: Principal, if_match: str | None
    ) -> RowT:
        """The row a PATCH or DELETE is about: it exists, its agency is one the key may
        write, and the client's If-Match (if any) names its current version."""
        row = self.get(session, record_id)
        self.authorize(session, actor, row.agency_code)  # type: ignore[attr-defined]
        check_if_match(if_match, row)  # type: ignore[arg-type]
        return row

    def check_agency(self, session: Session, actor: Principal, agency_code: str) -> None:
        """The agency a body gives (``agency_code``): one that exists (422), whose records
        the key may write (403)."""
        self.known(session, agency_code, loc=["body", "agency_code"])
        self.authorize(session, actor, agency_code)

    def changes(
        self,
        session: Session,
        payload: InputModel,
        actor: Principal,
        *,
        exclude: set[str] | None = None,
        lists: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """A PATCH's changes as stored (``plain``): none of the contract's required fields
        cleared, a cleared list (of ``lists``) as [], and an agency moved to checked as a
        new record's is."""
        changes = patch_changes(payload, exclude=exclude)
        for name in lists:
            if name in changes and changes[name] is None:
                changes[name] = []
        changes = plain(changes)
        if "agency_code" in changes:
            self.check_agency(session, actor, changes["agency_code"])
        return changes

    def patch(self, session: Session, row: RowT, changes: dict[str, Any], actor: Principal) -> bool:
        """``patch_record`` with this kind's audit: True when anything changed."""
        return patch_record(session, row, changes, self.recorder(session, actor))

    def delete(
        self, session: Session, record_id: int, actor: Principal, if_match: str | None
    ) -> None:
        """Delete a row the key may write, audited."""
        row = self.writable(session, record_id, actor, if_match)
        delete_record(session, row, self.recorder(session, actor))

    def recorder(self, session: Session, actor: Principal) -> Record:
        """The audit of this type's changes by ``actor``."""
        return partial(self.audit, session, actor=actor, entity=self.entity)


def insert_record(session: Session, row: SQLModel, record: Record) -> None:
    """Add a new row, audited as created (``record`` flushes it, so it has its id)."""
    session.add(row)
    record(action="create", row=row, before=None)


def patch_record(
    session: Session,
    row: SQLModel,
    changes: dict[str, Any],
    record: Record,
    *,
    before: dict[str, Any] | None = None,
    replace_parts: Callable[[], bool] | None = None,
) -> bool:
    """Apply a PATCH's changes; when any differ, the row is flushed and the change audited
    (``record(action="update", …)``). True when anything changed.

    For a row whose state is more than its columns (a group's members, a task's parties):
    ``before`` is that state, and ``replace_parts`` writes the parts and answers whether
    they changed; a change to the parts alone is a new version of the row too."""
    before = snapshot(row) if before is None else before
    changed = apply_changes(row, changes)
    if replace_parts is not None and replace_parts():
        if not changed:
            touch(row)
        changed = True
    if not changed:
        return False
    session.add(row)
    record(action="update", row=row, before=before)
    return True


def replacing(
    wanted: PartsT | None, stored: PartsT, write: Callable[[PartsT], object]
) -> Callable[[], bool]:
    """The ``replace_parts`` of ``patch_record`` for one list of parts: ``write`` the
    ``wanted`` ones (None: the PATCH leaves them as they are) when they differ from those
    ``stored``."""

    def replace() -> bool:
        if wanted is None or wanted == stored:
            return False
        write(wanted)
        return True

    return replace


def delete_record(session: Session, row: SQLModel, record: Record) -> None:
    """Delete the row, flushed, and audit it with its last state as ``before``."""
    before = snapshot(row)
    session.delete(row)
    session.flush()
    record(action="delete", row=row, before=before)


def where_all(statement: SelectOfScalar[RowT], *clauses: Any) -> SelectOfScalar[RowT]:
    """The statement with every clause that is not None (a filter left out is None)."""
    given = [clause for clause in clauses if clause is not None]
    return statement.where(*given) if given else statement


def equal_to(column: Any, value: Any) -> Any:
    """``column = value`` (a code-list member compared as its code), or None (no filter)
    when the value is not given."""
    return None if value is None else column == _stored(value)


def _stored(value: Any) -> Any:
    # A filter's code-list member is compared as the code stored in the column.
    return value.value if isinstance(value, Enum) else value


def in_list(column: Any, values: Sequence[str | Enum] | None) -> Any:
    """``column IN values`` (codes or code-list members), or None when none is given."""
    return col(column).in_([_stored(v) for v in values]) if values else None


def any_tag(column: Any, tags: Sequence[str | Enum] | None) -> Any:
    """Rows whose tag list holds any of ``tags``, or None when none is given."""
    return or_(*(has_tag(column, _stored(tag)) for tag in tags)) if tags else None


def retraction(column: Any, retracted: bool | None) -> Any:
    """``true``: only withdrawn rows; ``false``: only the others; None: no filter."""
    if retracted is None:
        return None
    return col(column).is_not(None) if retracted else col(column).is_(None)


def published_between(
    column: Any, start: date | None, end: date | None, search_column: Any, q: str | None
) -> list[Any]:
    """The local-day range on an instant and the text search, the filters every list of
    published records has."""
    return [*instant_range(column, start, end), search_clause(search_column, q)]
