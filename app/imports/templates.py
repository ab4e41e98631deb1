"""The templates people fill: an .xlsx with drop-down lists, or a CSV for any tool.

The workbook has three sheets: ``Dữ liệu`` (the headers, a filled example row, drop-down
lists on the vocabulary and agency columns), ``Hướng dẫn`` (how to fill it, how a row
is recognised when the file is uploaded again, what each column takes) and ``Danh mục``
(the lists: Vietnamese labels, agency names with their codes). The CSV carries the same
note above its header row, each line starting with ``#``, and the allowed values in it.
"""

import csv
import io
from collections.abc import Sequence
from typing import Any

from app.core.office_text import cell_text
from app.core.vocab import LABELS_VI
from app.imports.cells import display
from app.imports.layouts import Column, Kind, Layout
from app.imports.schemas import RecordType

DATA_SHEET = "Dữ liệu"
NOTE_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
TEMPLATE_ROWS = 10_000  # rows the drop-down lists cover
# Kept as text: Excel would read "03/04/2026" as 4 March or 3 April by the computer's
# locale; as text, the service reads it day first whatever the computer.
_TEXT_KINDS = (Kind.identifier, Kind.instant, Kind.instant_or_day, Kind.day, Kind.period)


def _general_note(layout: Layout) -> list[str]:
    what = (
        "lớp (theo đơn vị, đối tượng tham dự)"
        if layout.record_type is RecordType.training_sessions
        else "bản ghi"
    )
    lines = [
        f"MẪU NHẬP: {layout.name.upper()} (Kế hoạch 209/KH-UBND tỉnh Cao Bằng)",
        f"Mỗi dòng là một {what}. Giữ nguyên dòng tiêu đề; cột có dấu (*) là bắt buộc; cột "
        "thêm ngoài mẫu được bỏ qua. Dòng ví dụ ngay dưới tiêu đề: sửa thành dữ liệu thật hoặc "
        "xóa đi (để nguyên thì dòng đó được bỏ qua).",
        "Ngày giờ ghi theo kiểu Việt Nam, giờ Việt Nam: 20/03/2026 hoặc 20/03/2026 07:30 (ô "
        "ngày của Excel cũng được). Số: 1.234 là một nghìn hai trăm ba mươi tư, 1,5 là một "
        "phẩy năm.",
    ]
    if layout.record_type is RecordType.training_sessions:
        lines.append(
            "Lớp có nhiều đơn vị hoặc đối tượng tham dự thì ghi nhiều dòng: dòng đầu ghi đủ "
            "thông tin lớp, các dòng sau chỉ ghi 4 cột tham dự (để trống các cột của lớp, hoặc "
            "gộp ô), hoặc ghi lại đúng thông tin lớp."
        )
    return [*lines, *_identity_note(layout)]


def _identity_note(layout: Layout) -> list[str]:
    if layout.record_type is RecordType.figures:
        return [
            f"Tải lên nhiều lần không tạo trùng: mỗi dòng được nhận biết bằng {layout.identity}.",
        ]
    id_header = layout.columns[0].header
    return [
        "Tải lên nhiều lần, hoặc tải lại tệp đã thêm hay sửa dòng, không tạo trùng: mỗi dòng "
        f"được nhận biết bằng cột '{id_header}' nếu có ghi, nếu không thì bằng {layout.identity} "
        "(không phân biệt chữ hoa, chữ thường, dấu thanh, dấu câu).",
        "Sửa các ô khác (thời lượng, nguồn, chủ đề, số người…) rồi tải lại: bản ghi cũ được cập "
        f"nhật. Sửa tên hoặc thời gian của một dòng không có '{id_header}': đó là một bản ghi MỚI, "
        "bản ghi cũ vẫn còn (xóa nó qua API hoặc nhờ Sở VHTTDL). Nếu có thể phải sửa tên hay "
        f"thời gian, hãy ghi '{id_header}' ngay từ lần tải đầu và giữ nguyên mã đó.",
        "Thử trước: tải lên với dry_run=true để xem kết quả từng dòng mà chưa ghi gì. Kết quả "
        "mỗi dòng: tạo mới, cập nhật, không đổi, hoặc bị từ chối kèm số dòng, cột và lý do; "
        "một dòng sai không ảnh hưởng các dòng khác.",
    ]


def _allowed(column: Column) -> str:
    if column.vocab is None:
        return ""
    return "Một trong: " + "; ".join(LABELS_VI[column.vocab].values()) + "."


def column_notes(layout: Layout) -> list[tuple[str, str, str]]:
    """(header, required, how to fill) of each column."""
    return [
        (
            column.title,
            "Bắt buộc" if column.required else "",
            " ".join(filter(None, [column.hint, _allowed(column)])),
        )
        for column in layout.columns
    ]


