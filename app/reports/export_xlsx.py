"""The consolidated report as an Excel workbook: one sheet per part, Vietnamese headers,
numbers as numbers and dates as dates (instants in local time, Asia/Ho_Chi_Minh)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.budget.schemas import BudgetTotal
from app.core.local_time import LOCAL_TZ
from app.core.office_text import cell_text
from app.reports.consolidated_schemas import ConsolidatedReport
from app.reports.export_plan_parts import (
    DUTY_COLUMNS,
    FUNDING_COLUMNS,
    duty_budget_rows,
    duty_rows,
    funding_rows,
)
from app.reports.view_schemas import KeyCount

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
VND_FORMAT = "#,##0"
_BOLD = Font(bold=True)


def _text_cell(sheet: Worksheet, text: str) -> Cell:
    """Every text in the workbook is treated as outside text: names, titles and
    narratives come from users and integrations, and the service's own labels never start
    like a formula, so they come through unchanged."""
    cell = Cell(sheet, value=cell_text(text))
    # openpyxl types text by its look: "=…" would be a formula, "#REF!" an error value.
    # Text from the records is text, whatever it reads like.
    cell.data_type = "s"
    return cell


def _cell_value(sheet: Worksheet, value: Any) -> Any:
    """Numbers and dates the service computes keep their type; text is a string cell."""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if isinstance(value, str):
        return _text_cell(sheet, value)
    return value


# A sheet's columns: header and width (in characters).
Columns = Sequence[tuple[str, int]]
Rows = Iterable[Sequence[Any]]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its title, its columns, the rows it takes from the report, the number
    formats of some columns (1-based) and whether its dates and instants get a date format."""

    title: str
    columns: Columns
    rows: Callable[[ConsolidatedReport], Rows]
    formats: dict[int, str] | None = None
    dates: bool = False


