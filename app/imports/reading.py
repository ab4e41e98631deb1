"""A spreadsheet's rows: the file recognised by its bytes (never by its name), checked
before it is opened, its header row found, each data row read cell by cell.

An .xlsx is a zip archive: its declared sizes are checked BEFORE openpyxl opens it (a
zip bomb expands a few kilobytes into gigabytes), and Python's zipfile never inflates a
member past its declared size, so the check holds against a lying archive too. A CSV is
UTF-8 (with or without the BOM Excel writes), UTF-16 (Excel's "Unicode text") or, from
older Excel on Vietnamese Windows, Windows-1258; separated by commas, semicolons or tabs.
"""

import csv
import io
import itertools
import unicodedata
import warnings
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core.config import get_settings
from app.core.errors import AppError, InvalidInput, PayloadTooLarge
from app.imports.cells import display
from app.imports.layouts import LAYOUTS, Column, Layout, header_key
from app.imports.messages import say

HEADER_SCAN_ROWS = 30  # the header row is looked for among the first rows (notes above it)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the pre-2007 Office formats
_ZIP = b"PK\x03\x04"
_RATIO_FLOOR = 1024 * 1024  # below this, a high ratio is harmless (and common in XML)
_MAX_MEMBERS = 10_000


@dataclass
class Table:
    file_format: str
    columns: list[tuple[int, Column]]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, field: cell) of the data rows
    notes: list[str] = field(default_factory=list)


def _unknown_format(en: str, vi: str) -> InvalidInput:
    message = say(en, vi)
    return InvalidInput(
        message, errors=[{"loc": ["body", "file"], "msg": message, "type": "unknown_file_format"}]
    )


def _too_large(kind: str, en: str, vi: str) -> PayloadTooLarge:
    message = say(en, vi)
    return PayloadTooLarge(
        message, errors=[{"loc": ["body", "file"], "msg": message, "type": kind}]
    )


def file_format(content: bytes) -> str:
    """``xlsx`` or ``csv`` by the file's first bytes; a 422 for anything else."""
    if content.startswith(_ZIP):
        return "xlsx"
    if content.startswith(_OLE2):
        raise _unknown_format(
            "This is an old Excel workbook (.xls): save it as .xlsx (Excel Workbook) or as "
            "CSV UTF-8, then upload it again.",
            "Đây là tệp Excel cũ (.xls): hãy lưu lại dưới dạng .xlsx (Excel Workbook) hoặc "
            "CSV UTF-8 rồi tải lên lại.",
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in content[:8192]:
        return "csv"
    raise _unknown_format(
        "The file is not a spreadsheet: upload the template filled in, as .xlsx or .csv.",
        "Tệp không phải là bảng tính: hãy tải lên mẫu đã điền, dạng .xlsx hoặc .csv.",
    )


def check_archive(content: bytes) -> None:
    """Refuse an .xlsx whose members would expand past the limits, before inflating any."""
    settings = get_settings()
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _unknown_format(
            f"The .xlsx file is damaged ({exc}); save it again from Excel.",
            f"Tệp .xlsx bị hỏng ({exc}); hãy lưu lại từ Excel.",
        ) from None
    expanded = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    mib = expanded / 1024 / 1024
    if len(members) > _MAX_MEMBERS or expanded > settings.import_max_unzipped_bytes:
        limit = settings.import_max_unzipped_bytes // 1024 // 1024
        raise _too_large(
            "unzipped_too_large",
            f"The workbook expands to {mib:.0f} MiB, more than {limit} MiB: it was not opened.",
            f"Tệp bảng tính giải nén ra {mib:.0f} MiB, quá {limit} MiB: tệp không được mở.",
        )
    if expanded > _RATIO_FLOOR and expanded / packed > settings.import_max_zip_ratio:
        ratio = expanded / packed
        raise _too_large(
            "zip_ratio",
            f"The workbook expands {ratio:.0f} times (to {mib:.0f} MiB), as a zip bomb does: "
            "it was not opened.",
            f"Tệp bảng tính giải nén ra gấp {ratio:.0f} lần (thành {mib:.0f} MiB), như một "
            "'bom nén': tệp không được mở.",
        )
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise _unknown_format(
            "The file is a zip archive but not an Excel workbook: upload the .xlsx template.",
            "Tệp là tệp nén nhưng không phải bảng tính Excel: hãy tải lên mẫu .xlsx.",
        )


def _header_positions(row: Iterable[Any], layout: Layout) -> dict[str, int] | None:
    """Column key: position, when this row holds every required header of the layout."""
    positions: dict[str, int] = {}
    for index, value in enumerate(row):
        key = header_key(display(value))
        if key:
            positions.setdefault(key, index)
    required = {column.key for column in layout.columns if column.required}
    return positions if required <= positions.keys() else None


def _wrong_template(peeks: list[list[list[Any]]], layout: Layout) -> InvalidInput:
    """Names the template the file follows when it is another of ours (in any sheet, or
    read with any separator), otherwise shows what its first row reads."""
    first_rows = peeks[0] if peeks else []
    for other in LAYOUTS.values():
        if other is not layout and any(_header_positions(r, other) for p in peeks for r in p):
            en = (
                f"The file follows the template of {other.record_type.value}, not of "
                f"{layout.record_type.value}: choose record_type={other.record_type.value} or "
                f"download the {layout.record_type.value} template."
            )
            vi = (
                f"Tệp theo mẫu '{other.name}', không phải mẫu '{layout.name}': hãy chọn "
                f"record_type={other.record_type.value} hoặc tải mẫu đúng."
            )
            break
    else:
        expected = "; ".join(column.title for column in layout.columns if column.required)
        seen = next((r for r in first_rows if any(display(v) for v in r)), [])
        found = "; ".join(display(v) for v in seen if display(v))[:500] or "-"
        en = (
            f"No row has the headers of the {layout.record_type.value} template "
            f"(required: {expected}); the first row reads: {found}. Download the template."
        )
        vi = (
            f"Không dòng nào có tiêu đề cột của mẫu '{layout.name}' (bắt buộc: {expected}); "
            f"dòng đầu tiên là: {found}. Hãy tải mẫu và điền vào mẫu."
        )
    message = say(en, vi)
    return InvalidInput(
        message, errors=[{"loc": ["body", "file"], "msg": message, "type": "unknown_template"}]
    )


def _table(rows: Iterator[list[Any]], layout: Layout, file_format: str) -> Table | None:
    """The header row among the first rows, then the data rows (None: no header row)."""
    for number, row in enumerate(rows, start=1):
        positions = _header_positions(row, layout)
        if positions is not None:
            table = _columns(layout, positions, row, file_format)
            table.rows = _data_rows(rows, number, table, layout)
            return table
        if number >= HEADER_SCAN_ROWS:
            break
    return None


def _columns(layout: Layout, positions: dict[str, int], header: list[Any], fmt: str) -> Table:
    columns = [(positions[c.key], c) for c in layout.columns if c.key in positions]
    known = {position for position, _ in columns}
    extra = [display(v) for i, v in enumerate(header) if display(v) and i not in known]
    table = Table(fmt, sorted(columns, key=lambda item: item[0]), [])
    if extra:
        table.notes.append(
            say(
                f"Columns outside the template were ignored: {'; '.join(extra)}.",
                f"Các cột không thuộc mẫu đã được bỏ qua: {'; '.join(extra)}.",
            )
        )
    return table


def _data_rows(
    rows: Iterator[list[Any]], header_number: int, table: Table, layout: Layout
) -> list[tuple[int, dict[str, Any]]]:
    limit = get_settings().import_max_rows
    shown = {c.field for _, c in table.columns}
    example = {
        c.field: header_key(display(v))
        for c, v in zip(layout.columns, layout.example, strict=True)
        if c.field in shown
    }
    found: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=header_number + 1):
        cells = {
            column.field: row[position]
            for position, column in table.columns
            if position < len(row) and display(row[position])
        }
        if not cells:
            continue
        if all(header_key(display(cells.get(f))) == v for f, v in example.items()):
            table.notes.append(
                say(
                    f"Row {number} is the template's example, left as it was: skipped.",
                    f"Dòng {number} là dòng ví dụ của mẫu, chưa được sửa: đã bỏ qua.",
                )
            )
            continue
        if len(found) >= limit:
            raise _too_large(
                "too_many_rows",
                f"The file has more than {limit:,} rows: split it into several files.",
                f"Tệp có hơn {limit:,} dòng: hãy chia thành nhiều tệp.",
            )
        found.append((number, cells))
    return found


