from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import (
    created_at_field,
    enum_field,
    fk_agency,
    id_field,
    long_text_field,
    text_field,
)


class Figure(SQLModel, table=True):
    """A number an agency reports for a period; one value per (metric, agency, period)."""

    __tablename__ = "figure"
    __table_args__ = (sa.UniqueConstraint("metric", "agency_code", "period"),)

    id: int | None = id_field()
    metric: str = enum_field(index=True)
    agency_code: str = fk_agency()
    period: str = text_field(10)
    period_start: date
    period_end: date
    value: float
    note: str | None = long_text_field(default=None)
    source: str | None = text_field(80, default=None)
    external_id: str | None = text_field(200, default=None)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
