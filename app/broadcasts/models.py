from datetime import datetime

import sqlalchemy as sa

from app.core.fields import enum_field, fk_agency, fk_id, instant_field, tags_field, text_field
from app.core.record_columns import PushedColumns, SearchableRecord


class Broadcast(PushedColumns, SearchableRecord, table=True):
    """One airing on a commune's loudspeaker system (lượt phát trên hệ thống TTCS)."""

    __search_fields__ = ("title",)
    __tablename__ = "broadcast"
    __table_args__ = (
        sa.UniqueConstraint("agency_code", "source", "external_id"),
        # A commune's airings in a date range: ids read from the index alone, then
        # sorted for the page (migration e5f6a7b8c9d0).
        sa.Index(
            "ix_broadcast_agency_started", "agency_code", "started_at", postgresql_include=["id"]
        ),
        # Lists by agency, keyset on id; topics carried so a topic filter reads no heap
        # (see app/core/pagination.py, ids_first). Migration b7c1d2e3f4a5.
        sa.Index("ix_broadcast_agency_id", "agency_code", "id", postgresql_include=["topics"]),
    )

    agency_code: str = fk_agency(index=False)
    channel_id: int | None = fk_id("channel.id", ondelete="RESTRICT", nullable=True)
    media_product_id: int | None = fk_id("media_product.id", ondelete="SET NULL", nullable=True)
    title: str = text_field(1000)
    origin: str = enum_field()
    started_at: datetime = instant_field(index=True)
    duration_seconds: int
    language: str = enum_field(default="vi")
    loudspeaker_clusters: int | None = None
    topics: list[str] = tags_field()
    retracted_at: datetime | None = instant_field(default=None)
