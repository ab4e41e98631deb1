"""The training template: one row per line of attendance, the rows of a session grouped.

A session's first row names it (organiser, title, first day…: its identity, as other
records); the rows after it either leave the session's columns empty (or merged: a merged
cell reads as empty below its first row) or repeat them, and add one line of attendance
each (agency, audience, participants, passed). The session is pushed whole, attendance
included, through ``push_training_session``; a row that cannot be read rejects its
session (a session pushed without one of its lines would count too few people).
"""

from dataclasses import dataclass, field
from typing import Any

from app.imports.convert import SOURCE, Conversion, Item, identity, read_row
from app.imports.directory import AgencyDirectory
from app.imports.layouts import ATTENDANCE, Layout
from app.imports.messages import say
from app.imports.reading import Table
from app.imports.schemas import RowError


@dataclass
class _Session:
    values: dict[str, Any]
    rows: list[int] = field(default_factory=list)
    attendance: list[dict[str, Any]] = field(default_factory=list)
    attendance_rows: list[int] = field(default_factory=list)
    errors: dict[int, list[RowError]] = field(default_factory=dict)

    def refuse(self, row: int, errors: list[RowError]) -> None:
        self.errors.setdefault(row, []).extend(errors)


def _differences(session: _Session, values: dict[str, Any], layout: Layout) -> list[RowError]:
    """A repeated session row that says something else than its first row."""
    first = session.rows[0]
    found = []
    for name, value in values.items():
        column = layout.column(name)
        if column is not None and value != session.values.get(name):
            found.append(
                RowError(
                    column=column.title,
                    reason=say(
                        f"differs from row {first}, which describes the same session",
                        f"khác với dòng {first} (cùng một lớp)",
                    ),
                    type="session_differs",
                )
            )
    return found


def _session_of(
    layout: Layout,
    number: int,
    raw: dict[str, Any],
    directory: AgencyDirectory,
    sessions: dict[str, _Session],
) -> _Session:
    """The session a row with session cells names (a new one, or one met before)."""
    columns = [c for c in layout.columns if not c.field.startswith(ATTENDANCE)]
    values, errors = read_row(raw, directory, columns)
    if errors:  # no identity to group by: a session of its own, refused
        session = sessions.setdefault(f"row {number}", _Session(values))
        session.rows.append(number)
        session.refuse(number, errors)
        return session
    key = identity(layout, values)
    known = sessions.get(key)
    if known is None:
        known = sessions[key] = _Session({**values, "external_id": key})
    else:
        values.pop("external_id", None)
        differences = _differences(known, values, layout)
        if differences:
            known.refuse(number, differences)
    known.rows.append(number)
    return known


def _add_attendance(
    layout: Layout, session: _Session, number: int, raw: dict[str, Any], directory: AgencyDirectory
) -> None:
    columns = [c for c in layout.columns if c.field.startswith(ATTENDANCE)]
    if not any(c.field in raw for c in columns):
        return
    # A line of attendance, once begun, needs its agency, audience and participants.
    needed = {c.field for c in columns if c.field != ATTENDANCE + "passed"}
    values, errors = read_row(raw, directory, columns, needed)
    if errors:
        session.refuse(number, errors)
        return
    session.attendance.append({k.removeprefix(ATTENDANCE): v for k, v in values.items()})
    session.attendance_rows.append(number)


def _orphan() -> list[RowError]:
    return [
        RowError(
            column=None,
            reason=say(
                "a line of attendance without a session: fill the session's columns above it",
                "dòng tham dự không thuộc lớp nào: hãy ghi thông tin lớp ở dòng trên",
            ),
            type="no_session",
        )
    ]


def convert_training(layout: Layout, table: Table, directory: AgencyDirectory) -> Conversion:
    conversion = Conversion()
    sessions: dict[str, _Session] = {}
    current: _Session | None = None
    for number, raw in table.rows:
        if any(not name.startswith(ATTENDANCE) for name in raw):
            current = _session_of(layout, number, raw, directory, sessions)
        elif current is None:
            conversion.rejected[number] = _orphan()
            continue
        else:
            current.rows.append(number)
        _add_attendance(layout, current, number, raw, directory)
    for session in sessions.values():
        _settle(session, conversion)
    return conversion


def _settle(session: _Session, conversion: Conversion) -> None:
    """A session without problems becomes an item; otherwise each of its rows is refused
    (with its own problems, or pointing at the rows that have them)."""
    if not session.errors:
        values = session.values
        payload = {
            **values,
            "ended_on": values.get("ended_on") or values["started_on"],
            "attendance": session.attendance,
            "source": SOURCE,
        }
        conversion.items.append(Item(session.rows, payload, session.attendance_rows))
        return
    faulty = ", ".join(str(row) for row in sorted(session.errors))
    for row in session.rows:
        conversion.rejected[row] = session.errors.get(row) or [
            RowError(
                column=None,
                reason=say(
                    f"its session is refused: see row {faulty}",
                    f"lớp của dòng này bị từ chối: xem dòng {faulty}",
                ),
                type="session_refused",
            )
        ]
