import re
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from fastapi import Query
from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.agencies.schemas import Code, ProvinceCode
from app.core.field_rules import CrossFieldRule, FieldOrder, exactly_one_of
from app.core.filters import AgencyFilter, SearchQuery
from app.core.periods import PERIOD_PATTERN, parse_period
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.text import fold
from app.core.vocab import ProgressStatus, ReportPeriodKind, ScheduleKind, TaskRole, Topic

Year = Annotated[int, Field(ge=2000, le=2100)]
DocumentNumber = Annotated[str, Field(min_length=1, max_length=80)]
TaskNumber = Annotated[int, Field(ge=1, le=9999, description="Row number in the appendix.")]


def _keyword_has_words(value: str) -> str:
    # A keyword that folds to nothing ("!!!") would match every feed item.
    if not fold(value):
        raise PydanticCustomError("no_letters", "a keyword needs a letter or a digit")
    return value.strip()


FeedKeyword = Annotated[
    str, Field(min_length=1, max_length=200), AfterValidator(_keyword_has_words)
]
_FEED_KEYWORDS = (
    "Phrases that make a portal feed's item on-topic (`nq57 feeds sync`), matched in its "
    "title and summary ignoring case, punctuation and diacritics."
)

_DEADLINE = (
    "Working days after a period's cut-off day to report (default 5: a setting of the "
    'service, since Plan 209 asks for reports "theo quy định" without a date).'
)
_CYCLE = (
    "The periodic reports agencies file: `quarter`, `half_year`, `year` (Nghị định "
    "09/2019/NĐ-CP). Default all three: a setting of the service, since Plan 209 asks for "
    'periodic reports "theo quy định" without naming them; the coordinator sets what the '
    "province decides. Compliance and report filing refuse a period outside it (422)."
)
ReportCycle = Annotated[list[ReportPeriodKind], Field(min_length=1, max_length=3)]

# A plan a fresh install does not hold yet (the seed holds kh-209-2026 itself).
_PLAN_TITLE = (
    "Kế hoạch của Sở Khoa học và Công nghệ triển khai Kế hoạch số 209/KH-UBND về tuyên "
    "truyền Nghị quyết số 57-NQ/TW năm 2026"
)

# --- plans ----------------------------------------------------------------------------


class PlanFields(InputModel):
    ordered_fields = (FieldOrder("start_on", "end_on", "start_on must not be after end_on"),)

    document_number: DocumentNumber = Field(description="Số ký hiệu, e.g. `209/KH-UBND`.")
    title: str = Field(min_length=1, max_length=2000)
    issued_on: date
    issuer_code: Code = Field(description="Agency that issued the plan.")
    coordinator_code: Code = Field(description="Agency that coordinates and receives reports.")
    start_on: date = Field(
        description="First day of the plan's period (not its issue date): cumulative "
        "windows and the trajectory of a later year's target start here."
    )
    end_on: date
    province_code: ProvinceCode | None = Field(
        default=None,
        description="The province whose agencies its groups' kinds select. Omitted: the "
        "coordinating agency's; null there too: a national plan.",
    )
    implements: list[DocumentNumber] = Field(
        default_factory=list, max_length=50, description="Document numbers the plan implements."
    )
    on_topic_topics: list[Topic] = Field(
        default_factory=list,
        max_length=len(Topic),
        description="A record is on-topic for this plan's indicators when its topics "
        "include any of these.",
    )
    report_deadline_working_days: int = Field(default=5, ge=0, le=60, description=_DEADLINE)
    report_cycle: ReportCycle = Field(
        default_factory=lambda: list(ReportPeriodKind), description=_CYCLE
    )
    feed_keywords: list[FeedKeyword] = Field(
        default_factory=list, max_length=100, description=_FEED_KEYWORDS
    )


class PlanCreate(PlanFields):
    code: Code

    model_config = with_examples(
        {
            "code": "kh-skhcn-2026",
            "document_number": "25/KH-SKHCN",
            "title": _PLAN_TITLE,
            "issued_on": "2026-02-10",
            "issuer_code": "so-khcn",
            "coordinator_code": "so-khcn",
            "start_on": "2026-02-10",
            "end_on": "2026-12-31",
            "implements": ["57-NQ/TW", "209/KH-UBND"],
            "on_topic_topics": ["nq57", "science_technology", "innovation"],
            "report_deadline_working_days": 5,
            "report_cycle": ["half_year", "year"],
        }
    )


