from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import enum_field, fk_agency, fk_id, instant_field, long_text_field, text_field
from app.core.record_columns import SearchableRecord


class ReportRequest(SearchableRecord, table=True):
    """An ad-hoc (đột xuất) report request: the agencies asked, the window, the deadline."""

    __search_fields__ = ("title", "reference", "description")
    __tablename__ = "report_request"

    plan_id: int = fk_id("plan.id", ondelete="RESTRICT")
    title: str = text_field(500)
    reference: str | None = text_field(80, default=None)
    description: str | None = long_text_field(default=None)
    window_start: date
    window_end: date
    due_on: date


class ReportRequestAgency(SQLModel, table=True):
    __tablename__ = "report_request_agency"

    request_id: int = fk_id("report_request.id", ondelete="CASCADE", primary_key=True)
    agency_code: str = Field(
        sa_type=sa.String(80), foreign_key="agency.code", primary_key=True, ondelete="RESTRICT"
    )


class AgencyReport(SearchableRecord, table=True):
    """An agency's periodic or ad-hoc report on a plan: narrative and compiled figures."""

    __search_fields__ = ("results", "difficulties", "proposals", "review_comment")
    __tablename__ = "agency_report"
    __table_args__ = (sa.UniqueConstraint("plan_id", "agency_code", "period"),)

    plan_id: int = fk_id("plan.id", ondelete="RESTRICT")
    agency_code: str = fk_agency()
    period: str = text_field(40)
    period_kind: str = enum_field()
    request_id: int | None = fk_id("report_request.id", ondelete="RESTRICT", nullable=True)
    window_start: date
    window_end: date
    status: str = enum_field(index=True)
    results: str | None = long_text_field(default=None)
    difficulties: str | None = long_text_field(default=None)
    proposals: str | None = long_text_field(default=None)
    figures: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    first_submitted_at: datetime | None = instant_field(default=None)
    submitted_at: datetime | None = instant_field(default=None)
    submission_count: int = Field(default=0)
    reviewed_at: datetime | None = instant_field(default=None)
    reviewed_by: str | None = text_field(120, default=None)
    review_comment: str | None = long_text_field(default=None)
