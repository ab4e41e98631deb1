"""The consolidated report as an Excel workbook: one sheet per part, Vietnamese headers,
numbers as numbers and dates as dates (instants in local time, Asia/Ho_Chi_Minh)."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.filters import LOCAL_TZ
from app.core.office_text import cell_text
from app.reports.consolidated_schemas import ConsolidatedReport
from app.reports.export_plan_parts import (
    DUTY_HEADERS,
    DUTY_WIDTHS,
    FUNDING_HEADERS,
    FUNDING_WIDTHS,
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


def _sheet(
    book: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    formats: dict[int, str] | None = None,
) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell_value(sheet, v) for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
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


def build_workbook(report: ConsolidatedReport) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    overview = _sheet(
        book,
        "Tổng quan",
        ["Mục", "Nội dung"],
        [
            ("Kế hoạch", f"Kế hoạch số {report.document_number}"),
            ("Tên kế hoạch", report.plan_title),
            ("Kỳ báo cáo", report.period),
            ("Từ ngày", report.window_start),
            ("Đến ngày (chốt số liệu)", report.window_end),
            ("Hạn gửi báo cáo của các đơn vị", report.deadline),
            ("Cơ quan tổng hợp", report.coordinator_name),
            ("Thời điểm lập", report.generated_at),
            ("Số đơn vị phải báo cáo", sum(report.compliance.summary.values())),
            ("Đúng hạn", report.compliance.summary.get("on_time", 0)),
            ("Nộp muộn", report.compliance.summary.get("late", 0)),
            ("Chưa nộp (quá hạn)", report.compliance.summary.get("missing", 0)),
            ("Chưa đến hạn", report.compliance.summary.get("not_due", 0)),
        ],
        [36, 100],
    )
    _date_formats(overview)
    _sheet(
        book,
        "Chỉ tiêu",
        [
            "Mã",
            "Chỉ tiêu",
            "Năm mục tiêu",
            "Mục tiêu",
            "Đơn vị tính",
            "Giá trị",
            "Tử số",
            "Mẫu số",
            "Kỳ vọng theo lộ trình",
            "Tình trạng",
            "Số đơn vị chưa đạt",
        ],
        [
            (
                i.code,
                i.title,
                i.target_year,
                i.target_value,
                i.unit,
                i.value,
                i.numerator,
                i.denominator,
                i.expected,
                i.status_label_vi,
                i.gaps,
            )
            for i in report.indicators
        ],
        [10, 80, 12, 10, 10, 10, 10, 10, 14, 22, 14],
    )
    _sheet(
        book,
        "Nhiệm vụ",
        [
            "TT",
            "Tên nhiệm vụ",
            "Cơ quan chủ trì",
            "Thời gian hoàn thành",
            "Tình trạng",
            "Ghi chú",
            "Số đơn vị chủ trì",
            "Số đơn vị đã báo cáo tiến độ",
        ],
        [
            (
                t.number,
                t.title,
                "; ".join(p.name for p in t.leads),
                t.deadline_text,
                t.status_label_vi,
                t.reason,
                t.lead_agencies,
                len(t.lead_agencies_reported),
            )
            for t in report.task_board.tasks
        ],
        [6, 80, 40, 24, 26, 50, 14, 16],
    )
    _sheet(book, "Nhiệm vụ mục V", DUTY_HEADERS, duty_rows(report), DUTY_WIDTHS)
    compliance = _sheet(
        book,
        "Chế độ báo cáo",
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Tình trạng",
            "Trạng thái báo cáo",
            "Thời điểm nộp",
            "Số lần nộp",
            "Người đầu mối",
            "Chức vụ",
            "Email",
            "Điện thoại",
        ],
        [
            (
                e.agency_code,
                e.name,
                e.state_label_vi,
                e.report_status,
                e.submitted_at,
                e.submission_count,
                e.focal_point.name,
                e.focal_point.title,
                e.focal_point.email,
                e.focal_point.phone,
            )
            for e in report.compliance.agencies
        ],
        [24, 50, 20, 18, 18, 10, 26, 24, 30, 16],
    )
    _date_formats(compliance)
    activity = report.activity
    _sheet(
        book,
        "Hoạt động",
        ["Nhóm", "Nội dung", "Số lượng"],
        [
            ("Sản phẩm truyền thông", "Tổng số", activity.media_products.total),
            *_counts("Sản phẩm truyền thông theo loại", activity.media_products.by_kind),
            *_counts("Sản phẩm truyền thông theo kênh", activity.media_products.by_channel_kind),
            ("Hệ thống thông tin cơ sở", "Số lượt phát", activity.broadcasts.count),
            (
                "Hệ thống thông tin cơ sở",
                "Tổng thời lượng (giờ)",
                activity.broadcasts.duration_hours,
            ),
            *_counts("Lượt phát theo nguồn", activity.broadcasts.by_origin),
            ("Tập huấn, bồi dưỡng", "Số lớp/hội nghị", activity.training.sessions),
            ("Tập huấn, bồi dưỡng", "Số lượt người tham gia", activity.training.participants),
            ("Tập huấn, bồi dưỡng", "Số người đạt yêu cầu", activity.training.passed),
            *_counts("Báo cáo tiến độ nhiệm vụ", activity.task_progress_by_status),
        ],
        [40, 50, 14],
    )
    _sheet(
        book,
        "Kinh phí",
        [
            "TT",
            "Nhiệm vụ",
            "Số dòng dự toán",
            "Dự toán (đồng)",
            "Được duyệt (đồng)",
            "Đã chi (đồng)",
        ],
        [
            *(
                (t.task_number, t.title, t.lines, t.estimate_vnd, t.approved_vnd, t.spent_vnd)
                for t in report.budget.by_task
            ),
            *duty_budget_rows(report),
            (
                None,
                "Tổng cộng",
                report.budget.total.lines,
                report.budget.total.estimate_vnd,
                report.budget.total.approved_vnd,
                report.budget.total.spent_vnd,
            ),
        ],
        [6, 80, 14, 18, 18, 18],
        {4: VND_FORMAT, 5: VND_FORMAT, 6: VND_FORMAT},
    )
    _sheet(
        book,
        "Kinh phí theo đơn vị",
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Số dòng dự toán",
            "Dự toán (đồng)",
            "Được duyệt (đồng)",
            "Đã chi (đồng)",
        ],
        [
            (a.agency_code, a.name, a.lines, a.estimate_vnd, a.approved_vnd, a.spent_vnd)
            for a in report.budget.by_agency
        ],
        [24, 50, 14, 18, 18, 18],
        {4: VND_FORMAT, 5: VND_FORMAT, 6: VND_FORMAT},
    )
    _sheet(
        book,
        "Kinh phí theo nguồn",
        FUNDING_HEADERS,
        funding_rows(report),
        FUNDING_WIDTHS,
        {3: VND_FORMAT, 4: VND_FORMAT, 5: VND_FORMAT},
    )
    narratives = _sheet(
        book,
        "Báo cáo đơn vị",
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Trạng thái",
            "Thời điểm nộp",
            "Kết quả thực hiện",
            "Hạn chế, khó khăn, vướng mắc",
            "Đề xuất, kiến nghị",
        ],
        [
            (
                n.agency_code,
                n.name,
                n.status,
                n.submitted_at,
                n.results,
                n.difficulties,
                n.proposals,
            )
            for n in report.agency_reports
        ],
        [24, 40, 12, 18, 60, 60, 60],
    )
    _date_formats(narratives)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
