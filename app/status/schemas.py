"""What a status answer holds: the window, the value against target and trajectory, the
per-agency breakdown and the gap list."""

from datetime import datetime
from typing import Any

from pydantic import Field

from app.agencies.schemas import FocalPointRead
from app.core.schemas import ReadModel
from app.core.vocab import AgencyKind, Comparator, IndicatorWindow


class StatusWindow(ReadModel):
    kind: IndicatorWindow
    period: str = Field(examples=["2026"])
    start: datetime = Field(description="First instant counted (UTC).")
    end: datetime = Field(description="The evaluated instant: as_of clipped to the period (UTC).")


class AgencyBreakdown(ReadModel):
    agency_code: str
    name: str
    numerator: float
    denominator: float
    counts: bool = Field(description="Whether the agency meets its part of the target.")
    conditions_met: list[bool] | None = Field(
        default=None, description="agency_coverage: which of the measure's conditions it meets."
    )
    counted_by: str | None = Field(
        default=None, description="figure_ratio: `roster`, `attendance` or `figure`."
    )


class GapEntry(ReadModel):
    agency_code: str
    name: str
    kind: AgencyKind
    focal_point: FocalPointRead


class IndicatorStatus(ReadModel):
    plan_code: str
    code: str = Field(examples=["T2026-5"])
    title: str
    unit: str
    comparator: Comparator
    target_value: float
    target_year: int
    window: StatusWindow
    value: float | None = Field(description="Rounded for display; null when no denominator.")
    numerator: float
    denominator: float
    expected: float | None = Field(description="Where the trajectory stands at the window's end.")
    status: str = Field(
        description="achieved, on_track, at_risk, off_track or no_data.", examples=["on_track"]
    )
    counting: str | None = Field(
        default=None, description="How people were counted: roster, attendance, figure, mixed."
    )
    secondary: dict[str, Any] | None = Field(
        default=None, description="A second reading reported beside the value (T2026-4)."
    )
    breakdown: list[AgencyBreakdown]
    gap_list: list[GapEntry] = Field(description="Agencies that do not count yet.")
    computed_at: datetime


class PlanStatus(ReadModel):
    plan_code: str
    period: str
    as_of: datetime
    computed_at: datetime
    summary: dict[str, int] = Field(description="How many indicators have each status.")
    indicators: list[IndicatorStatus]
