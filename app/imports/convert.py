"""Spreadsheet rows into the payloads the API takes (``BroadcastCreate`` …), each with its
identity.

A row's identity is its push key: ``source = "import"`` and ``external_id`` = the ID
column when filled, otherwise ``sha256(agency|time|folded title)[:32]`` (a figure:
``metric|agency|period``). Folding (app.core.text.fold) ignores case, diacritics and
punctuation, so a title's accent or capital corrected keeps the key; a corrected duration
keeps it too (the record is updated); a corrected title or time is another key, a new
record, unless the ID column was filled from the first upload on. The template's note
says so.

Two rows of one file with the same identity: the second is refused (a copied row, or two
airings the ID column must tell apart), except in the training template, where the rows
of one session (one row per line of attendance) share it on purpose.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from app.core.text import fold
from app.imports import cells
from app.imports.cells import CellError
from app.imports.directory import AgencyDirectory
from app.imports.layouts import Column, Kind, Layout
from app.imports.messages import say
from app.imports.reading import Table
from app.imports.schemas import RecordType, RowError

SOURCE = "import"


@dataclass
class Item:
    """One record to push: its payload and the spreadsheet rows it came from."""

    rows: list[int]
    payload: dict[str, Any]
    attendance_rows: list[int] = field(default_factory=list)  # row of attendance[k]


@dataclass
class Conversion:
    items: list[Item] = field(default_factory=list)
    rejected: dict[int, list[RowError]] = field(default_factory=dict)  # before any push


def derived_key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _stamp(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _parse(column: Column, value: Any, directory: AgencyDirectory) -> Any:
    kind, vocab = column.kind, column.vocab
    if kind is Kind.agency:
        return directory.resolve(value)
    if kind in (Kind.instant, Kind.instant_or_day):
        return cells.instant(value, time_required=kind is Kind.instant)
    if kind is Kind.choice and vocab is not None:
        return cells.choice(value, vocab)
    if kind is Kind.choices and vocab is not None:
        return cells.choices(value, vocab)
    readers = {
        Kind.day: cells.day_of,
        Kind.duration: cells.duration_seconds,
        Kind.integer: cells.integer,
        Kind.number: cells.number,
        Kind.flag: cells.flag,
        Kind.period: cells.period,
    }
    reader = readers.get(kind)
    return reader(value) if reader is not None else cells.text_of(value)


def missing(column: Column) -> RowError:
    return RowError(
        column=column.title,
        reason=say("this cell must be filled", "ô này bắt buộc, không được để trống"),
        type="missing",
    )


def read_row(
    raw: dict[str, Any],
    directory: AgencyDirectory,
    fields: list[Column],
    required: set[str] | None = None,
) -> tuple[dict[str, Any], list[RowError]]:
    """The values of ``fields`` in one row, and the cells that could not be read or are
    empty although required (``required``: these fields; by default the columns' own)."""
    if required is None:
        required = {column.field for column in fields if column.required}
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in fields:
        try:
            if column.field in raw:
                values[column.field] = _parse(column, raw[column.field], directory)
        except CellError as exc:
            errors.append(RowError(column=column.title, reason=exc.reason, type=exc.kind))
            continue
        if column.field in required and values.get(column.field) in (None, "", []):
            errors.append(missing(column))
    return values, errors


def identity(layout: Layout, values: dict[str, Any]) -> str:
    if values.get("external_id"):
        return str(values["external_id"])
    if layout.record_type is RecordType.figures:
        return derived_key(values["metric"], values["agency_code"], values["period"])
    time_field = {
        RecordType.broadcasts: "started_at",
        RecordType.media_products: "published_at",
        RecordType.training_sessions: "started_on",
    }[layout.record_type]
    return derived_key(values["agency_code"], _stamp(values[time_field]), fold(values["title"]))


def _duplicate(first_row: int) -> RowError:
    return RowError(
        column=None,
        reason=say(
            f"the same record as row {first_row} (same agency, time and title, or the same "
            "ID): if they are two records, give each its own ID",
            f"trùng với dòng {first_row} (cùng đơn vị, thời gian và tên, hoặc cùng mã dòng): "
            "nếu là hai bản ghi khác nhau, hãy ghi mã dòng riêng cho mỗi dòng",
        ),
        type="duplicate_row",
    )


def convert_rows(layout: Layout, table: Table, directory: AgencyDirectory) -> Conversion:
    """Broadcasts, media products, figures: one row, one record."""
    conversion = Conversion()
    first_row_of: dict[tuple[str, str], int] = {}
    columns = list(layout.columns)
    for number, raw in table.rows:
        values, errors = read_row(raw, directory, columns)
        if errors:
            conversion.rejected[number] = errors
            continue
        values["external_id"] = identity(layout, values)
        values["source"] = SOURCE
        key = (values["agency_code"], values["external_id"])
        if key in first_row_of:
            conversion.rejected[number] = [_duplicate(first_row_of[key])]
            continue
        first_row_of[key] = number
        conversion.items.append(Item(rows=[number], payload=_payload(layout, values)))
    return conversion


def _payload(layout: Layout, values: dict[str, Any]) -> dict[str, Any]:
    """What an API client would send: the figure's value as a number (its schema takes
    no text), every other value as read."""
    if layout.record_type is RecordType.figures:
        values = {**values, "value": float(values["value"])}
    return values
