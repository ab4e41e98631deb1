"""What the reports compile: figures from records, compliance, the task board."""

from datetime import date, datetime

from pydantic import Field

from app.agencies.schemas import FocalPointRead
from app.core.schemas import ReadModel
from app.core.vocab import AgencyKind, ScheduleKind
from app.plans.schemas import PartyRead


class KeyCount(ReadModel):
    key: str = Field(examples=["article"])
    label_vi: str = Field(examples=["Bài viết"])
    count: int


class ChannelCount(ReadModel):
    channel_id: int
    name: str
    kind: str
    count: int


class MediaFigures(ReadModel):
    total: int = Field(description="On-topic media products published in the window.")
    by_kind: list[KeyCount]
    by_channel_kind: list[KeyCount] = Field(
        description="A product carried on several channels counts under each."
    )
    by_channel: list[ChannelCount] | None = Field(
        default=None, description="Per channel (an agency's report only)."
    )


class BroadcastFigures(ReadModel):
    count: int = Field(description="On-topic broadcasts that started in the window.")
    duration_seconds: int
    duration_hours: float
    by_origin: list[KeyCount]


class TrainingFigures(ReadModel):
    sessions: int = Field(description="On-topic sessions organised, starting in the window.")
    participants: int = Field(
        description="Attendance counts (the roster size where a session has none)."
    )
    passed: int


class ProgressFigure(ReadModel):
    task_number: int
    agency_code: str
    period: str
    status: str


class CompiledFigures(ReadModel):
    """Figures compiled from records in the report's window; retracted records never count;
    a record counts when its topics include one of the plan's on-topic topics."""

    window_start: date
    window_end: date
    agency_codes: list[str] | None = Field(
        description="Whose records counted: the agency and the agencies under it that do not "
        "report themselves; null for the whole province."
    )
    media_products: MediaFigures
    broadcasts: BroadcastFigures
    training: TrainingFigures
    task_progress: list[ProgressFigure] = Field(
        description="Task progress updates filed for the report's period (calendar period "
        "of the same name and the periods inside it)."
    )
    task_progress_by_status: list[KeyCount]
    compiled_at: datetime


# --- compliance ------------------------------------------------------------------------


class ComplianceEntry(ReadModel):
    agency_code: str
    name: str
    kind: AgencyKind
    expected: bool = Field(description="False for an agency that filed without being asked.")
    state: str = Field(description="on_time, late, missing or not_due.", examples=["late"])
    state_label_vi: str = Field(examples=["Nộp muộn"])
    report_id: int | None
    report_status: str | None = Field(description="draft, submitted, accepted or returned.")
    submitted_at: datetime | None
    submission_count: int
    focal_point: FocalPointRead


class ComplianceRead(ReadModel):
    plan_code: str
    period: str = Field(examples=["2026-Q1"])
    period_kind: str
    request_id: int | None
    window_start: date
    window_end: date
    deadline: date = Field(description="Last day to submit (local time).")
    as_of: datetime
    summary: dict[str, int] = Field(description="How many agencies are in each state.")
    agencies: list[ComplianceEntry]


# --- task board ------------------------------------------------------------------------


class BoardState(ReadModel):
    """A task's or a duty's state for the period, by the same rules: its leads, the state
    and why, and who of the leads reported. ``TaskBoardEntry`` and ``DutyBoardEntry``
    name it first among their bases and what the entry is second: pydantic lays out
    inherited fields from the last base to the first, so the entry's own fields come
    first, as the contract has them."""

    leads: list[PartyRead]
    status: str = Field(
        description="done, overdue, lagging, blocked, on_track or not_due.", examples=["lagging"]
    )
    status_label_vi: str
    reason: str
    lead_agencies: int = Field(description="Lead agencies (groups expanded) on the cut-off day.")
    lead_agencies_reported: list[str] = Field(
        description="Lead agencies that filed progress for the period."
    )
    updates_by_status: list[KeyCount]


class _TaskOnBoard(ReadModel):
    number: int
    title: str
    schedule_kind: ScheduleKind
    schedule_years: list[int]
    deadline_text: str


class TaskBoardEntry(BoardState, _TaskOnBoard):
    # The task, then its state (see BoardState).
    pass


class _DutyOnBoard(ReadModel):
    code: str = Field(examples=["V.5.4"])
    section: str
    owner_text: str
    text: str
    schedule_kind: ScheduleKind
    schedule_years: list[int]


class DutyBoardEntry(BoardState, _DutyOnBoard):
    """A section V duty's state for the period, by the tasks' rules (its owners are its
    leads; a duty is `recurring` unless the coordinator dated it)."""

    # In BoardState's places, worded for owners.
    lead_agencies: int = Field(description="Owner agencies (groups expanded) on the cut-off day.")
    lead_agencies_reported: list[str] = Field(
        description="Owner agencies that filed progress for the period."
    )


class TaskBoard(ReadModel):
    plan_code: str
    period: str
    window_start: date
    window_end: date
    summary: dict[str, int]
    tasks: list[TaskBoardEntry]
    duty_summary: dict[str, int] = Field(
        default_factory=dict, description="How many section V duties are in each state."
    )
    duties: list[DutyBoardEntry] = Field(
        default_factory=list, description="Section V duties, in the plan's order."
    )
