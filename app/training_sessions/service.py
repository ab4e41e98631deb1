"""Training sessions with their attendance (counts per agency and audience) and roster.

A roster row is identified by ``person_key`` = folded name + ``|`` + agency code, so the
same person trained in two sessions counts once wherever distinct people are counted.
Two different people with the same name in the same agency are counted as one: the
price of keeping no personal data beyond name, agency and role.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, select

from app.agencies.agency_records import agency_record_kind
from app.agencies.models import Agency
from app.audit.service import record_event, snapshot
from app.core.errors import InvalidInput
from app.core.filters import check_range, has_tag, search_clause
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.push import PushOutcome, check_pair, differs, find_pushed
from app.core.records import equal_to, in_list, where_all
from app.core.service import apply_changes, refuse_reversed, touch
from app.core.text import fold
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession
from app.training_sessions.schemas import (
    AttendanceRead,
    AttendanceRow,
    RosterEntry,
    RosterEntryRead,
    TrainingSessionCreate,
    TrainingSessionFilters,
    TrainingSessionRead,
    TrainingSessionSummary,
    TrainingSessionUpdate,
)

KIND = agency_record_kind(TrainingSession, "training session", "training_session")
MAX_REPORTED_ERRORS = 100
_CHUNK = 500
_LISTS = ("topics", "audiences", "attendance", "roster")


def person_key(full_name: str, agency_code: str) -> str:
    """The identity a person is counted by: ``"nong van minh|xa-bao-lam"``."""
    return f"{fold(full_name)[:200]}|{agency_code}"


# --- reading --------------------------------------------------------------------------


def get_training_session(session: Session, session_id: int) -> TrainingSession:
    return KIND.get(session, session_id)


_ATTENDANCE_COLUMNS = ("agency_code", "audience", "participants", "passed")
_ROSTER_COLUMNS = ("full_name", "agency_code", "role", "audience", "passed", "person_key")


def _attendance_of(session: Session, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Attendance rows as plain dicts (the API shape), in the order they were given."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        columns = [getattr(TrainingAttendance, name) for name in _ATTENDANCE_COLUMNS]
        statement = (
            select(TrainingAttendance.session_id, *columns)
            .where(col(TrainingAttendance.session_id).in_(ids))
            .order_by(col(TrainingAttendance.id))
        )
        for session_id, *values in session.exec(statement):
            found[session_id].append(dict(zip(_ATTENDANCE_COLUMNS, values, strict=True)))
    return found


def _roster_sizes(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    statement = (
        select(TrainingParticipant.session_id, func.count())
        .where(col(TrainingParticipant.session_id).in_(ids))
        .group_by(col(TrainingParticipant.session_id))
    )
    return {session_id: count for session_id, count in session.exec(statement)}


def _roster_of(session: Session, session_id: int) -> list[dict[str, Any]]:
    """Roster rows as plain dicts; columns, not ORM objects: a roster may be 20,000 long."""
    columns = [getattr(TrainingParticipant, name) for name in _ROSTER_COLUMNS]
    statement = (
        select(*columns)
        .where(TrainingParticipant.session_id == session_id)
        .order_by(col(TrainingParticipant.id))
    )
    return [dict(zip(_ROSTER_COLUMNS, values, strict=True)) for values in session.exec(statement)]


def _summary_fields(row: TrainingSession) -> dict[str, Any]:
    return {
        name: getattr(row, name)
        for name in TrainingSessionSummary.model_fields
        if name not in ("attendance", "roster_size")
    }


def to_summaries(session: Session, rows: list[TrainingSession]) -> list[TrainingSessionSummary]:
    ids = [row.id or 0 for row in rows]
    attendance = _attendance_of(session, ids)
    sizes = _roster_sizes(session, ids)
    return [
        TrainingSessionSummary(
            **_summary_fields(row),
            attendance=[AttendanceRead.model_validate(a) for a in attendance[row.id or 0]],
            roster_size=sizes.get(row.id or 0, 0),
        )
        for row in rows
    ]


def to_training_session_read(session: Session, row: TrainingSession) -> TrainingSessionRead:
    session_id = row.id or 0
    roster = _roster_of(session, session_id)
    attendance = _attendance_of(session, [session_id])[session_id]
    return TrainingSessionRead(
        **_summary_fields(row),
        attendance=[AttendanceRead.model_validate(a) for a in attendance],
        roster_size=len(roster),
        roster=[RosterEntryRead.model_validate(p) for p in roster],
    )


def list_training_sessions(
    session: Session, *, page: PageParams, filters: TrainingSessionFilters
) -> tuple[list[TrainingSession], str | None]:
    check_range(filters.start, filters.end)
    attended = None
    if filters.attendee_agency is not None:
        # One IN over the union, not two INs joined by OR: the planner turns it into a
        # join from the agency's few sessions, where an OR of two subqueries can only be
        # a filter tested on every session while walking the primary key.
        attended = col(TrainingSession.id).in_(
            sa.union(
                select(TrainingAttendance.session_id).where(
                    TrainingAttendance.agency_code == filters.attendee_agency
                ),
                select(TrainingParticipant.session_id).where(
                    TrainingParticipant.agency_code == filters.attendee_agency
                ),
            )
        )
    statement = where_all(
        select(TrainingSession),
        equal_to(TrainingSession.agency_code, filters.agency),
        attended,
        in_list(TrainingSession.kind, filters.kind),
        None if filters.topic is None else has_tag(TrainingSession.topics, filters.topic.value),
        None
        if filters.audience is None
        else has_tag(TrainingSession.audiences, filters.audience.value),
        None if filters.start is None else col(TrainingSession.started_on) >= filters.start,
        None if filters.end is None else col(TrainingSession.started_on) <= filters.end,
        search_clause(TrainingSession.search_text, filters.q),
    )
    return paginate(session, statement, TrainingSession.id, page)


# --- validation -----------------------------------------------------------------------


def _known_agencies(session: Session, codes: set[str]) -> set[str]:
    known: set[str] = set()
    ordered = sorted(codes)
    for index in range(0, len(ordered), _CHUNK):
        chunk = ordered[index : index + _CHUNK]
        known.update(session.exec(select(Agency.code).where(col(Agency.code).in_(chunk))).all())
    return known


def _check_children(
    session: Session, attendance: list[AttendanceRow], roster: list[RosterEntry]
) -> None:
    """Attendance unique per (agency, audience); every agency code known. 422 with locs."""
    errors: list[dict[str, Any]] = []
    first_seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(attendance):
        pair = (row.agency_code, row.audience.value)
        if pair in first_seen:
            errors.append(
                {
                    "loc": ["body", "attendance", index],
                    "msg": f"repeats attendance[{first_seen[pair]}] "
                    f"({row.agency_code}, {row.audience.value}): give one row per pair",
                    "type": "duplicate",
                }
            )
        else:
            first_seen[pair] = index
    known = _known_agencies(
        session, {r.agency_code for r in attendance} | {r.agency_code for r in roster}
    )
    codes = [("attendance", i, r.agency_code) for i, r in enumerate(attendance)]
    codes += [("roster", i, r.agency_code) for i, r in enumerate(roster)]
    errors += [
        {
            "loc": ["body", name, index, "agency_code"],
            "msg": f"unknown agency '{code}'",
            "type": "unknown_agency",
        }
        for name, index, code in codes
        if code not in known
    ]
    if errors:
        more = (
            f" (the first {MAX_REPORTED_ERRORS} are listed)"
            if len(errors) > MAX_REPORTED_ERRORS
            else ""
        )
        raise InvalidInput(
            f"{len(errors)} problem(s) in attendance or roster{more}: {errors[0]['msg']}.",
            errors=errors[:MAX_REPORTED_ERRORS],
        )


def _refuse_null(field: str, hint: str = "") -> InvalidInput:
    return InvalidInput(
        f"{field} cannot be null{hint}.",
        errors=[{"loc": ["body", field], "msg": "may not be null", "type": "null"}],
    )


# --- writing --------------------------------------------------------------------------


def _attendance_rows(attendance: list[AttendanceRow]) -> list[dict[str, Any]]:
    return [row.model_dump(mode="json") for row in attendance]


def _roster_rows(roster: list[RosterEntry]) -> list[dict[str, Any]]:
    return [
        {**p.model_dump(mode="json"), "person_key": person_key(p.full_name, p.agency_code)}
        for p in roster
    ]


def _same(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> bool:
    """Equal as multisets: order of rows does not matter."""
    return Counter(tuple(sorted(r.items())) for r in old) == Counter(
        tuple(sorted(r.items())) for r in new
    )


def _replace_children(
    session: Session,
    session_id: int,
    attendance: list[dict[str, Any]] | None,
    roster: list[dict[str, Any]] | None,
) -> None:
    """Replace the lists given (None: kept as stored), by bulk statements: a roster may
    hold 20,000 people."""
    children: list[tuple[type[TrainingAttendance] | type[TrainingParticipant], Any]] = [
        (TrainingAttendance, attendance),
        (TrainingParticipant, roster),
    ]
    for model, rows in children:
        if rows is None:
            continue
        session.exec(delete(model).where(col(model.session_id) == session_id))
        if rows:
            session.exec(sa.insert(model), params=[{**r, "session_id": session_id} for r in rows])


def _audit_snapshot(
    row: TrainingSession,
    attendance: list[dict[str, Any]],
    roster: list[dict[str, Any]] | None,
    roster_size: int,
) -> dict[str, Any]:
    data = {**snapshot(row), "attendance": attendance, "roster_size": roster_size}
    if roster is not None:
        data["roster"] = roster
    return data


def _row_values(payload: TrainingSessionCreate) -> dict[str, Any]:
    values = payload.model_dump(mode="json", exclude={"attendance", "roster"})
    values["started_on"], values["ended_on"] = payload.started_on, payload.ended_on
    values["topics"] = sorted(set(values["topics"]))
    values["audiences"] = sorted(set(values["audiences"]))
    return values


def push_training_session(
    session: Session, *, payload: TrainingSessionCreate, actor: Principal
) -> tuple[TrainingSession, PushOutcome]:
    """Create a session, or (same agency, ``source`` and ``external_id``) update it or
    leave it unchanged.

    Content includes the attendance and the roster (compared regardless of row order).
    Free of FastAPI so that a batch endpoint can call it per item.
    """
    check_pair(payload.source, payload.external_id)
    KIND.check_agency(session, actor, payload.agency_code)
    _check_children(session, payload.attendance, payload.roster)
    values = _row_values(payload)
    attendance = _attendance_rows(payload.attendance)
    roster = _roster_rows(payload.roster)
    key = (payload.agency_code, payload.source, payload.external_id)
    existing = find_pushed(session, TrainingSession, *key)
    if existing is None:
        row = TrainingSession.model_validate(values)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except sa.exc.IntegrityError:
            # A concurrent push of the same key went first: answer as a repeat of it.
            existing = find_pushed(session, TrainingSession, *key)
            if existing is None:
                raise
        else:
            _replace_children(session, row.id or 0, attendance, roster)
            after = _audit_snapshot(row, attendance, roster, len(roster))
            _record(session, actor, "create", row, before=None, after=after)
            session.flush()
            return row, PushOutcome.created
    changed = _update(session, existing, actor, values, attendance, roster)
    return existing, PushOutcome.updated if changed else PushOutcome.unchanged


def _update(
    session: Session,
    row: TrainingSession,
    actor: Principal,
    values: dict[str, Any],
    attendance: list[dict[str, Any]] | None,
    roster: list[dict[str, Any]] | None,
) -> bool:
    """Apply changes (lists replaced whole when given); one audit event, flushed."""
    session_id = row.id or 0
    old_attendance = _attendance_of(session, [session_id])[session_id]
    old_roster = _roster_of(session, session_id)
    if attendance is not None and _same(old_attendance, attendance):
        attendance = None
    if roster is not None and _same(old_roster, roster):
        roster = None
    if not differs(row, values) and attendance is None and roster is None:
        return False
    # The roster goes into the audit event only when it changed: it can be large.
    before = _audit_snapshot(
        row, old_attendance, old_roster if roster is not None else None, len(old_roster)
    )
    if not apply_changes(row, values):
        touch(row)
    session.add(row)
    session.flush()
    _replace_children(session, session_id, attendance, roster)
    after = _audit_snapshot(
        row,
        attendance if attendance is not None else old_attendance,
        roster,
        len(roster) if roster is not None else len(old_roster),
    )
    _record(session, actor, "update", row, before=before, after=after)
    session.flush()
    return True


def update_training_session(
    session: Session,
    *,
    session_id: int,
    payload: TrainingSessionUpdate,
    actor: Principal,
    if_match: str | None,
) -> TrainingSession:
    row = KIND.writable(session, session_id, actor, if_match)
    for name in payload.contract_not_null:
        if name in payload.model_fields_set and getattr(payload, name) is None:
            raise _refuse_null(name, " (send [] to empty a list)" if name in _LISTS else "")
    changes = KIND.changes(session, payload, actor, exclude={"attendance", "roster"})
    refuse_reversed(changes, row, "started_on", "ended_on")
    _check_children(session, payload.attendance or [], payload.roster or [])
    attendance = _attendance_rows(payload.attendance) if payload.attendance is not None else None
    roster = _roster_rows(payload.roster) if payload.roster is not None else None
    _update(session, row, actor, changes, attendance, roster)
    return row


def delete_training_session(
    session: Session, *, session_id: int, actor: Principal, if_match: str | None
) -> None:
    row = KIND.writable(session, session_id, actor, if_match)
    roster = _roster_of(session, session_id)
    before = _audit_snapshot(
        row, _attendance_of(session, [session_id])[session_id], roster, len(roster)
    )
    _replace_children(session, session_id, [], [])
    session.delete(row)
    _record(session, actor, "delete", row, before=before, after=None)
    session.flush()


def _record(
    session: Session,
    actor: Principal,
    action: str,
    row: TrainingSession,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_event(
        session,
        actor=actor,
        action=action,
        entity=KIND.entity,
        entity_id=row.id or 0,
        before=before,
        after=after,
        agency_code=row.agency_code,
    )
