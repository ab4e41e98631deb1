"""API models of agency reports and ad-hoc report requests."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Query
from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from app.agencies.schemas import Code
from app.core.field_rules import CrossFieldRule, FieldOrder, exactly_one_of
from app.core.filters import AgencyFilter, FromDate, SearchQuery, ToDate
from app.core.openapi import seed_example
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.types import MAX_ID
from app.reports.regime import FORMS, PERIOD_PATTERN, parse_regime_period
from app.reports.view_schemas import CompiledFigures

Narrative = Annotated[str | None, Field(default=None, max_length=50000)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
REPORT_STATUSES = ("draft", "submitted", "accepted", "returned")


def _canonical_regime_period(value: str) -> str:
    return parse_regime_period(value).label


RegimePeriodText = Annotated[
    str,
    Field(
        max_length=12,
        pattern=PERIOD_PATTERN,
        description=f"Reporting period of NĐ 09/2019/NĐ-CP: {FORMS}. The regime has no "
        "second-half report: the year report covers it.",
    ),
    AfterValidator(_canonical_regime_period),
]

# --- agency reports --------------------------------------------------------------------


class ReportCreate(InputModel):
    """A draft report, periodic or ad-hoc. Narrative sections follow the usual outline of a
    báo cáo."""

    cross_field_rules = (
        exactly_one_of(
            "Give exactly one of `period` (a periodic report) and `request_id` (an "
            "ad-hoc report answering that request): not both, not neither (422, `one_of`).",
            ("period", "string"),
            ("request_id", "integer"),
        ),
    )

    plan_code: Code
    agency_code: Code
    period: RegimePeriodText | None = None
    request_id: RecordId | None = Field(
        default=None, description="The ad-hoc request answered; or give `period`."
    )
    results: Narrative = Field(description="Kết quả thực hiện.")
    difficulties: Narrative = Field(description="Hạn chế, khó khăn, vướng mắc.")
    proposals: Narrative = Field(description="Đề xuất, kiến nghị.")

    @model_validator(mode="after")
    def _period_or_request(self) -> "ReportCreate":
        if (self.period is None) == (self.request_id is None):
            raise PydanticCustomError(
                "one_of", "give exactly one of period (periodic) and request_id (ad-hoc)"
            )
        return self

    model_config = with_examples(
        {
            "plan_code": "kh-209-2026",
            "agency_code": "xa-bao-lam",
            "period": "2026-Q1",
            "results": "Đài truyền thanh xã tiếp sóng các chương trình của tỉnh về Nghị quyết "
            "số 57-NQ/TW; Tổ công nghệ số cộng đồng hướng dẫn người dân sử dụng dịch vụ công "
            "trực tuyến theo phong trào “Bình dân học vụ số”.",
            "difficulties": "Hệ thống loa ở một số xóm vùng cao bị hư hỏng, sóng yếu.",
            "proposals": "Đề nghị Sở Văn hóa, Thể thao và Du lịch hỗ trợ tài liệu tuyên truyền "
            "bằng tiếng Tày, Nùng, H'Mông.",
        }
    )


class ReportUpdate(InputModel):
    """Edit the narrative of a draft or returned report; send null to clear a section."""

    results: Narrative = None
    difficulties: Narrative = None
    proposals: Narrative = None

    model_config = with_examples(
        {
            "difficulties": "Kinh phí cho công tác tuyên truyền trực quan còn hạn chế; hệ thống "
            "loa ở xóm Nà Pồng hư hỏng chưa được sửa chữa."
        }
    )


class ReportAccept(InputModel):
    comment: str | None = Field(default=None, max_length=5000)

    model_config = with_examples({"comment": "Báo cáo đầy đủ, đúng thời hạn."})


class ReportReturn(InputModel):
    comment: str = Field(
        min_length=1, max_length=5000, description="What to fix before resubmitting."
    )

    model_config = with_examples(
        {"comment": "Đề nghị bổ sung số lượt phát thanh về Nghị quyết 57-NQ/TW trong quý."}
    )


class ReportRead(ReadModel):
    id: int
    plan_code: str
    agency_code: str
    agency_name: str
    period: str = Field(examples=["2026-Q1"], description="`request-<id>` for ad-hoc reports.")
    period_kind: str = Field(description="quarter, half_year, year or ad_hoc.")
    request_id: int | None
    window_start: date
    window_end: date = Field(description="The cut-off day.")
    deadline: date
    status: str = Field(description="draft, submitted, accepted or returned.")
    results: str | None
    difficulties: str | None
    proposals: str | None
    figures: CompiledFigures
    figures_frozen: bool = Field(
        description="True once submitted: the figures as compiled at submission. A draft "
        "or returned report shows them compiled now."
    )
    first_submitted_at: datetime | None
    submitted_at: datetime | None = Field(description="The current submission.")
    submission_count: int
    on_time: bool | None = Field(description="Whether the current submission met the deadline.")
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_comment: str | None
    created_at: datetime
    updated_at: datetime


class ReportSummary(ReadModel):
    """A report in a list (figures left out: GET the report for them)."""

    id: int
    plan_code: str
    agency_code: str
    period: str
    period_kind: str
    request_id: int | None
    window_start: date
    window_end: date
    status: str
    submitted_at: datetime | None
    submission_count: int
    created_at: datetime
    updated_at: datetime


ReportPage = Page[ReportSummary]

# --- ad-hoc requests -------------------------------------------------------------------


class RequestFields(InputModel):
    ordered_fields = (
        FieldOrder("window_start", "window_end", "window_start must not be after window_end"),
        FieldOrder("window_end", "due_on", "due_on must not be before window_end"),
    )

    title: str = Field(min_length=1, max_length=500)
    reference: str | None = Field(
        default=None, max_length=80, description="Số ký hiệu of the request document."
    )
    description: str | None = Field(default=None, max_length=20000)
    window_start: date = Field(description="First day of the data window (local time).")
    window_end: date = Field(description="Last day of the data window (the cut-off).")
    due_on: date = Field(description="Deadline; a day off moves to the next working day.")


class RequestCreate(RequestFields):
    cross_field_rules: ClassVar[tuple[CrossFieldRule, ...]] = (
        CrossFieldRule(
            text="Name at least one agency (`agency_codes`) or group (`group_codes`): both "
            "empty is refused (422, `missing`).",
            schema={
                "anyOf": [
                    {"required": ["agency_codes"], "properties": {"agency_codes": {"minItems": 1}}},
                    {"required": ["group_codes"], "properties": {"group_codes": {"minItems": 1}}},
                ]
            },
        ),
    )

    plan_code: Code
    agency_codes: list[Code] = Field(
        default_factory=list, max_length=2000, description="Agencies asked to report."
    )
    group_codes: list[Code] = Field(
        default_factory=list,
        max_length=20,
        description="Groups whose active members (on window_end) are asked too.",
    )

    @model_validator(mode="after")
    def _someone_asked(self) -> "RequestCreate":
        if not self.agency_codes and not self.group_codes:
            raise PydanticCustomError("missing", "name at least one agency or group")
        return self

    model_config = with_examples(
        {
            "plan_code": "kh-209-2026",
            "title": "Báo cáo đột xuất kết quả tuyên truyền Nghị quyết số 57-NQ/TW phục vụ "
            "sơ kết 6 tháng",
            "reference": "512/SVHTTDL-TTBCXB",
            "window_start": "2026-01-27",
            "window_end": "2026-05-31",
            "due_on": "2026-06-05",
            "agency_codes": ["bao-ptth-cb", "cong-ttdt-tinh"],
            "group_codes": ["he-thong-ttcs"],
        }
    )


class RequestUpdate(InputModel):
    """Every field optional; `agency_codes` replaces the list of agencies asked."""

    contract_not_null = ("title", "window_start", "window_end", "due_on", "agency_codes")

    title: str | None = Field(default=None, min_length=1, max_length=500)
    reference: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=20000)
    window_start: date | None = None
    window_end: date | None = None
    due_on: date | None = None
    agency_codes: list[Code] | None = Field(default=None, min_length=1, max_length=2000)

    model_config = with_examples({"due_on": "2026-06-10"})


class RequestRead(ReadModel):
    id: int
    plan_code: str
    title: str
    reference: str | None
    description: str | None
    window_start: date
    window_end: date
    due_on: date = Field(description="As named by the request.")
    deadline: date = Field(description="due_on, moved past a day off.")
    agency_codes: list[str]
    created_at: datetime
    updated_at: datetime


RequestPage = Page[RequestRead]


_PLAN_QUERY: dict[str, Any] = {
    "max_length": 80,
    "description": "Plan code.",
    "openapi_examples": seed_example("kh-209-2026", "Kế hoạch 209/KH-UBND"),
}
PlanQuery = Annotated[str | None, Query(**_PLAN_QUERY)]
RequestQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="An ad-hoc request's id instead of period.")
]


class ReportFilters(BaseModel):
    """The query parameters of the agency report list."""

    # A default, not Annotated: in a model, pydantic keeps Query's examples only there.
    plan: str | None = Query(None, **_PLAN_QUERY)
    agency: AgencyFilter = None
    period: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^(\s*[0-9]{4}(-([Hh]1|[Qq][1-4]))?\s*|request-[0-9]{1,19})$",
            description="`2026-Q1`, `2026-H1`, `2026`, or `request-3` for an ad-hoc request.",
        ),
    ] = None
    request: RequestQuery = None
    status_: Annotated[
        str | None,
        Query(alias="status", pattern="^(" + "|".join(REPORT_STATUSES) + ")$"),
    ] = None
    q: SearchQuery = None


class RequestFilters(BaseModel):
    """The query parameters of the ad-hoc report request list."""

    plan: Annotated[str | None, Query(max_length=80, description="Plan code.")] = None
    agency: AgencyFilter = None
    from_: FromDate = None
    to: ToDate = None
    q: SearchQuery = None
