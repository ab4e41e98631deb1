"""The consolidated report as a Word draft that an official edits, numbers and signs:
"Báo cáo kết quả thực hiện Kế hoạch 209/KH-UBND", laid out like an administrative
document (Nghị định 30/2020/NĐ-CP): header, number and date left blank, sections, tables,
recipients and the signature block.

Outside text (names, titles, narratives) goes in only as run text, through
``office_text``: python-docx writes it as ``w:t``, ``w:tab`` and ``w:br``, and nothing here
builds a field (``w:fldSimple``, ``w:instrText``), so text such as ``{ INCLUDETEXT … }``
stays text. It gets no leading quote as in the workbook: Word never evaluates text, and a
quote would print in the draft an official signs (task 3 of Plan 209 starts with "- ")."""

from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.core.office_text import office_text
from app.reports.consolidated_schemas import ConsolidatedReport
from app.reports.export_plan_parts import duty_table, funding_sentences
from app.reports.regime import AD_HOC, HALF_YEAR, QUARTER

_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}


def period_phrase(report: ConsolidatedReport) -> str:
    """``2026-Q1`` -> "quý I năm 2026" …"""
    if report.period_kind == QUARTER:
        year, quarter = report.period.split("-")
        return f"quý {_ROMAN[quarter]} năm {year}"
    if report.period_kind == HALF_YEAR:
        return f"6 tháng đầu năm {report.period[:4]}"
    if report.period_kind == AD_HOC:
        return f"từ ngày {_vn(report.window_start)} đến ngày {_vn(report.window_end)}"
    return f"năm {report.period}"


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _paragraph(doc: Any, text: str, *, bold: bool = False, center: bool = False) -> Any:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(office_text(text))
    run.bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _table(doc: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = office_text(value)


def _heading(doc: Any, text: str) -> None:
    _paragraph(doc, text, bold=True)


def build_document(report: ConsolidatedReport) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    _letterhead(doc, report)
    _opening(doc, report)
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _indicators(doc, report)
    _tasks(doc, report)
    _duties(doc, report)
    _activity(doc, report)
    _compliance(doc, report)
    _budget(doc, report)
    _heading(doc, "II. HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC")
    _narrative(doc, report, "difficulties")
    _heading(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    _narrative(doc, report, "proposals")
    _closing(doc)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _letterhead(doc: Any, report: ConsolidatedReport) -> None:
    """The issuing body and the number on the left, the national motto and the date on the
    right, the number and the date left blank for the office that issues it."""
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = (
        f"UBND TỈNH CAO BẰNG\n{office_text(report.coordinator_name).upper()}\n\nSố:       /BC-…"
    )
    right.text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Cao Bằng, ngày      tháng      năm       "
    )
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _opening(doc: Any, report: ConsolidatedReport) -> None:
    phrase = period_phrase(report)
    _paragraph(doc, "BÁO CÁO", bold=True, center=True)
    _paragraph(
        doc,
        f"Kết quả thực hiện Kế hoạch số {report.document_number} ngày "
        f"{_vn(report.plan_issued_on)} của {report.issuer_name} ({phrase})",
        bold=True,
        center=True,
    )
    _paragraph(
        doc,
        f"Thực hiện Kế hoạch số {report.document_number}, {report.coordinator_name} tổng hợp "
        f"kết quả thực hiện {phrase} (số liệu từ ngày {_vn(report.window_start)} đến ngày "
        f"{_vn(report.window_end)}), cụ thể như sau:",
    )


def _indicators(doc: Any, report: ConsolidatedReport) -> None:
    _heading(doc, "1. Kết quả thực hiện các chỉ tiêu")
    _paragraph(doc, f"(Số liệu tính đến hết ngày {_vn(report.status_reference.as_of)}.)")
    _table(
        doc,
        ["Mã", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tình trạng"],
        [
            [
                i.code,
                i.title,
                f"{_number(i.target_value)} {_unit(i.unit)} (năm {i.target_year})",
                f"{_number(i.value)} {_unit(i.unit)}",
                i.status_label_vi,
            ]
            for i in report.indicators
        ],
    )


def _tasks(doc: Any, report: ConsolidatedReport) -> None:
    _heading(doc, "2. Kết quả thực hiện các nhiệm vụ")
    _table(
        doc,
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Tình trạng"],
        [
            [
                str(t.number),
                t.title,
                "; ".join(p.name for p in t.leads),
                t.deadline_text,
                f"{t.status_label_vi}. {t.reason}",
            ]
            for t in report.task_board.tasks
        ],
    )


def _duties(doc: Any, report: ConsolidatedReport) -> None:
    _paragraph(doc, "Các nhiệm vụ giao tại mục V (Tổ chức thực hiện) của Kế hoạch:")
    _table(doc, *duty_table(report))


def _activity(doc: Any, report: ConsolidatedReport) -> None:
    activity = report.activity
    _heading(doc, "3. Kết quả hoạt động tuyên truyền")
    for line in (
        f"- Sản phẩm truyền thông: {_number(activity.media_products.total)} sản phẩm"
        + _breakdown(activity.media_products.by_kind),
        f"- Hệ thống thông tin cơ sở: {_number(activity.broadcasts.count)} lượt phát, tổng thời "
        f"lượng {_number(activity.broadcasts.duration_hours)} giờ"
        + _breakdown(activity.broadcasts.by_origin),
        f"- Tập huấn, bồi dưỡng: {_number(activity.training.sessions)} lớp/hội nghị với "
        f"{_number(activity.training.participants)} lượt người tham gia.",
    ):
        _paragraph(doc, line)


def _compliance(doc: Any, report: ConsolidatedReport) -> None:
    _heading(doc, "4. Tình hình thực hiện chế độ báo cáo")
    summary = report.compliance.summary
    late_or_missing = [
        e.name for e in report.compliance.agencies if e.expected and e.state in ("late", "missing")
    ]
    _paragraph(
        doc,
        f"Có {sum(summary.values())} cơ quan, đơn vị, địa phương phải báo cáo: "
        f"{summary.get('on_time', 0)} đúng hạn, {summary.get('late', 0)} nộp muộn, "
        f"{summary.get('missing', 0)} chưa nộp, {summary.get('not_due', 0)} chưa đến hạn.",
    )
    if late_or_missing:
        _paragraph(doc, "Các đơn vị nộp muộn hoặc chưa nộp: " + "; ".join(late_or_missing) + ".")


def _budget(doc: Any, report: ConsolidatedReport) -> None:
    _heading(doc, "5. Kinh phí thực hiện")
    total = report.budget.total
    _paragraph(
        doc,
        f"Năm {report.budget.year}: dự toán {_number(total.estimate_vnd)} đồng; được bố trí "
        f"{_number(total.approved_vnd)} đồng; đã chi {_number(total.spent_vnd)} đồng.",
    )
    for line in funding_sentences(report, _number):
        _paragraph(doc, line)


def _closing(doc: Any) -> None:
    """Recipients on the left, the signature block on the right."""
    closing = doc.add_table(rows=1, cols=2)
    left, right = closing.rows[0].cells
    left.text = "Nơi nhận:\n- UBND tỉnh (b/c);\n- Sở Khoa học và Công nghệ;\n- Lưu: VT."
    right.text = "GIÁM ĐỐC\n\n\n\n"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _unit(unit: str) -> str:
    return "%" if unit == "percent" else unit


def _breakdown(counts: list[Any]) -> str:
    if not counts:
        return "."
    return " (" + "; ".join(f"{c.label_vi}: {_number(c.count)}" for c in counts) + ")."


def _narrative(doc: Any, report: ConsolidatedReport, section: str) -> None:
    written = [(n.name, getattr(n, section)) for n in report.agency_reports if getattr(n, section)]
    if not written:
        _paragraph(doc, "(Chưa có nội dung từ báo cáo của các đơn vị.)")
    for name, text in written:
        _paragraph(doc, f"- {name}: {text}")
