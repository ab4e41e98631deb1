"""spreadsheet imports: every upload of a filled template, kept with its rows' outcomes

Revision ID: b8c9d0e1f2a3
Revises: a7b8c9d0e1f2
Create Date: 2026-12-04 17:00:00

One row per upload to POST /api/v1/imports (refused files and dry runs included): who
(the key and its agency), when, the file's name, size and SHA-256, the record type, the
outcome, the counts and each spreadsheet row's result (JSON). The records themselves go to
their own tables through the push services; nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = "b8c9d0e1f2a3"
down_revision: str | None = "a7b8c9d0e1f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "spreadsheet_import",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("uploaded_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_key_id", sa.BigInteger(), nullable=True),
        sa.Column("agency_code", sa.String(length=80), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spreadsheet_import")),
    )
    with op.batch_alter_table("spreadsheet_import", schema=None) as batch_op:
        batch_op.create_index(
            "ix_spreadsheet_import_agency_id", ["agency_code", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_spreadsheet_import_file_sha256"), ["file_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("spreadsheet_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spreadsheet_import_file_sha256"))
        batch_op.drop_index("ix_spreadsheet_import_agency_id")
    op.drop_table("spreadsheet_import")
