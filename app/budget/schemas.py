"""API models of budget lines (kinh phí, section IV of the plan)."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.agencies.schemas import Code
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.plans.schemas import TaskNumber, Year

Vnd = Annotated[int, Field(ge=0, le=10**15, description="Amount in VND (đồng), a whole number.")]
Text = Annotated[str | None, Field(default=None, max_length=5000)]


class BudgetLineCreate(InputModel):
    """An agency's estimate (dự toán) for one task and year, sent for Sở Tài chính to
    compile; `spent_vnd` is reported as the money is used."""

    plan_code: Code
    task_number: TaskNumber
    agency_code: Code
    year: Year
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
            "estimate_vnd": 350000000,
            "spent_vnd": 0,
            "note": "Dự toán gửi Sở Tài chính tổng hợp",
        }
    )


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
    task_number: int
    agency_code: str
    year: int
    content: str | None
    estimate_vnd: int
    approved_vnd: int | None
    approved_at: datetime | None
    spent_vnd: int
    note: str | None
    created_at: datetime
    updated_at: datetime


BudgetLinePage = Page[BudgetLineRead]


class BudgetTotal(ReadModel):
    lines: int
    estimate_vnd: int
    approved_vnd: int = Field(description="Sum over approved lines (unapproved count 0).")
    spent_vnd: int


class TaskBudget(BudgetTotal):
    task_number: int
    title: str


class AgencyBudget(BudgetTotal):
    agency_code: str
    name: str


class BudgetTotals(ReadModel):
    plan_code: str
    year: int | None
    total: BudgetTotal
    by_task: list[TaskBudget]
    by_agency: list[AgencyBudget]
