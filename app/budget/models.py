from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.fields import enum_field, fk_agency, fk_id, instant_field, long_text_field
from app.core.record_columns import SearchableRecord


class BudgetLine(SearchableRecord, table=True):
    """Kinh phí (section IV): an agency's annual estimate for a task or a section V duty
    from one funding source, the amount approved and the amount spent, in VND."""

    __search_fields__ = ("content", "note")
    __tablename__ = "budget_line"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "agency_code", "year", "funding_source"),
        sa.UniqueConstraint("duty_id", "agency_code", "year", "funding_source"),
        sa.CheckConstraint("(task_id IS NULL) <> (duty_id IS NULL)", name="task_xor_duty"),
    )

    task_id: int | None = fk_id("task.id", ondelete="RESTRICT", nullable=True)
    duty_id: int | None = fk_id("duty.id", ondelete="RESTRICT", nullable=True)
    funding_source: str = enum_field(default="provincial_budget")
    agency_code: str = fk_agency()
    year: int = Field(index=True)
    content: str | None = long_text_field(default=None)
    estimate_vnd: int = Field(sa_type=sa.BigInteger)
    approved_vnd: int | None = Field(default=None, sa_type=sa.BigInteger)
    approved_at: datetime | None = instant_field(default=None)
    spent_vnd: int = Field(default=0, sa_type=sa.BigInteger)
    note: str | None = long_text_field(default=None)
