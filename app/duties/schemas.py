"""API models of section V duties and their progress."""

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from app.agencies.schemas import Code
from app.core.filters import SearchQuery
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.vocab import ScheduleKind, TaskRole
from app.plans.schemas import Parties, PartyRead, ProgressFiling, Year

DUTY_CODE_PATTERN = r"^[A-Za-z0-9]{1,6}(\.[0-9]{1,3}){0,3}$"
DutyCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        pattern=DUTY_CODE_PATTERN,
        description="Where the duty stands in the plan: `V.2.3` is the third item of "
        "section V.2; `V.4` a section that is one paragraph.",
    ),
]
_SCHEDULE = (
    "Section V names no deadlines: duties are `recurring` for the whole plan unless the "
    "coordinator dates one (`years`, `from_year_recurring` as for tasks; 422 `schedule` when "
    "`schedule_years` does not fit)."
)


class DutyFields(InputModel):
    section: str = Field(
        min_length=1,
        max_length=20,
        pattern=r"^[A-Za-z0-9]{1,6}(\.[0-9]{1,3}){0,2}$",
        description="The numbered heading it stands under, e.g. `V.2`.",
    )
    owner_text: str = Field(
        min_length=1, max_length=2000, description="The heading naming the owner, verbatim."
    )
    text: str = Field(min_length=1, max_length=10000, description="The duty, verbatim.")
    coordinating_text: str | None = Field(
        default=None, max_length=2000, description="Who it names to work with, verbatim."
    )
    schedule_kind: ScheduleKind = Field(default=ScheduleKind.recurring, description=_SCHEDULE)
    schedule_years: list[Year] = Field(default_factory=list, max_length=31)


class DutyCreate(DutyFields):
    code: DutyCode
    leads: Parties = Field(min_length=1, description="Owners: agencies or groups, in order.")
    coordinators: Parties = Field(default_factory=list, description="Phối hợp, in order.")

    model_config = with_examples(
        {
            # The seed holds V.1 … V.6.3: an item an amendment would add to section V.2.
            "code": "V.2.6",
            "section": "V.2",
            "owner_text": "Sở Văn hóa, Thể thao và Du lịch",
            "text": "Tổ chức cuộc thi trực tuyến tìm hiểu về chuyển đổi số, kỹ năng số và "
            "ứng dụng công nghệ số cho đoàn viên, hội viên, thanh niên, học sinh, sinh viên.",
            "coordinating_text": "Tỉnh đoàn Cao Bằng",
            "schedule_kind": "years",
            "schedule_years": [2026],
            "leads": [{"agency_code": "so-vhttdl"}],
            "coordinators": [{"agency_code": "tinh-doan"}],
        }
    )


class DutyUpdate(InputModel):
    """Every field optional; `leads` and `coordinators` replace the whole list."""

    contract_not_null = (
        "section",
        "owner_text",
        "text",
        "schedule_kind",
        "schedule_years",
        "leads",
        "coordinators",
    )

    section: str | None = Field(
        default=None, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]{1,6}(\.[0-9]{1,3}){0,2}$"
    )
    owner_text: str | None = Field(default=None, min_length=1, max_length=2000)
    text: str | None = Field(default=None, min_length=1, max_length=10000)
    coordinating_text: str | None = Field(default=None, max_length=2000)
    schedule_kind: ScheduleKind | None = None
    schedule_years: list[Year] | None = Field(default=None, max_length=31)
    leads: Parties | None = Field(default=None, min_length=1)
    coordinators: Parties | None = None

    model_config = with_examples({"coordinators": [{"agency_code": "so-khcn"}]})


class DutyRead(ReadModel):
    id: int
    plan_code: str
    code: str = Field(examples=["V.5.4"])
    section: str = Field(examples=["V.5"])
    position: int = Field(description="Order in the plan's text.")
    owner_text: str
    text: str
    coordinating_text: str | None
    schedule_kind: ScheduleKind
    schedule_years: list[int]
    leads: list[PartyRead]
    coordinators: list[PartyRead]
    created_at: datetime
    updated_at: datetime


DutyPage = Page[DutyRead]


class _DutyProgressKey(ReadModel):
    id: int
    plan_code: str
    duty_code: str


class DutyProgressRead(ProgressFiling, _DutyProgressKey):
    # A duty's progress: its key, then the filing (see ProgressFiling).
    pass


DutyProgressPage = Page[DutyProgressRead]


class DutyFilters(BaseModel):
    """The query parameters of the duty list."""

    agency: Annotated[
        Code | None,
        Query(
            description="Duties this agency takes part in, directly or through a group it "
            "belongs to (e.g. `tinh-doan` through `mttq-doan-the`).",
            examples=["tinh-doan"],
        ),
    ] = None
    role: Annotated[
        TaskRole, Query(description="With `agency`: as owner (default) or coordinating.")
    ] = TaskRole.lead
    section: Annotated[
        str | None, Query(max_length=20, description="A heading, e.g. `V.2`.", examples=["V.2"])
    ] = None
    q: SearchQuery = None
