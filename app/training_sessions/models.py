from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import enum_field, fk_agency, fk_id, id_field, tags_field, text_field
from app.core.record_columns import PushedColumns, SearchableRecord


class TrainingSession(PushedColumns, SearchableRecord, table=True):
    """A lớp tập huấn, bồi dưỡng, học tập quán triệt, hội thảo or online contest."""

    __search_fields__ = ("title", "location")
    __tablename__ = "training_session"
    __table_args__ = (sa.UniqueConstraint("agency_code", "source", "external_id"),)

    agency_code: str = fk_agency()
    kind: str = enum_field(index=True)
    title: str = text_field(1000)
    started_on: date = Field(index=True)
    ended_on: date
    mode: str = enum_field()
    location: str | None = text_field(300, default=None)
    topics: list[str] = tags_field()
    audiences: list[str] = tags_field()


class TrainingAttendance(SQLModel, table=True):
    """How many people of one agency and audience attended, and how many passed."""

    __tablename__ = "training_attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "agency_code", "audience"),)

    id: int | None = id_field()
    session_id: int = fk_id("training_session.id", ondelete="CASCADE")
    agency_code: str = fk_agency()
    audience: str = enum_field()
    participants: int
    passed: int = Field(default=0)


class TrainingParticipant(SQLModel, table=True):
    """A named participant (name, agency, role: nothing more), so a person counts once."""

    __tablename__ = "training_participant"

    id: int | None = id_field()
    session_id: int = fk_id("training_session.id", ondelete="CASCADE")
    agency_code: str = fk_agency()
    full_name: str = text_field(200)
    role: str | None = text_field(200, default=None)
    audience: str | None = enum_field(default=None)
    passed: bool = Field(default=False)
    person_key: str = Field(
        sa_type=sa.String(300),
        index=True,
        description="Folded name and agency: the identity used to count a person once.",
    )
