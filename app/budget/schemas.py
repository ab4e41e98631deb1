"""API models of budget lines (kinh phí, section IV of the plan)."""

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field, model_validator

from app.agencies.schemas import Code
from app.core.field_rules import exactly_one_of
from app.core.filters import AgencyFilter, SearchQuery
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.vocab import FundingSource
from app.duties.schemas import DUTY_CODE_PATTERN, DutyCode
from app.plans.schemas import TaskNumber, Year

Vnd = Annotated[int, Field(ge=0, le=10**15, description="Amount in VND (đồng), a whole number.")]
Text = Annotated[str | None, Field(default=None, max_length=5000)]


_FUNDING = (
    "Section IV: `central_budget`, `provincial_budget` (default), `commune_budget` (the "
    "state budget of each level) or `other_lawful` (other lawfully mobilised sources)."
)


class BudgetLineCreate(InputModel):
    """An agency's estimate (dự toán) for one task or section V duty, year and funding
    source, sent for Sở Tài chính to compile; `spent_vnd` is reported as the money is
    used."""

    cross_field_rules = (
        exactly_one_of(
            "Exactly one of `task_number` (an appendix task) and `duty_code` (a "
            "section V duty): not both, not neither (422).",
            ("task_number", "integer"),
            ("duty_code", "string"),
        ),
    )

    plan_code: Code
    task_number: TaskNumber | None = Field(default=None, description="Or give `duty_code`.")
    duty_code: DutyCode | None = Field(default=None, description="Or give `task_number`.")
    agency_code: Code
    year: Year
    funding_source: FundingSource = Field(
        default=FundingSource.provincial_budget, description=_FUNDING
    )
    content: Text = Field(description="What the money is for (nội dung chi).")
    estimate_vnd: Vnd
    spent_vnd: Vnd = 0
    note: Text = None

    model_config = with_examples(
        {
            "plan_code": "kh-209-2026",
            "task_number": 8,
            "agency_code": "so-vhttdl",
            "year": 2026,
            "content": "Tuyên truyền trực quan qua băng rôn, khẩu hiệu, pano, áp phích về Nghị "
            "quyết số 57-NQ/TW trên các tuyến phố chính",
            "funding_source": "provincial_budget",
            "estimate_vnd": 350000000,
            "spent_vnd": 0,
            "note": "Dự toán gửi Sở Tài chính tổng hợp",
        },
        {
            "plan_code": "kh-209-2026",
            "duty_code": "V.5.2",
            "agency_code": "bao-ptth-cb",
            "year": 2026,
            "funding_source": "other_lawful",
            "content": "Xây dựng chương trình chuyên biệt về khoa học, công nghệ, đổi mới "
            "sáng tạo và chuyển đổi số trên truyền hình, phát thanh và mạng xã hội",
            "estimate_vnd": 180000000,
        },
    )

    @model_validator(mode="after")
    def _task_or_duty(self) -> "BudgetLineCreate":
        if (self.task_number is None) == (self.duty_code is None):
            raise ValueError("give exactly one of task_number and duty_code")
        return self


class BudgetLineUpdate(InputModel):
    """Every field optional. The estimate of an approved line changes only by admin."""

    contract_not_null = ("estimate_vnd", "spent_vnd")

    content: Text = None
    estimate_vnd: Vnd | None = None
    spent_vnd: Vnd | None = None
    note: Text = None

    model_config = with_examples({"spent_vnd": 120500000})


class BudgetApproval(InputModel):
    approved_vnd: Vnd = Field(description="Amount UBND tỉnh allocated (bố trí) for the line.")

    model_config = with_examples({"approved_vnd": 300000000})


class BudgetLineRead(ReadModel):
    id: int
    plan_code: str
    task_number: int | None = Field(description="The task's number; null for a duty's line.")
    duty_code: str | None = Field(description="The duty's code; null for a task's line.")
    agency_code: str
    year: int
    funding_source: FundingSource
    content: str | None
    estimate_vnd: int
    approved_vnd: int | None
    approved_at: datetime | None
    spent_vnd: int
    note: str | None
    created_at: datetime
    updated_at: datetime


BudgetLinePage = Page[BudgetLineRead]

PlanQuery = Annotated[
    str | None,
    Query(max_length=80, description="Plan code, e.g. `kh-209-2026`.", examples=["kh-209-2026"]),
]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="Budget year.")]


class BudgetLineFilters(BaseModel):
    """The query parameters of the budget line list."""

    plan: PlanQuery = None
    task: Annotated[int | None, Query(ge=1, le=9999, description="Task number.")] = None
    duty: Annotated[
        str | None,
        Query(max_length=20, pattern=DUTY_CODE_PATTERN, description="Duty code, e.g. `V.5.2`."),
    ] = None
    agency: AgencyFilter = None
    year: YearQuery = None
    funding_source: Annotated[FundingSource | None, Query()] = None
    q: SearchQuery = None


class BudgetTotal(ReadModel):
    lines: int
    estimate_vnd: int
    approved_vnd: int = Field(description="Sum over approved lines (unapproved count 0).")
    spent_vnd: int


class TaskBudget(BudgetTotal):
    task_number: int
    title: str


class DutyBudget(BudgetTotal):
    duty_code: str
    owner_text: str
    text: str


class AgencyBudget(BudgetTotal):
    agency_code: str
    name: str


class FundingBudget(BudgetTotal):
    funding_source: FundingSource
    label_vi: str


class BudgetTotals(ReadModel):
    """What Sở Tài chính compiles (section IV): the plan's estimates by task, duty, agency
    and funding source."""

    plan_code: str
    year: int | None
    total: BudgetTotal
    by_task: list[TaskBudget]
    by_duty: list[DutyBudget] = Field(description="Every duty, zero where nothing is planned.")
    by_agency: list[AgencyBudget]
    by_funding_source: list[FundingBudget] = Field(
        description="Every funding source, zero where nothing is planned."
    )
