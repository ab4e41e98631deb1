from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field, field_validator

from app.agencies.dependencies import ProvinceFilter
from app.core.filters import AgencyFilter, FromDate, ToDate
from app.core.periods import PERIOD_PATTERN, parse_period
from app.core.schemas import InputModel, Page, PushedInput, PushSource, ReadModel, with_examples
from app.core.vocab import FigureMetric

MAX_VALUE = 10**12

AgencyCode = Annotated[
    str, Field(min_length=1, max_length=80, description="Reporting agency code, e.g. `xa-bao-lam`.")
]
PeriodLabel = Annotated[
    str,
    Field(
        min_length=4,
        max_length=10,
        pattern=PERIOD_PATTERN,
        description="`2026` (year), `2026-H1` (half), `2026-Q2` (quarter) or `2026-03` (month), "
        "local calendar (Asia/Ho_Chi_Minh).",
        examples=["2026"],
    ),
]
Value = Annotated[
    float,
    Field(ge=0, le=MAX_VALUE, strict=True, description="The number reported (a headcount…)."),
]
Note = Annotated[str | None, Field(default=None, max_length=5000)]


class FigureCreate(PushedInput):
    """A number an agency reports for a period. Posting the same (metric, agency, period)
    again replaces the value; the audit trail keeps the old one."""

    metric: FigureMetric
    agency_code: AgencyCode
    period: PeriodLabel
    value: Value
    note: Note = None
    source: PushSource = None
    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The figure's id in the pushing system; give it together with `source`, "
        "or neither.",
    )

    @field_validator("period")
    @classmethod
    def _canonical_period(cls, value: str) -> str:
        return parse_period(value).label

    model_config = with_examples(
        {
            "metric": "digital_team_members",
            "agency_code": "to-cns-xa-bao-lam",
            "period": "2026",
            "value": 12,
            "note": "Tổ công nghệ số cộng đồng xã Bảo Lâm: 12 thành viên (6 xóm).",
        },
        {
            "metric": "staff_briefed",
            "agency_code": "so-vhttdl",
            "period": "2026-Q1",
            "value": 84,
            "note": "Học tập, quán triệt Nghị quyết 57-NQ/TW ngày 20/3/2026.",
        },
    )


class FigureUpdate(InputModel):
    """Correct the value or the note; metric, agency and period identify the figure."""

    contract_not_null = ("value",)

    value: Value | None = None
    note: Note = None

    model_config = with_examples({"value": 14, "note": "Bổ sung 2 thành viên mới kiện toàn."})


class FigureRead(ReadModel):
    id: int
    metric: FigureMetric
    agency_code: str
    period: str
    period_start: date = Field(description="First day of the period (local calendar).")
    period_end: date = Field(description="Last day of the period (local calendar).")
    value: float
    note: str | None
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


FigurePage = Page[FigureRead]


class FigureFilters(BaseModel):
    """The query parameters of the figure list."""

    metric: Annotated[
        list[FigureMetric] | None,
        Query(description="One or more metrics, e.g. `metric=staff_total`.", max_length=20),
    ] = None
    agency: AgencyFilter = None
    period: Annotated[
        str | None,
        Query(
            max_length=10,
            pattern=PERIOD_PATTERN,
            description="Exactly this period: `2026`, `2026-H1`, `2026-Q2`…",
        ),
    ] = None
    start: FromDate = None
    end: ToDate = None
    group: Annotated[
        str | None,
        Query(
            max_length=80,
            description="Figures of the agencies of this group, e.g. `to-cns-cong-dong`.",
        ),
    ] = None
    province: ProvinceFilter = None
