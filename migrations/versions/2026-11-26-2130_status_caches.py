"""status caches: data versions kept by triggers, and tallies by agency and bucket

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-11-26 21:30:00

``data_version`` holds one version per domain of rarely written data (the catalogue, the
channels, the figures, the training done; app/core/data_versions.py). Triggers on the domains' tables
give it a new version with every statement that writes them, so indicator status can
keep what it computed from that data until it changes. On PostgreSQL the versions come
from a sequence started at a random point (a database rebuilt under the same name does
not repeat the versions of the one before); on SQLite they are random 64-bit numbers.

``ix_record_tally_agency_bucket``: status reads every tallied filter of a plan for the
plan's agencies and one bucket. At the national scale (5 million tally rows) the index
took 9 s to build on the 2-core benchmark machine.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e5f6a7b8c9"
down_revision: str | None = "c3d4e5f6a7b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here as they are at this revision (app/core/data_versions.py may grow).
DOMAINS: dict[str, tuple[str, ...]] = {
    "catalogue": ("agency", "agency_group", "agency_group_member"),
    "channels": ("channel",),
    "figures": ("figure",),
    "training": ("training_session", "training_attendance", "training_participant"),
}
SQLITE_EVENTS = ("insert", "update", "delete")

PG_FUNCTION = """
CREATE FUNCTION nq57_new_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = nextval('data_version_seq') WHERE domain = TG_ARGV[0];
    RETURN NULL;
END
$$
"""


def _pg_trigger(table: str) -> str:
    return f"trg_{table}_data_version"


def _sqlite_trigger(table: str, event: str) -> str:
    return f"trg_{table}_{event}_data_version"


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("domain", name=op.f("pk_data_version")),
    )
    with op.batch_alter_table("record_tally", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_tally_agency_bucket",
            ["agency_code", "bucket", "filter_id"],
            unique=False,
            postgresql_include=["n"],
        )
    if op.get_bind().dialect.name == "postgresql":
        start = secrets.randbelow(2**61) + 1
        op.execute(f"CREATE SEQUENCE data_version_seq START WITH {start}")
        op.execute(PG_FUNCTION)
        for domain, tables in DOMAINS.items():
            op.execute(
                f"INSERT INTO data_version (domain, version) "
                f"VALUES ('{domain}', nextval('data_version_seq'))"
            )
            for table in tables:
                op.execute(
                    f"CREATE TRIGGER {_pg_trigger(table)} "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION nq57_new_data_version('{domain}')"
                )
        return
    # SQLite: row triggers (it has no statement triggers), a random version each time.
    for domain, tables in DOMAINS.items():
        op.execute(f"INSERT INTO data_version (domain, version) VALUES ('{domain}', random())")
        for table in tables:
            for event in SQLITE_EVENTS:
                op.execute(
                    f"CREATE TRIGGER {_sqlite_trigger(table, event)} AFTER {event.upper()} "
                    f"ON {table} BEGIN "
                    f"UPDATE data_version SET version = random() WHERE domain = '{domain}'; "
                    "END"
                )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for tables in DOMAINS.values():
        for table in tables:
            if postgresql:
                op.execute(f"DROP TRIGGER {_pg_trigger(table)} ON {table}")
            else:
                for event in SQLITE_EVENTS:
                    op.execute(f"DROP TRIGGER {_sqlite_trigger(table, event)}")
    if postgresql:
        op.execute("DROP FUNCTION nq57_new_data_version()")
        op.execute("DROP SEQUENCE data_version_seq")
    with op.batch_alter_table("record_tally", schema=None) as batch_op:
        batch_op.drop_index("ix_record_tally_agency_bucket")
    op.drop_table("data_version")
