"""portal feeds: a channel's RSS/Atom feed and its sync state; a plan's feed keywords

Revision ID: c9d0e1f2a3b4
Revises: b8c9d0e1f2a3
Create Date: 2026-12-04 18:00:00

`nq57 feeds sync` reads each active channel's `feed_url` into media products (app/feeds).
The channel keeps the last answer's validators (ETag, Last-Modified: the next read is a
conditional GET) and the last sync's time and result. `plan.feed_keywords` (JSON: phrases
hold commas) makes an item on-topic; NULL until `nq57 seed` fills kh-209-2026's once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = "c9d0e1f2a3b4"
down_revision: str | None = "b8c9d0e1f2a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("feed_etag", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("feed_last_modified", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("feed_synced_at", app.core.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("feed_sync_result", sa.String(length=1000), nullable=True))
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_keywords", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("feed_keywords")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("feed_sync_result")
        batch_op.drop_column("feed_synced_at")
        batch_op.drop_column("feed_last_modified")
        batch_op.drop_column("feed_etag")
        batch_op.drop_column("feed_url")
