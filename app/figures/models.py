from datetime import date

import sqlalchemy as sa

from app.core.fields import enum_field, fk_agency, long_text_field, text_field
from app.core.record_columns import PushedColumns, VersionedRecord


class Figure(PushedColumns, VersionedRecord, table=True):
    """A number an agency reports for a period; one value per (metric, agency, period)."""

    __tablename__ = "figure"
    __table_args__ = (sa.UniqueConstraint("metric", "agency_code", "period"),)

    metric: str = enum_field(index=True)
    agency_code: str = fk_agency()
    period: str = text_field(10)
    period_start: date
    period_end: date
    value: float
    note: str | None = long_text_field(default=None)
