"""plan duties (section V), funding sources, the plan's document and reporting cycle

Revision ID: e1f2a3b4c5d6
Revises: d0e1f2a3b4c5
Create Date: 2026-12-04 19:30:00

* ``duty``, ``duty_party``, ``duty_progress``: the assignments of section V ("Tổ chức
  thực hiện") with their owners and progress, like the appendix"s tasks.
* ``plan_section``: the plan"s own text as headings and paragraphs (``nq57 seed`` loads
  kh-209-2026"s from the shipped text).
* ``budget_line``: a funding source (existing lines: ``provincial_budget``) and a line for
  a duty instead of a task (exactly one of ``task_id`` and ``duty_id``); one line per
  (task or duty, agency, year, funding source).
* ``plan.report_cycle``: the periodic reports the plan asks for (existing plans: the
  service"s default, quarter, half-year and year).

Downgrading drops the duties" budget lines (the old table has no room for them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = "e1f2a3b4c5d6"
down_revision: str | None = "d0e1f2a3b4c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DEFAULT_CYCLE = '["quarter", "half_year", "year"]'


def upgrade() -> None:
    op.create_table(
        "duty",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coordinating_text", sa.Text(), nullable=True),
        sa.Column("schedule_kind", sa.String(length=40), nullable=False),
        sa.Column("schedule_years", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_duty_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_duty_plan_id_code")),
    )
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_section",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_section_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_section")),
        sa.UniqueConstraint("plan_id", "position", name=op.f("uq_plan_section_plan_id_position")),
    )
    with op.batch_alter_table("plan_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_section_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "duty_party",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("duty_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("agency_code", sa.String(length=80), nullable=True),
        sa.Column("group_code", sa.String(length=80), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(agency_code IS NULL) <> (group_code IS NULL)",
            name=op.f("ck_duty_party_agency_xor_group"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agency.code"],
            name=op.f("fk_duty_party_agency_code_agency"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["duty.id"], name=op.f("fk_duty_party_duty_id_duty"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["agency_group.code"],
            name=op.f("fk_duty_party_group_code_agency_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_party")),
    )
    with op.batch_alter_table("duty_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_party_duty_id"), ["duty_id"], unique=False)

    op.create_table(
        "duty_progress",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("duty_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_code", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agency.code"],
            name=op.f("fk_duty_progress_agency_code_agency"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["duty.id"], name=op.f("fk_duty_progress_duty_id_duty"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_progress")),
        sa.UniqueConstraint(
            "duty_id",
            "agency_code",
            "period",
            name=op.f("uq_duty_progress_duty_id_agency_code_period"),
        ),
    )
    with op.batch_alter_table("duty_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duty_progress_agency_code"), ["agency_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_duty_progress_duty_id"), ["duty_id"], unique=False)

    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "duty_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "funding_source",
                sa.String(length=40),
                nullable=False,
                server_default="provincial_budget",
            )
        )
        batch_op.alter_column("task_id", existing_type=BIG_ID, nullable=True)
        batch_op.drop_constraint(
            batch_op.f("uq_budget_line_task_id_agency_code_year"), type_="unique"
        )
        batch_op.create_index(batch_op.f("ix_budget_line_duty_id"), ["duty_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_budget_line_duty_id_agency_code_year_funding_source"),
            ["duty_id", "agency_code", "year", "funding_source"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_budget_line_task_id_agency_code_year_funding_source"),
            ["task_id", "agency_code", "year", "funding_source"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_budget_line_duty_id_duty"),
            "duty",
            ["duty_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint("task_xor_duty", "(task_id IS NULL) <> (duty_id IS NULL)")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.alter_column("funding_source", server_default=None)

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("report_cycle", sa.JSON(), nullable=False, server_default=DEFAULT_CYCLE)
        )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.alter_column("report_cycle", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("report_cycle")

    op.execute("DELETE FROM budget_line WHERE duty_id IS NOT NULL")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_budget_line_task_xor_duty"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_budget_line_duty_id_duty"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("uq_budget_line_task_id_agency_code_year_funding_source"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_budget_line_duty_id_agency_code_year_funding_source"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_budget_line_duty_id"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_budget_line_task_id_agency_code_year"),
            ["task_id", "agency_code", "year"],
        )
        batch_op.alter_column("task_id", existing_type=BIG_ID, nullable=False)
        batch_op.drop_column("funding_source")
        batch_op.drop_column("duty_id")

    with op.batch_alter_table("duty_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_progress_duty_id"))
        batch_op.drop_index(batch_op.f("ix_duty_progress_agency_code"))

    op.drop_table("duty_progress")
    with op.batch_alter_table("duty_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_party_duty_id"))

    op.drop_table("duty_party")
    with op.batch_alter_table("plan_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_section_plan_id"))

    op.drop_table("plan_section")
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_plan_id"))

    op.drop_table("duty")
