from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.fields import enum_field, fk_agency, instant_field, text_field
from app.core.record_columns import PushedColumns, SearchableRecord


class Channel(PushedColumns, SearchableRecord, table=True):
    """An outlet an agency runs: portal, portal section, press column, programme, page…"""

    __search_fields__ = ("name", "url")
    __tablename__ = "channel"
    __table_args__ = (sa.UniqueConstraint("agency_code", "source", "external_id"),)

    agency_code: str = fk_agency()
    kind: str = enum_field(index=True)
    name: str = text_field(300)
    url: str | None = text_field(2000, default=None)
    dedicated: bool = Field(default=False)
    launched_on: date | None = None
    closed_on: date | None = None
    # A feed (RSS 2.0 or Atom) `nq57 feeds sync` reads into media products (app/feeds);
    # the validators are the last answer's, sent back so that an unchanged feed is a 304.
    feed_url: str | None = text_field(2000, default=None)
    feed_etag: str | None = text_field(500, default=None)
    feed_last_modified: str | None = text_field(100, default=None)
    feed_synced_at: datetime | None = instant_field(default=None)
    feed_sync_result: str | None = text_field(1000, default=None)