def _xlsx_sheets(content: bytes) -> Generator[Iterator[list[Any]]]:
    from openpyxl import load_workbook  # imported here: memory a worker rarely needs

    with warnings.catch_warnings():
        # Excel's extensions openpyxl drops (x14 validations, slicers) are nothing to us.
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # a stale <dimension> would cut rows off
            yield (list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _decode(content: bytes) -> tuple[str, str | None]:
    """The CSV's text, and a note when it was not UTF-8."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), None
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = unicodedata.normalize("NFC", content.decode("cp1258"))
    except UnicodeDecodeError:
        raise _unknown_format(
            "The CSV file is neither UTF-8 nor Windows-1258: save it as CSV UTF-8.",
            "Tệp CSV không phải mã UTF-8 hay Windows-1258: hãy lưu dưới dạng CSV UTF-8.",
        ) from None
    note = say(
        "The CSV file is not UTF-8: it was read as Windows-1258 (Vietnamese).",
        "Tệp CSV không dùng mã UTF-8: đã đọc theo bảng mã Windows-1258 (tiếng Việt).",
    )
    return text, note


def _csv_sheets(text: str) -> Generator[Iterator[list[Any]]]:
    """The file read with each separator in turn: the header row decides which is right."""
    for delimiter in (",", ";", "\t"):
        yield iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_table(content: bytes, layout: Layout) -> Table:
    """The spreadsheet's data rows for ``layout``; 413 or 422 when the file is refused."""
    fmt = file_format(content)
    note = None
    if fmt == "xlsx":
        check_archive(content)
        sheets = _xlsx_sheets(content)
    else:
        text, note = _decode(content)
        sheets = _csv_sheets(text)
    peeks: list[list[list[Any]]] = []
    try:
        for rows in sheets:
            peek = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            peeks.append(peek)
            table = _table(itertools.chain(peek, rows), layout, fmt)
            if table is not None:
                table.notes[:0] = [note] if note else []
                return table
    except AppError:
        raise
    except Exception as exc:  # whatever a damaged file makes the parsers raise
        raise _unknown_format(
            f"The file could not be read as a spreadsheet ({type(exc).__name__}: {exc}).",
            f"Không đọc được tệp như một bảng tính ({type(exc).__name__}: {exc}).",
        ) from None
    finally:
        sheets.close()  # the workbook's archive
    raise _wrong_template(peeks, layout)
