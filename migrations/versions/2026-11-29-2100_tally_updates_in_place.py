"""tally updates in place: no tally count in an index, room in the pages

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2026-11-29 21:00:00

Every batch of airings adds to the same tallies (the year and month rows of each agency
and filter, and its days). With ``n`` carried in ``ix_record_tally_agency_bucket``
(INCLUDE, d4e5f6a7b8c9), no update could stay in its page: each wrote a new version and
new entries in both indexes, and until a vacuum a lookup of a year row stepped over every
earlier version. ``python -m bench.batch`` at scale 0.1 (batches of 5,000 airings): the
tally statement took 334–341 ms of ~1,000 ms batches with the INCLUDE, and 124–147 ms of
~750 ms batches without it and with fillfactor 70 (each after ``VACUUM FULL``). A status read of a province's tallies now
visits ~1,200 table blocks besides the index (EXPLAIN ANALYZE at scale 1: 10.2 ms where
the index-only read took 2.8 ms; as the request saw it, 8–10 ms before and after).

PostgreSQL only. The new fillfactor applies to pages written from now on; ``VACUUM FULL
record_tally`` (which locks the table) rewrites the existing ones with it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f6a7b8c9d0e1"
down_revision: str | None = "e5f6a7b8c9d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_record_tally_agency_bucket"
COLUMNS = ["agency_code", "bucket", "filter_id"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="record_tally")
    op.create_index(INDEX, "record_tally", COLUMNS, unique=False)
    op.execute(sa.text("ALTER TABLE record_tally SET (fillfactor = 70)"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(sa.text("ALTER TABLE record_tally RESET (fillfactor)"))
    op.drop_index(INDEX, table_name="record_tally")
    op.create_index(INDEX, "record_tally", COLUMNS, unique=False, postgresql_include=["n"])