class PlanUpdate(InputModel):
    """Every field optional; ``code`` cannot change."""

    document_number: DocumentNumber | None = None
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    issued_on: date | None = None
    issuer_code: Code | None = None
    coordinator_code: Code | None = None
    start_on: date | None = None
    end_on: date | None = None
    province_code: ProvinceCode | None = None
    implements: list[DocumentNumber] | None = Field(default=None, max_length=50)
    on_topic_topics: list[Topic] | None = Field(default=None, max_length=len(Topic))
    report_deadline_working_days: int | None = Field(
        default=None, ge=0, le=60, description=_DEADLINE
    )
    report_cycle: ReportCycle | None = Field(default=None, description=_CYCLE)
    feed_keywords: list[FeedKeyword] | None = Field(
        default=None, max_length=100, description=_FEED_KEYWORDS
    )

    model_config = with_examples(
        {
            "end_on": "2030-12-31",
            "report_deadline_working_days": 5,
            "report_cycle": ["quarter", "half_year", "year"],
        }
    )


PlanUpdate.contract_not_null = tuple(PlanUpdate.model_fields)


class PlanRead(ReadModel):
    id: int
    code: str
    document_number: str
    title: str
    issued_on: date
    issuer_code: str
    coordinator_code: str
    start_on: date = Field(description="First day of the plan's period.")
    end_on: date
    province_code: str | None = Field(description="Its province; null for a national plan.")
    implements: list[str]
    on_topic_topics: list[Topic]
    report_deadline_working_days: int = Field(description=_DEADLINE)
    report_cycle: list[ReportPeriodKind] = Field(description=_CYCLE)
    feed_keywords: list[str]
    created_at: datetime
    updated_at: datetime

    @field_validator("feed_keywords", mode="before")
    @classmethod
    def _no_keywords_yet(cls, value: object) -> object:
        return [] if value is None else value  # a plan the seed has not filled yet


PlanPage = Page[PlanRead]

# --- tasks ----------------------------------------------------------------------------


