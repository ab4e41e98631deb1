"""The province's consolidated report for a period (to UBND tỉnh)."""

from datetime import date, datetime

from pydantic import Field

from app.budget.schemas import BudgetTotals
from app.core.schemas import ReadModel
from app.reports.view_schemas import CompiledFigures, ComplianceRead, TaskBoard


class IndicatorRow(ReadModel):
    code: str = Field(examples=["T2026-5"])
    title: str
    target_year: int
    target_value: float
    comparator: str
    unit: str
    value: float | None
    numerator: float
    denominator: float
    expected: float | None
    status: str = Field(description="achieved, on_track, at_risk, off_track or no_data.")
    status_label_vi: str
    gaps: int = Field(description="Agencies that do not count yet.")


class StatusReference(ReadModel):
    period: str = Field(description="The calendar period given to the status engine.")
    as_of: date = Field(description="Status as of the end of this day (the cut-off day).")


class AgencyNarrative(ReadModel):
    agency_code: str
    name: str
    report_id: int
    status: str
    submitted_at: datetime | None
    results: str | None
    difficulties: str | None
    proposals: str | None


class ConsolidatedReport(ReadModel):
    plan_code: str
    document_number: str = Field(examples=["209/KH-UBND"])
    plan_title: str
    plan_issued_on: date
    coordinator_name: str
    issuer_name: str
    period: str = Field(examples=["2026-Q1"])
    period_kind: str
    request_id: int | None
    window_start: date
    window_end: date
    deadline: date = Field(description="The agencies' deadline for the period.")
    generated_at: datetime
    status_reference: StatusReference
    indicator_summary: dict[str, int]
    indicators: list[IndicatorRow]
    task_board: TaskBoard
    compliance: ComplianceRead
    activity: CompiledFigures = Field(description="Every agency's records in the window.")
    budget: BudgetTotals = Field(description="Budget lines of the cut-off day's year.")
    agency_reports: list[AgencyNarrative] = Field(
        description="Submitted and accepted agency reports, by agency code."
    )
