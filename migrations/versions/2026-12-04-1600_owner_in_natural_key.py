"""owner in the natural key: (agency_code, source, external_id)

Revision ID: a7b8c9d0e1f2
Revises: f6a7b8c9d0e1
Create Date: 2026-12-04 16:00:00

Pushed records were unique on ``(source, external_id)`` across the whole database. Vendors
ship the same loudspeaker software to many communes, so two communes can push the same
pair; the second was refused (403) on a record of its own, and a race between two
agencies' pushes of one pair could hand a row from one agency to the other. With the
owning agency in the key, each agency's records are its own and no push can reach
another agency's row.

Existing rows keep their ids and values: every row unique on the pair is unique on the
triple too, so the new constraint always builds. SQLite rebuilds each table to change a
constraint, which drops the table's triggers: the data-version triggers of ``channel`` and
``training_session`` (revision d4e5f6a7b8c9) are made again after the rebuild.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a7b8c9d0e1f2"
down_revision: str | None = "f6a7b8c9d0e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("broadcast", "media_product", "channel", "training_session")
# The tables with data-version triggers, and the domain each bumps (as in d4e5f6a7b8c9).
SQLITE_TRIGGERED = {"channel": "channels", "training_session": "training"}


def _restore_sqlite_triggers(table: str) -> None:
    if op.get_bind().dialect.name != "sqlite" or table not in SQLITE_TRIGGERED:
        return
    for event in ("insert", "update", "delete"):
        op.execute(
            f"CREATE TRIGGER trg_{table}_{event}_data_version AFTER {event.upper()} "
            f"ON {table} BEGIN UPDATE data_version SET version = random() "
            f"WHERE domain = '{SQLITE_TRIGGERED[table]}'; END"
        )


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_source_external_id", type_="unique")
            batch.create_unique_constraint(
                f"uq_{table}_agency_code_source_external_id",
                ["agency_code", "source", "external_id"],
            )
        _restore_sqlite_triggers(table)


def downgrade() -> None:
    # Fails (as it must) once two agencies hold the same pair.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_agency_code_source_external_id", type_="unique")
            batch.create_unique_constraint(
                f"uq_{table}_source_external_id", ["source", "external_id"]
            )
        _restore_sqlite_triggers(table)
