"""provinces side by side: an agency's and a plan's province; Plan 209's period start

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-12-04 19:00:00

`agency.province_code` and `plan.province_code` (a slug such as `cao-bang`; NULL for a
national body or a national plan): a group's kinds select the agencies of its plan's
province. Existing rows are those of one province's install: where the seed plan
`kh-209-2026` is present, its agencies (all but central bodies) and the plan are Cao
Bằng's. Plan 209's period starts on 01/01/2026, not on its issue date (27/01/2026): the
seed wrote the issue date as `start_on`, so a plan still carrying it is moved (the downgrade
leaves that correction of data in place).
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "d0e1f2a3b4c5"
down_revision: str | None = "c9d0e1f2a3b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED_PLAN = "kh-209-2026"
SEED_PROVINCE = "cao-bang"


def upgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_code", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_agency_province_code"), ["province_code"])
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_code", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_plan_province_code"), ["province_code"])
    _fill()


def _fill() -> None:
    bind = op.get_bind()
    seeded = bind.execute(
        sa.text("SELECT 1 FROM plan WHERE code = :code"), {"code": SEED_PLAN}
    ).first()
    if seeded is None:
        return
    params = {"province": SEED_PROVINCE, "code": SEED_PLAN}
    bind.execute(
        sa.text(
            "UPDATE agency SET province_code = :province "
            "WHERE province_code IS NULL AND kind <> 'central_body'"
        ),
        params,
    )
    bind.execute(
        sa.text(
            "UPDATE plan SET province_code = :province WHERE code = :code "
            "AND province_code IS NULL"
        ),
        params,
    )
    moved = sa.text(
        "UPDATE plan SET start_on = :start WHERE code = :code AND start_on = :issued "
        "AND issued_on = :issued"
    ).bindparams(sa.bindparam("start", type_=sa.Date), sa.bindparam("issued", type_=sa.Date))
    bind.execute(moved, {**params, "start": date(2026, 1, 1), "issued": date(2026, 1, 27)})


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 and later too): rebuilding `agency` or `plan`, as batch
    # mode would on SQLite, fails on the rows that reference them and drops the triggers.
    for table in ("plan", "agency"):
        op.drop_index(op.f(f"ix_{table}_province_code"), table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN province_code")