def _sheet(book: Workbook, spec: SheetSpec, report: ConsolidatedReport) -> Worksheet:
    sheet = book.create_sheet(spec.title)
    sheet.append([header for header, _ in spec.columns])
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in spec.rows(report):
        sheet.append([_cell_value(sheet, v) for v in row])
    for index, (_, width) in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column, number_format in (spec.formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
    if spec.dates:
        _date_formats(sheet)
    return sheet


def _date_formats(sheet: Worksheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT


def _counts(group: str, counts: list[KeyCount]) -> list[tuple[str, str, int]]:
    return [(group, c.label_vi, c.count) for c in counts]


def _overview(report: ConsolidatedReport) -> Rows:
    summary = report.compliance.summary
    return [
        ("Kế hoạch", f"Kế hoạch số {report.document_number}"),
        ("Tên kế hoạch", report.plan_title),
        ("Kỳ báo cáo", report.period),
        ("Từ ngày", report.window_start),
        ("Đến ngày (chốt số liệu)", report.window_end),
        ("Hạn gửi báo cáo của các đơn vị", report.deadline),
        ("Cơ quan tổng hợp", report.coordinator_name),
        ("Thời điểm lập", report.generated_at),
        ("Số đơn vị phải báo cáo", sum(summary.values())),
        ("Đúng hạn", summary.get("on_time", 0)),
        ("Nộp muộn", summary.get("late", 0)),
        ("Chưa nộp (quá hạn)", summary.get("missing", 0)),
        ("Chưa đến hạn", summary.get("not_due", 0)),
    ]


def _indicators(report: ConsolidatedReport) -> Rows:
    return [
        (i.code, i.title, i.target_year, i.target_value, i.unit, i.value, i.numerator,
         i.denominator, i.expected, i.status_label_vi, i.gaps)
        for i in report.indicators
    ]  # fmt: skip


def _tasks(report: ConsolidatedReport) -> Rows:
    return [
        (t.number, t.title, "; ".join(p.name for p in t.leads), t.deadline_text,
         t.status_label_vi, t.reason, t.lead_agencies, len(t.lead_agencies_reported))
        for t in report.task_board.tasks
    ]  # fmt: skip


def _compliance(report: ConsolidatedReport) -> Rows:
    return [
        (e.agency_code, e.name, e.state_label_vi, e.report_status, e.submitted_at,
         e.submission_count, e.focal_point.name, e.focal_point.title, e.focal_point.email,
         e.focal_point.phone)
        for e in report.compliance.agencies
    ]  # fmt: skip


def _activity(report: ConsolidatedReport) -> Rows:
    activity = report.activity
    products, broadcasts, training = activity.media_products, activity.broadcasts, activity.training
    return [
        ("Sản phẩm truyền thông", "Tổng số", products.total),
        *_counts("Sản phẩm truyền thông theo loại", products.by_kind),
        *_counts("Sản phẩm truyền thông theo kênh", products.by_channel_kind),
        ("Hệ thống thông tin cơ sở", "Số lượt phát", broadcasts.count),
        ("Hệ thống thông tin cơ sở", "Tổng thời lượng (giờ)", broadcasts.duration_hours),
        *_counts("Lượt phát theo nguồn", broadcasts.by_origin),
        ("Tập huấn, bồi dưỡng", "Số lớp/hội nghị", training.sessions),
        ("Tập huấn, bồi dưỡng", "Số lượt người tham gia", training.participants),
        ("Tập huấn, bồi dưỡng", "Số người đạt yêu cầu", training.passed),
        *_counts("Báo cáo tiến độ nhiệm vụ", activity.task_progress_by_status),
    ]


def _money(total: BudgetTotal) -> tuple[int, int, int, int]:
    return total.lines, total.estimate_vnd, total.approved_vnd, total.spent_vnd


def _budget_by_task(report: ConsolidatedReport) -> Rows:
    budget = report.budget
    return [
        *((t.task_number, t.title, *_money(t)) for t in budget.by_task),
        *duty_budget_rows(report),
        (None, "Tổng cộng", *_money(budget.total)),
    ]


def _budget_by_agency(report: ConsolidatedReport) -> Rows:
    return [(a.agency_code, a.name, *_money(a)) for a in report.budget.by_agency]


def _agency_reports(report: ConsolidatedReport) -> Rows:
    return [
        (n.agency_code, n.name, n.status, n.submitted_at, n.results, n.difficulties, n.proposals)
        for n in report.agency_reports
    ]


# The four columns of amounts both budget sheets end with, and their number formats.
_MONEY_COLUMNS = (
    ("Số dòng dự toán", 14),
    ("Dự toán (đồng)", 18),
    ("Được duyệt (đồng)", 18),
    ("Đã chi (đồng)", 18),
)
_VND_COLUMNS = {4: VND_FORMAT, 5: VND_FORMAT, 6: VND_FORMAT}

_INDICATOR_COLUMNS = (
    ("Mã", 10), ("Chỉ tiêu", 80), ("Năm mục tiêu", 12), ("Mục tiêu", 10), ("Đơn vị tính", 10),
    ("Giá trị", 10), ("Tử số", 10), ("Mẫu số", 10), ("Kỳ vọng theo lộ trình", 14),
    ("Tình trạng", 22), ("Số đơn vị chưa đạt", 14),
)  # fmt: skip
_TASK_COLUMNS = (
    ("TT", 6), ("Tên nhiệm vụ", 80), ("Cơ quan chủ trì", 40), ("Thời gian hoàn thành", 24),
    ("Tình trạng", 26), ("Ghi chú", 50), ("Số đơn vị chủ trì", 14),
    ("Số đơn vị đã báo cáo tiến độ", 16),
)  # fmt: skip
_COMPLIANCE_COLUMNS = (
    ("Mã đơn vị", 24), ("Tên đơn vị", 50), ("Tình trạng", 20), ("Trạng thái báo cáo", 18),
    ("Thời điểm nộp", 18), ("Số lần nộp", 10), ("Người đầu mối", 26), ("Chức vụ", 24),
    ("Email", 30), ("Điện thoại", 16),
)  # fmt: skip
_NARRATIVE_COLUMNS = (
    ("Mã đơn vị", 24), ("Tên đơn vị", 40), ("Trạng thái", 12), ("Thời điểm nộp", 18),
    ("Kết quả thực hiện", 60), ("Hạn chế, khó khăn, vướng mắc", 60),
    ("Đề xuất, kiến nghị", 60),
)  # fmt: skip

# The workbook, sheet by sheet in this order.
SHEETS = (
    SheetSpec("Tổng quan", (("Mục", 36), ("Nội dung", 100)), _overview, dates=True),
    SheetSpec("Chỉ tiêu", _INDICATOR_COLUMNS, _indicators),
    SheetSpec("Nhiệm vụ", _TASK_COLUMNS, _tasks),
    SheetSpec("Nhiệm vụ mục V", DUTY_COLUMNS, duty_rows),
    SheetSpec("Chế độ báo cáo", _COMPLIANCE_COLUMNS, _compliance, dates=True),
    SheetSpec("Hoạt động", (("Nhóm", 40), ("Nội dung", 50), ("Số lượng", 14)), _activity),
    SheetSpec(
        "Kinh phí", (("TT", 6), ("Nhiệm vụ", 80), *_MONEY_COLUMNS), _budget_by_task, _VND_COLUMNS
    ),
    SheetSpec(
        "Kinh phí theo đơn vị",
        (("Mã đơn vị", 24), ("Tên đơn vị", 50), *_MONEY_COLUMNS),
        _budget_by_agency,
        _VND_COLUMNS,
    ),
    SheetSpec(
        "Kinh phí theo nguồn",
        FUNDING_COLUMNS,
        funding_rows,
        {3: VND_FORMAT, 4: VND_FORMAT, 5: VND_FORMAT},
    ),
    SheetSpec("Báo cáo đơn vị", _NARRATIVE_COLUMNS, _agency_reports, dates=True),
)


def build_workbook(report: ConsolidatedReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        _sheet(book, spec, report)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
