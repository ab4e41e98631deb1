from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import (
    code_field,
    enum_field,
    fk_agency,
    fk_id,
    id_field,
    json_list_field,
    long_text_field,
    tags_field,
    text_field,
)
from app.core.record_columns import SearchableRecord

DEFAULT_REPORT_CYCLE = ("quarter", "half_year", "year")


class Plan(SearchableRecord, table=True):
    __search_fields__ = ("code", "document_number", "title")
    __tablename__ = "plan"

    code: str = code_field(unique=True)
    document_number: str = text_field(80)
    title: str = long_text_field()
    issued_on: date
    issuer_code: str = fk_agency(index=False)
    coordinator_code: str = fk_agency(index=False)
    start_on: date  # the start of the plan's period, not its issue date
    end_on: date
    # The province whose agencies the groups' kinds select; None: a national plan.
    province_code: str | None = Field(default=None, sa_type=sa.String(80), index=True)
    implements: list[str] = json_list_field()
    on_topic_topics: list[str] = tags_field()
    # Phrases that make a feed item on-topic (app/feeds). JSON, not a tag list: phrases
    # hold commas. NULL only on a plan from before the column, so that the seed fills
    # kh-209-2026's once and never refills a list an operator emptied.
    feed_keywords: list[str] | None = Field(
        default=None, sa_type=sa.JSON(none_as_null=True), nullable=True
    )
    report_deadline_working_days: int = Field(default=5)
    # Which periodic reports agencies file (quarter, half_year, year). Plan 209 asks for
    # periodic reports "theo quy định" without naming them: the service's default is all
    # three of Nghị định 09/2019/NĐ-CP, and the coordinator sets what the province decides.
    report_cycle: list[str] = Field(
        default_factory=lambda: list(DEFAULT_REPORT_CYCLE), sa_type=sa.JSON, nullable=False
    )


class Task(SearchableRecord, table=True):
    """A row of the plan's appendix (nhiệm vụ)."""

    __search_fields__ = ("title", "lead_text", "coordinating_text", "deadline_text")
    __tablename__ = "task"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    plan_id: int = fk_id("plan.id", ondelete="CASCADE")
    number: int
    title: str = long_text_field()
    schedule_kind: str = enum_field()
    schedule_years: list[int] = json_list_field()
    deadline_text: str = text_field(200)
    lead_text: str | None = long_text_field(default=None)
    coordinating_text: str | None = long_text_field(default=None)


class PartyColumns(SQLModel):
    """An agency or a group (exactly one of the two) that leads or coordinates an
    assignment: a task here, a section V duty in app/duties. The table adds the column
    naming the assignment."""

    id: int | None = id_field()
    role: str = enum_field()
    agency_code: str | None = fk_agency(nullable=True, index=False)
    group_code: str | None = Field(
        default=None, sa_type=sa.String(80), foreign_key="agency_group.code"
    )
    position: int = Field(default=0)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        # A function, not a tuple: each table needs a constraint object of its own.
        return (
            sa.CheckConstraint(
                "(agency_code IS NULL) <> (group_code IS NULL)", name="agency_xor_group"
            ),
        )


class TaskParty(PartyColumns, table=True):
    """An agency or a group that leads (chủ trì) or coordinates (phối hợp) a task."""

    __tablename__ = "task_party"

    task_id: int = fk_id("task.id", ondelete="CASCADE")


class ProgressRecord(SearchableRecord):
    """An agency's update on an assignment (a task here, a section V duty in app/duties) for
    a reporting period: its status, narrative and evidence (records it cites). The table
    adds the column naming the assignment, one update per assignment, agency and period."""

    __search_fields__ = ("narrative",)

    agency_code: str = fk_agency()
    period: str = text_field(10)
    period_start: date
    period_end: date
    status: str = enum_field()
    narrative: str | None = long_text_field(default=None)
    evidence: list[dict[str, Any]] = json_list_field()


class TaskProgress(ProgressRecord, table=True):
    """An agency's update on a task for a reporting period."""

    __tablename__ = "task_progress"
    __table_args__ = (sa.UniqueConstraint("task_id", "agency_code", "period"),)

    task_id: int = fk_id("task.id", ondelete="CASCADE")


class PlanSection(SQLModel, table=True):
    """A section of the plan's own text (headings and paragraphs), in document order."""

    __tablename__ = "plan_section"
    __table_args__ = (sa.UniqueConstraint("plan_id", "position"),)

    id: int | None = id_field()
    plan_id: int = fk_id("plan.id", ondelete="CASCADE")
    position: int
    number: str | None = text_field(20, default=None)
    level: int = Field(default=0)
    heading: str | None = long_text_field(default=None)
    # [{"kind": "paragraph" | "bullet", "number": "1.1" | None, "text": "…"}]
    paragraphs: list[dict[str, Any]] = json_list_field()
