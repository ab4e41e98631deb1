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


class Channel(SQLModel, table=True):
    """An outlet an agency runs: portal, portal section, press column, programme, page…"""

    __search_fields__ = ("name", "url")
    __tablename__ = "channel"
    __table_args__ = (sa.UniqueConstraint("agency_code", "source", "external_id"),)

    id: int | None = id_field()
    agency_code: str = fk_agency()
    kind: str = enum_field(index=True)
    name: str = text_field(300)
    url: str | None = text_field(2000, default=None)
    dedicated: bool = Field(default=False)
    launched_on: date | None = None
    closed_on: date | None = None
    source: str | None = text_field(80, default=None)
    external_id: str | None = text_field(200, default=None)
    search_text: str = long_text_field(default="")
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
