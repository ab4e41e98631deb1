"""The indicator table, and the two tables of the status tallies (app/status/tallies/)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import (
    code_field,
    created_at_field,
    enum_field,
    fk_id,
    id_field,
    long_text_field,
    text_field,
)
from app.core.record_columns import SearchableRecord


class Indicator(SearchableRecord, table=True):
    """A target of the plan (chỉ tiêu) and, as data, the measure that evaluates it."""

    __search_fields__ = ("code", "title", "description")
    __tablename__ = "indicator"
    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)

    plan_id: int = fk_id("plan.id", ondelete="CASCADE")
    code: str = code_field()
    position: int = Field(default=0)
    title: str = long_text_field()
    description: str | None = long_text_field(default=None)
    target_year: int
    target_value: float
    baseline_value: float = Field(default=0.0)
    comparator: str = enum_field()
    unit: str = text_field(20)
    window: str = enum_field()
    measure: dict[str, Any] = Field(sa_type=sa.JSON, nullable=False)


class TallyFilter(SQLModel, table=True):
    """A record filter some indicator counts (see app/status/tallies/): its records
    are tallied at write time per agency and local year, month and day."""

    __tablename__ = "tally_filter"

    id: int | None = id_field()
    record: str = enum_field()
    key: str = Field(sa_type=sa.Text, unique=True, description="The filter, as canonical JSON.")
    created_at: datetime = created_at_field()


class RecordTally(SQLModel, table=True):
    """How many records of one agency match one tallied filter in one bucket: a local
    year ``2026``, month ``2026-03`` or day ``2026-03-14``."""

    __tablename__ = "record_tally"
    # Status reads every filter of a plan for its agencies and one bucket (the year): one
    # descent per agency here, where the primary key needs one per filter and agency.
    # Every batch adds to the same year, month and day rows, so ``n`` is in no index and
    # pages keep room (fillfactor 70): PostgreSQL then updates a tally in its page (HOT)
    # without new index entries, and prunes the old versions itself (migration f6a7b8c9d0e1).
    __table_args__ = (
        sa.Index("ix_record_tally_agency_bucket", "agency_code", "bucket", "filter_id"),
        {"postgresql_with": {"fillfactor": 70}},
    )

    filter_id: int = fk_id("tally_filter.id", ondelete="CASCADE", primary_key=True)
    agency_code: str = Field(sa_type=sa.String(80), primary_key=True)
    bucket: str = Field(sa_type=sa.String(10), primary_key=True)
    n: int = Field(default=0)