class PartyRef(InputModel):
    """A lead or coordinating party: an agency or an agency group."""

    cross_field_rules = (
        exactly_one_of(
            "Exactly one of `agency_code` and `group_code`: not both, not neither (422).",
            ("agency_code", "string"),
            ("group_code", "string"),
        ),
    )

    agency_code: Code | None = Field(
        default=None, description="An agency, e.g. `so-vhttdl`; or give `group_code`."
    )
    group_code: Code | None = Field(
        default=None,
        description="An agency group, e.g. `so-ban-nganh-dia-phuong`; or give `agency_code`.",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "PartyRef":
        if (self.agency_code is None) == (self.group_code is None):
            raise ValueError("give exactly one of agency_code and group_code")
        return self


Parties = Annotated[list[PartyRef], Field(max_length=100)]


class TaskFields(InputModel):
    title: str = Field(min_length=1, max_length=5000, description="Verbatim from the plan.")
    schedule_kind: ScheduleKind
    schedule_years: list[Year] = Field(
        default_factory=list,
        max_length=31,
        description="`years`: the years of the deadline; `from_year_recurring`: the first "
        "year; `recurring`: empty.",
    )
    deadline_text: str = Field(min_length=1, max_length=200, description="Verbatim.")
    lead_text: str | None = Field(default=None, max_length=5000, description="Verbatim.")
    coordinating_text: str | None = Field(default=None, max_length=5000, description="Verbatim.")


class TaskCreate(TaskFields):
    # How many years each schedule takes (plans.service.check_schedule).
    cross_field_rules: ClassVar[tuple[CrossFieldRule, ...]] = (
        CrossFieldRule(
            text="`schedule_years` follows `schedule_kind`: `recurring` takes no years (empty "
            "or left out), `years` at least one, `from_year_recurring` exactly one (the first "
            "year). Repeated years count once. Otherwise 422 (`schedule`).",
            schema={
                "oneOf": [
                    {
                        "properties": {
                            "schedule_kind": {"const": "recurring"},
                            "schedule_years": {"maxItems": 0},
                        }
                    },
                    {
                        "required": ["schedule_years"],
                        "properties": {
                            "schedule_kind": {"const": "years"},
                            "schedule_years": {"minItems": 1},
                        },
                    },
                    {
                        "required": ["schedule_years"],
                        "properties": {
                            "schedule_kind": {"const": "from_year_recurring"},
                            "schedule_years": {"minItems": 1, "maxItems": 1},
                        },
                    },
                ]
            },
        ),
    )

    number: TaskNumber
    leads: Parties = Field(min_length=1, description="Chủ trì: agencies or groups, in order.")
    coordinators: Parties = Field(default_factory=list, description="Phối hợp, in order.")

    model_config = with_examples(
        {
            # The seeded plan has tasks 1 to 9: a tenth, as an amendment would add it.
            "number": 10,
            "title": "Tuyên truyền về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
            "trên các trang mạng xã hội của cơ quan, đơn vị, địa phương.",
            "schedule_kind": "years",
            "schedule_years": [2026, 2027],
            "deadline_text": "Năm 2026, 2027",
            "lead_text": "Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, Truyền hình Cao Bằng",
            "coordinating_text": "Sở Khoa học và Công nghệ; các sở, ban, ngành, địa phương",
            "leads": [{"agency_code": "so-vhttdl"}, {"agency_code": "bao-ptth-cb"}],
            "coordinators": [
                {"agency_code": "so-khcn"},
                {"group_code": "so-ban-nganh-dia-phuong"},
            ],
        }
    )


class TaskUpdate(InputModel):
    """Every field optional; `leads` and `coordinators` replace the whole list."""

    contract_not_null = ("number", "title", "schedule_kind", "schedule_years", "deadline_text")

    number: TaskNumber | None = None
    title: str | None = Field(default=None, min_length=1, max_length=5000)
    schedule_kind: ScheduleKind | None = None
    schedule_years: list[Year] | None = Field(default=None, max_length=31)
    deadline_text: str | None = Field(default=None, min_length=1, max_length=200)
    lead_text: str | None = Field(default=None, max_length=5000)
    coordinating_text: str | None = Field(default=None, max_length=5000)
    leads: Parties | None = Field(default=None, min_length=1)
    coordinators: Parties | None = None

    model_config = with_examples(
        {"deadline_text": "Năm 2026 và thường xuyên", "coordinators": [{"agency_code": "so-khcn"}]}
    )


class PartyRead(ReadModel):
    agency_code: str | None
    group_code: str | None
    name: str = Field(description="The agency's or group's name.")


class TaskRead(ReadModel):
    id: int
    plan_code: str
    number: int
    title: str
    schedule_kind: ScheduleKind
    schedule_years: list[int]
    deadline_text: str
    lead_text: str | None
    coordinating_text: str | None
    leads: list[PartyRead]
    coordinators: list[PartyRead]
    created_at: datetime
    updated_at: datetime


TaskPage = Page[TaskRead]

# --- task progress --------------------------------------------------------------------


_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)
# _URL in JSON Schema, whose `\s` (ECMA-262) leaves out what Python's also takes as blank.
_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00\x1c-\x1f\x85]+$"
_ID = re.compile(r"[1-9][0-9]{0,17}")


class Evidence(InputModel):
    """What shows the progress: a media product, a training session or a web page."""

    # What _ref_fits_kind enforces.
    cross_field_rules: ClassVar[tuple[CrossFieldRule, ...]] = (
        CrossFieldRule(
            text="`ref` follows `kind`: an http:// or https:// address for `url`, the "
            "record's id (e.g. `42`) for `media_product` and `training_session` (422 "
            "otherwise).",
            schema={
                "oneOf": [
                    {
                        "properties": {
                            "kind": {"const": "url"},
                            "ref": {"pattern": _URL_PATTERN},
                        }
                    },
                    {
                        "properties": {
                            "kind": {"enum": ["media_product", "training_session"]},
                            "ref": {"pattern": "^[1-9][0-9]{0,17}$"},
                        }
                    },
                ]
            },
        ),
    )

    kind: Literal["media_product", "training_session", "url"]
    ref: str = Field(
        min_length=1,
        max_length=2000,
        description="A media product's or training session's id, or an http(s) URL.",
    )

    @model_validator(mode="after")
    def _ref_fits_kind(self) -> "Evidence":
        if self.kind == "url":
            if not _URL.fullmatch(self.ref):
                raise ValueError("a url evidence needs an http:// or https:// address")
        elif not _ID.fullmatch(self.ref):
            raise ValueError(f"a {self.kind} evidence needs the record's id, e.g. '42'")
        return self


PERIOD_DESCRIPTION = "`2026`, `2026-H1`, `2026-Q2` or `2026-03` (calendar, local time)."


def _canonical_period(value: str) -> str:
    return parse_period(value).label


