"""Uploads of spreadsheets: read the file, convert its rows, push them through the record
domains' services, answer each row, and keep the upload (refused ones included)."""

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.agencies.access import province_agencies_clause
from app.core import metrics
from app.core.config import get_settings
from app.core.errors import AppError, NotFound, PayloadTooLarge
from app.core.i18n import current_language
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.request_context import current_request_id
from app.imports.convert import Conversion, Item, convert_rows
from app.imports.directory import AgencyDirectory
from app.imports.layouts import ATTENDANCE, LAYOUTS, Layout
from app.imports.messages import say
from app.imports.models import SpreadsheetImport
from app.imports.pushing import push_items
from app.imports.reading import Table, read_table
from app.imports.schemas import (
    ImportCounts,
    ImportFilters,
    ImportRead,
    ImportSummary,
    RecordType,
    RowError,
    RowResult,
)
from app.imports.training import convert_training

log = logging.getLogger("app.imports")
OUTCOMES = ("created", "updated", "unchanged", "rejected")


@dataclass(frozen=True)
class Upload:
    record_type: RecordType
    file_name: str
    content: bytes  # empty when the file is over the limit (only its size and hash kept)
    size: int
    sha256: str
    dry_run: bool


def _new_record(upload: Upload, actor: Principal) -> SpreadsheetImport:
    return SpreadsheetImport.model_validate(
        {
            "record_type": upload.record_type.value,
            "file_name": upload.file_name,
            "file_sha256": upload.sha256,
            "file_size": upload.size,
            "dry_run": upload.dry_run,
            "actor": actor.actor,
            "actor_key_id": actor.key_id,
            "agency_code": actor.agency_code,
            "outcome": "refused",
            "language": current_language(),
            "request_id": current_request_id(),
        }
    )


def _read(upload: Upload, layout: Layout) -> Table:
    limit = get_settings().import_max_bytes
    if upload.size > limit:
        message = say(
            f"The file is {upload.size:,} bytes, more than {limit:,}: split it into several files.",
            f"Tệp có {upload.size:,} byte, quá giới hạn {limit:,}: hãy chia thành nhiều tệp.",
        )
        raise PayloadTooLarge(
            message,
            errors=[{"loc": ["body", "file"], "msg": message, "type": "file_too_large"}],
        )
    return read_table(upload.content, layout)


def import_spreadsheet(session: Session, *, upload: Upload, actor: Principal) -> SpreadsheetImport:
    """Every row answered; the upload kept whatever its outcome. A file refused as a whole
    raises its problem after it is committed."""
    layout = LAYOUTS[upload.record_type]
    record = _new_record(upload, actor)
    try:
        table = _read(upload, layout)
    except AppError as exc:
        record.problem = exc.detail
        session.add(record)
        # A boundary of its own: the request fails with this problem, and its session rolls
        # back on the way out; the refused upload is kept all the same (GET /imports).
        session.commit()
        log.info("upload %s refused: %s", upload.sha256[:12], exc.detail)
        raise
    record.file_format = table.file_format
    directory = AgencyDirectory.load(session)
    if layout.record_type is RecordType.training_sessions:
        conversion = convert_training(layout, table, directory)
    else:
        conversion = convert_rows(layout, table, directory)
    payloads = [item.payload for item in conversion.items]
    outcomes = push_items(
        session, layout.record_type, payloads, actor=actor, dry_run=upload.dry_run
    )
    _count_metrics(upload, outcomes)
    rows = row_results(layout, conversion, outcomes)
    _complete(record, table, rows)
    session.add(record)
    session.flush()  # its id, for the answer's Location; the request commits it
    return record


def _count_metrics(upload: Upload, outcomes: list[dict[str, Any]]) -> None:
    counts = Counter(outcome["outcome"] for outcome in outcomes)
    metrics.count_batch(upload.record_type.value, {"dry_run": upload.dry_run, "counts": counts})


def _complete(record: SpreadsheetImport, table: Table, rows: list[RowResult]) -> None:
    counts = Counter(row.outcome for row in rows)
    record.outcome = "completed"
    record.rows_total = len(rows)
    record.created, record.updated = counts["created"], counts["updated"]
    record.unchanged, record.rejected = counts["unchanged"], counts["rejected"]
    notes = list(table.notes)
    if not rows:
        notes.append(say("The file has no data rows.", "Tệp không có dòng dữ liệu nào."))
    record.notes = notes
    record.results = [row.model_dump(mode="json") for row in rows]


# --- rows -----------------------------------------------------------------------------


def _tail(loc: list[Any]) -> list[Any]:
    """``["body", "items", 3, "title"]`` or ``["body", "title"]`` -> ``["title"]``."""
    rest = loc[1:] if loc[:1] == ["body"] else list(loc)
    return rest[2:] if rest[:1] == ["items"] and len(rest) >= 2 else rest


