"""Section V duties (Tổ chức thực hiện): assignments outside the appendix table."""

import sqlalchemy as sa
from sqlmodel import Field

from app.core.fields import enum_field, fk_id, json_list_field, long_text_field, text_field
from app.core.record_columns import SearchableRecord
from app.plans.models import PartyColumns, ProgressRecord


class Duty(SearchableRecord, table=True):
    """One assignment of section V: a paragraph or a bullet under an owner's heading."""

    __search_fields__ = ("code", "owner_text", "text", "coordinating_text")
    __tablename__ = "duty"
    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)

    plan_id: int = fk_id("plan.id", ondelete="CASCADE")
    code: str = text_field(20)
    section: str = text_field(20)
    position: int = Field(default=0)
    owner_text: str = long_text_field()
    text: str = long_text_field()
    coordinating_text: str | None = long_text_field(default=None)
    schedule_kind: str = enum_field(default="recurring")
    schedule_years: list[int] = json_list_field()


class DutyParty(PartyColumns, table=True):
    """An agency or a group that owns (chủ trì) or coordinates (phối hợp) a duty."""

    __tablename__ = "duty_party"

    duty_id: int = fk_id("duty.id", ondelete="CASCADE")


class DutyProgress(ProgressRecord, table=True):
    """An agency's update on a duty for a period, as for a task."""

    __tablename__ = "duty_progress"
    __table_args__ = (sa.UniqueConstraint("duty_id", "agency_code", "period"),)

    duty_id: int = fk_id("duty.id", ondelete="CASCADE")