def build_csv(layout: Layout) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Vietnamese text as it is."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for line in _general_note(layout):
        writer.writerow([f"# {line}"])
    for header, required, how in column_notes(layout):
        writer.writerow([f"# {header}{' - ' + required if required else ''}: {how}".rstrip(": ")])
    writer.writerow([column.title for column in layout.columns])
    writer.writerow([display(value) for value in layout.example])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_xlsx(layout: Layout, agencies: Sequence[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook  # imported here: memory a worker rarely needs

    book = Workbook()
    data = book.active
    assert data is not None
    data.title = DATA_SHEET
    lists = _list_sheet(book.create_sheet(LIST_SHEET), layout, agencies)
    _data_sheet(data, layout, lists)
    _note_sheet(book.create_sheet(NOTE_SHEET, 1), layout)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _data_sheet(sheet: Any, layout: Layout, lists: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([column.title for column in layout.columns])
    sheet.append([display(value) or None for value in layout.example])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for position, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(position)
        head = sheet.cell(row=1, column=position)
        head.font = Font(bold=True, color="C00000" if column.required else "000000")
        head.fill = header_fill
        head.alignment = Alignment(wrap_text=True, vertical="top")
        example = sheet.cell(row=2, column=position)
        example.font = Font(italic=True, color="7F7F7F")
        if isinstance(layout.example[position - 1], int | float):
            example.value = layout.example[position - 1]  # numbers stay numbers
        sheet.column_dimensions[letter].width = column.width
        if column.kind in _TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if column.field in lists:
            _drop_down(sheet, column, lists[column.field], f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 45


def _drop_down(sheet: Any, column: Column, source: str, cells: str) -> None:
    """A drop-down list that still lets a value outside it be typed (a code, or several
    topics separated by ``;``): the service checks every cell anyway."""
    from openpyxl.worksheet.datavalidation import DataValidation

    several = column.kind is Kind.choices
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=not several,
        errorStyle="warning",
        errorTitle="Không có trong danh sách",
        error="Giá trị này không có trong danh sách. Vẫn giữ?",
        promptTitle=column.header[:32],
        prompt=(
            "Chọn một; nhiều giá trị thì ghi cách nhau bằng ;"
            if several
            else "Chọn trong danh sách"
        )[:255],
        showInputMessage=True,
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _list_sheet(sheet: Any, layout: Layout, agencies: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Each list in two columns of its own (the values people pick, their codes); returns
    field: the cell range a drop-down takes its values from."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname

    lists: dict[str, str] = {}
    position = 1
    for column in layout.columns:
        if column.vocab is not None:
            pairs = [(label, code) for code, label in LABELS_VI[column.vocab].items()]
        elif column.kind is Kind.agency:
            pairs = list(agencies)
        else:
            continue
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=column.header).font = Font(bold=True)
        sheet.cell(row=1, column=position + 1, value="Mã").font = Font(bold=True)
        for row, (value, code) in enumerate(pairs, start=2):
            _text_cell(sheet, row, position, value)
            _text_cell(sheet, row, position + 1, code)
        sheet.column_dimensions[letter].width = 40
        last = max(2, len(pairs) + 1)
        lists[column.field] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${last}"
        position += 3
    return lists


def _text_cell(sheet: Any, row: int, column: int, text: str) -> None:
    """Text as text: an agency named "=…" must not become a formula, nor a name holding a
    character XML cannot (a control character) break the workbook."""
    cell = sheet.cell(row=row, column=column, value=cell_text(text))
    cell.data_type = "s"


def _note_sheet(sheet: Any, layout: Layout) -> None:
    from openpyxl.styles import Alignment, Font

    lines = _general_note(layout)
    sheet.cell(row=1, column=1, value=lines[0]).font = Font(bold=True, size=13)
    for row, line in enumerate(lines[1:], start=2):
        sheet.cell(row=row, column=1, value=line).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.row_dimensions[row].height = 48
    start = len(lines) + 2
    for position, title in enumerate(("Cột", "Bắt buộc", "Cách ghi"), start=1):
        sheet.cell(row=start, column=position, value=title).font = Font(bold=True)
    for row, (header, required, how) in enumerate(column_notes(layout), start=start + 1):
        sheet.cell(row=row, column=1, value=header)
        sheet.cell(row=row, column=2, value=required)
        sheet.cell(row=row, column=3, value=how).alignment = Alignment(wrap_text=True)
    for letter, width in (("A", 36), ("B", 10), ("C", 90)):
        sheet.column_dimensions[letter].width = width


def file_name(layout: Layout, extension: str) -> str:
    return f"{layout.file_stem}.{extension}"
