from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import (
    enum_field,
    fk_agency,
    fk_id,
    instant_field,
    long_text_field,
    tags_field,
    text_field,
)
from app.core.record_columns import PushedColumns, SearchableRecord
from app.core.types import TagList


class MediaProduct(PushedColumns, SearchableRecord, table=True):
    """A sản phẩm truyền thông: an article, a video, a leaflet, a publication…"""

    __search_fields__ = ("title", "summary", "partner_press")
    __tablename__ = "media_product"
    __table_args__ = (
        sa.UniqueConstraint("agency_code", "source", "external_id"),
        # An agency's products in a date range, ids from the index (migration e5f6a7b8c9d0).
        sa.Index(
            "ix_media_product_agency_published",
            "agency_code",
            "published_at",
            postgresql_include=["id"],
        ),
        # Lists by agency, keyset on id; kind and topics carried so those filters read no
        # heap (see app/core/pagination.py, ids_first). Migration b7c1d2e3f4a5.
        sa.Index(
            "ix_media_product_agency_id",
            "agency_code",
            "id",
            postgresql_include=["kind", "topics"],
        ),
    )

    agency_code: str = fk_agency(index=False)
    kind: str = enum_field(index=True)
    title: str = text_field(1000)
    summary: str | None = long_text_field(default=None)
    url: str | None = text_field(2000, default=None)
    published_at: datetime = instant_field(index=True)
    topics: list[str] = tags_field()
    audiences: list[str] = tags_field()
    # The kinds of the channels it is linked to, kept in step with its links and their
    # kinds: the write-time tallies of indicator status filter on it (tallies.py).
    channel_kinds: list[str] = Field(
        default_factory=list,
        sa_type=TagList,
        nullable=False,
        sa_column_kwargs={"server_default": ""},
    )
    language: str = enum_field(default="vi")
    partner_press: str | None = text_field(300, default=None)
    state_commissioned: bool = Field(default=False)
    views: int | None = Field(default=None, sa_type=sa.BigInteger)
    listeners: int | None = Field(default=None, sa_type=sa.BigInteger)
    copies: int | None = Field(default=None, sa_type=sa.BigInteger)
    retracted_at: datetime | None = instant_field(default=None)


class MediaProductChannel(SQLModel, table=True):
    __tablename__ = "media_product_channel"

    media_product_id: int = fk_id("media_product.id", ondelete="CASCADE", primary_key=True)
    channel_id: int = fk_id("channel.id", ondelete="RESTRICT", primary_key=True, index=True)
