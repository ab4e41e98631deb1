"""The rows the consolidated exports (.xlsx, .docx) give the section V duties and the
budget by duty and by funding source: one place, so both files say the same."""

from typing import Any

from app.reports.consolidated_schemas import ConsolidatedReport

# The columns of the .xlsx sheets "Nhiệm vụ mục V" and "Kinh phí theo nguồn": header and
# width (in characters).
DUTY_COLUMNS = (
    ("Mục", 8),
    ("Nhiệm vụ (mục V. Tổ chức thực hiện)", 80),
    ("Cơ quan thực hiện", 40),
    ("Tình trạng", 26),
    ("Ghi chú", 50),
    ("Số đơn vị thực hiện", 14),
    ("Số đơn vị đã báo cáo tiến độ", 16),
)
FUNDING_COLUMNS = (
    ("Nguồn kinh phí", 44),
    ("Số dòng dự toán", 14),
    ("Dự toán (đồng)", 18),
    ("Được duyệt (đồng)", 18),
    ("Đã chi (đồng)", 18),
)


def duty_rows(report: ConsolidatedReport) -> list[tuple[Any, ...]]:
    return [
        (
            d.code,
            d.text,
            "; ".join(p.name for p in d.leads),
            d.status_label_vi,
            d.reason,
            d.lead_agencies,
            len(d.lead_agencies_reported),
        )
        for d in report.task_board.duties
    ]


def duty_budget_rows(report: ConsolidatedReport) -> list[tuple[Any, ...]]:
    """Rows of the "Kinh phí" sheet after the tasks': a duty's code in the first column."""
    return [
        (d.duty_code, d.text, d.lines, d.estimate_vnd, d.approved_vnd, d.spent_vnd)
        for d in report.budget.by_duty
    ]


def funding_rows(report: ConsolidatedReport) -> list[tuple[Any, ...]]:
    return [
        (f.label_vi, f.lines, f.estimate_vnd, f.approved_vnd, f.spent_vnd)
        for f in report.budget.by_funding_source
    ]


def duty_table(report: ConsolidatedReport) -> tuple[list[str], list[list[str]]]:
    """The Word draft's table of duties: headers and rows."""
    return (
        ["Mục", "Nhiệm vụ", "Cơ quan thực hiện", "Tình trạng"],
        [
            [
                d.code,
                d.text,
                "; ".join(p.name for p in d.leads),
                f"{d.status_label_vi}. {d.reason}",
            ]
            for d in report.task_board.duties
        ],
    )


def funding_sentences(report: ConsolidatedReport, number: Any) -> list[str]:
    """One line per funding source that has lines (``number`` formats amounts)."""
    return [
        f"- {f.label_vi}: dự toán {number(f.estimate_vnd)} đồng; được bố trí "
        f"{number(f.approved_vnd)} đồng; đã chi {number(f.spent_vnd)} đồng."
        for f in report.budget.by_funding_source
        if f.lines
    ]