def _where(layout: Layout, item: Item, loc: list[Any], msg: str) -> tuple[int, str | None]:
    """The row and the column's header a problem's ``loc`` points at. A rule between two
    fields points at the record (or the line of attendance): its message names the field
    first ("ended_on must not be before started_on"), and that is the column."""
    tail = _tail(loc)
    named = (msg.split() or [""])[0]
    name = tail[0] if tail and isinstance(tail[0], str) else named
    line = tail[1] if len(tail) > 1 and isinstance(tail[1], int) else None
    if name == "attendance" and line is not None and line < len(item.attendance_rows):
        field = tail[2] if len(tail) > 2 and isinstance(tail[2], str) else named
        column = layout.column(ATTENDANCE + field)
        return item.attendance_rows[line], column.title if column else None
    column = layout.column(name)
    return item.rows[0], column.title if column else None


def _problem_rows(layout: Layout, item: Item, problem: dict[str, Any]) -> dict[int, list[RowError]]:
    """A push's rejection as the rows and columns of the spreadsheet."""
    found: dict[int, list[RowError]] = {}
    for error in problem.get("errors") or []:
        msg = str(error.get("msg"))
        row, column = _where(layout, item, list(error.get("loc", [])), msg)
        found.setdefault(row, []).append(
            RowError(column=column, reason=msg, type=str(error.get("type")))
        )
    if not found:
        slug = str(problem.get("type", "")).rsplit("/", 1)[-1]
        agency = layout.column("agency_code")
        column = agency.title if slug == "forbidden" and agency else None
        detail = str(problem.get("detail") or problem.get("title"))
        found[item.rows[0]] = [RowError(column=column, reason=detail, type=slug)]
    return found


def _with_its_record(rows: dict[int, list[RowError]]) -> list[RowError]:
    faulty = ", ".join(str(row) for row in sorted(rows))
    return [
        RowError(
            column=None,
            reason=say(
                f"its record is refused: see row {faulty}",
                f"bản ghi của dòng này bị từ chối: xem dòng {faulty}",
            ),
            type="record_refused",
        )
    ]


def row_results(
    layout: Layout, conversion: Conversion, outcomes: list[dict[str, Any]]
) -> list[RowResult]:
    """One result per data row, in the spreadsheet's order."""
    results = {
        row: RowResult(row=row, outcome="rejected", id=None, external_id=None, errors=errors)
        for row, errors in conversion.rejected.items()
    }
    for item, outcome in zip(conversion.items, outcomes, strict=True):
        key = item.payload.get("external_id")
        if outcome["outcome"] == "rejected":
            problems = _problem_rows(layout, item, outcome["problem"])
            for row in item.rows:
                errors = problems.get(row) or _with_its_record(problems)
                results[row] = RowResult(
                    row=row, outcome="rejected", id=None, external_id=key, errors=errors
                )
            continue
        for row in item.rows:
            results[row] = RowResult(
                row=row, outcome=outcome["outcome"], id=outcome["id"], external_id=key, errors=[]
            )
    return [results[row] for row in sorted(results)]


# --- reading uploads ------------------------------------------------------------------


def _visible(actor: Principal) -> Any:
    """A key sees its own agency's uploads; an admin key those of its province (a
    national one's every upload)."""
    if actor.is_admin:
        return province_agencies_clause(SpreadsheetImport.agency_code, actor)
    return SpreadsheetImport.agency_code == actor.agency_code


def list_imports(
    session: Session, *, page: PageParams, actor: Principal, filters: ImportFilters
) -> tuple[list[SpreadsheetImport], str | None]:
    statement = select(SpreadsheetImport)
    visible = _visible(actor)
    if visible is not None:
        statement = statement.where(visible)
    if (record_type := filters.record_type) is not None:
        statement = statement.where(SpreadsheetImport.record_type == record_type.value)
    return paginate(session, statement, col(SpreadsheetImport.id), page)


def get_import(session: Session, import_id: int, actor: Principal) -> SpreadsheetImport:
    row = session.get(SpreadsheetImport, import_id)
    visible = _visible(actor)
    if row is not None and visible is not None:
        seen = select(SpreadsheetImport.id).where(SpreadsheetImport.id == row.id, visible)
        row = row if session.exec(seen).first() is not None else None
    if row is None:
        raise NotFound(
            say(f"No upload with id {import_id}.", f"Không có lượt tải lên nào có id {import_id}.")
        )
    return row


def _summary_fields(row: SpreadsheetImport) -> dict[str, Any]:
    counts = ImportCounts(**{name: getattr(row, name) for name in OUTCOMES})
    names = set(ImportSummary.model_fields) - {"counts"}
    return {**{name: getattr(row, name) for name in names}, "counts": counts}


def to_summary(row: SpreadsheetImport) -> ImportSummary:
    return ImportSummary.model_validate(_summary_fields(row))


def to_read(row: SpreadsheetImport) -> ImportRead:
    return ImportRead.model_validate(
        {**_summary_fields(row), "notes": row.notes or [], "rows": row.results or []}
    )
