"""range list indexes: (agency, instant) indexes carry the id

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-11-29 20:30:00

"Broadcasts of a commune in June, newest page first" filtered the commune's rows on
``started_at`` while walking ``(agency_code, id)``: for a June page it stepped over every
airing of the months after June (8,400 rows, 7,900 blocks, 15 ms with all of them in
memory, at scale 1). With ``id`` carried in the ``(agency_code, started_at)`` index,
PostgreSQL reads the range from the index alone and sorts its ids (1,600 rows, 19
blocks, 0.9 ms).
The same holds for media products and ``published_at``.

PostgreSQL only: SQLite has no INCLUDE, and its index is unchanged. Rebuilding them reads
the whole tables: at scale 1 (10M broadcasts, 1M products) this migration took 12 s on
the 2-core benchmark machine; writes to the tables wait meanwhile. On a live database, build
``<name>_new`` CONCURRENTLY beforehand, drop the old one and rename.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5f6a7b8c9d0"
down_revision: str | None = "d4e5f6a7b8c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANGE_INDEXES = (
    ("broadcast", "ix_broadcast_agency_started", "started_at"),
    ("media_product", "ix_media_product_agency_published", "published_at"),
)


def _rebuild(include_id: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name, instant in RANGE_INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(
            name,
            table,
            ["agency_code", instant],
            unique=False,
            postgresql_include=["id"] if include_id else [],
        )


def upgrade() -> None:
    _rebuild(include_id=True)


def downgrade() -> None:
    _rebuild(include_id=False)
