"""list indexes: (agency_code, id) on broadcast and media_product

Revision ID: b7c1d2e3f4a5
Revises: 2f03bce9837c
Create Date: 2026-11-26 18:30:00

Lists are keyset-paginated on ``id``. With these indexes "WHERE agency_code = ? ORDER BY
id LIMIT 51" walks one index and stops after the page instead of walking the primary key
or fetching every row of the agency and sorting them. The tag lists (and a product's kind)
are carried in the index (INCLUDE, PostgreSQL only) so that a topic filter is tested on
index entries: a rare topic no longer reads one heap block per row of the agency.

Building them reads the whole table: at the national scale (10M broadcasts, 1M media
products) this migration took 28 s on the 2-core benchmark machine and adds ~830 MB and
~90 MB of index; writes to these tables wait meanwhile (plain CREATE INDEX; CONCURRENTLY
cannot run inside the migration's transaction). On a live database, create them
beforehand with CREATE INDEX CONCURRENTLY under the same names and definitions, then run
this migration: IF NOT EXISTS makes it a no-op for them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b7c1d2e3f4a5"
down_revision: str | None = "2f03bce9837c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.create_index(
            "ix_broadcast_agency_id",
            ["agency_code", "id"],
            unique=False,
            postgresql_include=["topics"],
            if_not_exists=True,
        )
    with op.batch_alter_table("media_product", schema=None) as batch_op:
        batch_op.create_index(
            "ix_media_product_agency_id",
            ["agency_code", "id"],
            unique=False,
            postgresql_include=["kind", "topics"],
            if_not_exists=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("media_product", schema=None) as batch_op:
        batch_op.drop_index("ix_media_product_agency_id")
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_index("ix_broadcast_agency_id")