PeriodText = Annotated[
    str,
    Field(max_length=10, pattern=PERIOD_PATTERN, description=PERIOD_DESCRIPTION),
    AfterValidator(_canonical_period),
]


class ProgressCreate(InputModel):
    agency_code: Code
    period: PeriodText
    status: ProgressStatus
    narrative: str | None = Field(default=None, max_length=20000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)

    model_config = with_examples(
        {
            "agency_code": "bao-ptth-cb",
            "period": "2026-Q1",
            "status": "in_progress",
            "narrative": "Đã mở chuyên mục “Khoa học, công nghệ và chuyển đổi số” trên sóng "
            "truyền hình Cao Bằng, phát sóng định kỳ hằng tuần.",
            "evidence": [
                {"kind": "url", "ref": "https://baocaobang.vn/chuyen-muc/chuyen-doi-so"},
            ],
        }
    )


class ProgressUpdate(InputModel):
    contract_not_null = ("agency_code", "period", "status")

    agency_code: Code | None = None
    period: PeriodText | None = None
    status: ProgressStatus | None = None
    narrative: str | None = Field(default=None, max_length=20000)
    evidence: list[Evidence] | None = Field(default=None, max_length=50)

    model_config = with_examples({"status": "done", "narrative": "Đã hoàn thành trong quý."})


class EvidenceRead(ReadModel):
    kind: str
    ref: str


class ProgressFiling(ReadModel):
    """What an agency filed for a period, on a task or a section V duty: the fields that
    follow the subject's key in ``ProgressRead`` and ``DutyProgressRead``.

    A read model names it first among its bases and its key (``id``, ``plan_code``, the
    subject) second: pydantic lays out inherited fields from the last base to the first,
    so the key comes first, as the contract has it.
    """

    agency_code: str
    period: str
    period_start: date
    period_end: date
    status: ProgressStatus
    narrative: str | None
    evidence: list[EvidenceRead]
    created_at: datetime
    updated_at: datetime


class _TaskProgressKey(ReadModel):
    id: int
    plan_code: str
    task_number: int


class ProgressRead(ProgressFiling, _TaskProgressKey):
    # A task's progress: its key, then the filing (see ProgressFiling).
    pass


ProgressPage = Page[ProgressRead]

# --- the plan's text ------------------------------------------------------------------


class DocumentParagraph(ReadModel):
    kind: Literal["paragraph", "bullet"] = Field(description="A bullet is a `- …` item.")
    number: str | None = Field(
        description="A numbered paragraph's number as written (`1.1` in III.1), else null."
    )
    text: str


class DocumentSection(ReadModel):
    number: str | None = Field(
        examples=["III.1"],
        description="`I` … `V`, then the numbered headings below them (`II.2.1`); null for "
        "the preamble and the closing paragraph.",
    )
    level: int = Field(description="0 preamble or closing, 1 a Roman section, 2+ below it.")
    heading: str | None = Field(examples=["Nội dung tuyên truyền"])
    paragraphs: list[DocumentParagraph]


class PlanDocument(ReadModel):
    plan_code: str
    document_number: str
    title: str
    issued_on: date
    sections: list[DocumentSection] = Field(
        description="In the document's order; empty when the plan's text is not loaded."
    )


class PlanFilters(BaseModel):
    """The query parameters of the plan list."""

    q: SearchQuery = None


class TaskFilters(BaseModel):
    """The query parameters of the task list."""

    agency: Annotated[
        Code | None,
        Query(
            description="Tasks this agency takes part in, directly or through a group it "
            "belongs to (e.g. a commune through `he-thong-ttcs`).",
            examples=["xa-bao-lam"],
        ),
    ] = None
    role: Annotated[
        TaskRole,
        Query(description="With `agency`: as lead (chủ trì, default) or coordinating (phối hợp)."),
    ] = TaskRole.lead
    schedule_kind: Annotated[ScheduleKind | None, Query()] = None
    q: SearchQuery = None


PeriodQuery = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=PERIOD_PATTERN,
        description="Updates whose period lies inside this one: `2026` also finds "
        "`2026-H1`, `2026-Q2`, `2026-03`.",
        examples=["2026"],
    ),
]


class ProgressFilters(BaseModel):
    """The query parameters of the list of a task's or a duty's progress updates."""

    agency: AgencyFilter = None
    period: PeriodQuery = None
    status: Annotated[ProgressStatus | None, Query()] = None
    q: SearchQuery = None
