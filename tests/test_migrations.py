"""Migrations: upgrade -> downgrade -> upgrade on a scratch database, and no drift."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine, make_url

from app.core.db import create_db_engine
from app.models import metadata
from tests.conftest import TEST_DATABASE_URL, migrate, reset_database


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    url = make_url(TEST_DATABASE_URL)
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_migrations"
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine = create_db_engine(url.set(database=name).render_as_string(hide_password=False))
        yield engine
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    else:
        engine = create_db_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(scratch_engine: Engine) -> None:
    reset_database(scratch_engine)
    migrate(scratch_engine)
    assert _tables(scratch_engine) == set(metadata.tables)
    migrate(scratch_engine, "base", down=True)
    assert _tables(scratch_engine) == set()
    migrate(scratch_engine)
    assert _tables(scratch_engine) == set(metadata.tables)


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_alembic_check_command(engine: Engine) -> None:
    from app.cli import alembic_config

    config = alembic_config()
    config.attributes["configure_logger"] = False
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.check(config)


def _triggers(engine: Engine) -> set[str]:
    query = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if engine.dialect.name == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with engine.connect() as conn:
        return {row[0] for row in conn.exec_driver_sql(query)}


def test_owner_in_natural_key_keeps_rows_and_triggers(scratch_engine: Engine) -> None:
    """a7b8c9d0e1f2: a stored airing survives, a second agency may reuse its pair, and the
    data-version triggers of the rebuilt tables (SQLite) are still there."""
    reset_database(scratch_engine)
    migrate(scratch_engine, "f6a7b8c9d0e1")
    triggers_before = _triggers(scratch_engine)
    assert any("channel" in name for name in triggers_before)
    airing = (
        "INSERT INTO broadcast (agency_code, title, origin, started_at, duration_seconds, "
        "language, topics, source, external_id, search_text, version, created_at, updated_at) "
        "VALUES (:agency, 'Bản tin', 'local', '2026-03-14 10:30:00', 600, 'vi', '[]', 'loa', '7', "
        "'', 1, '2026-03-14 10:30:00', '2026-03-14 10:30:00')"
    )
    agency = (
        "INSERT INTO agency (code, name, kind, search_text, version, created_at, updated_at) "
        "VALUES (:code, :code, 'commune', '', 1, '2026-01-01', '2026-01-01')"
    )
    with scratch_engine.begin() as conn:
        for code in ("xa-a", "xa-b"):
            conn.execute(sa.text(agency), {"code": code})
        conn.execute(sa.text(airing), {"agency": "xa-a"})
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.execute(sa.text(airing), {"agency": "xa-b"})
    migrate(scratch_engine)
    assert _triggers(scratch_engine) == triggers_before
    with scratch_engine.begin() as conn:
        conn.execute(sa.text(airing), {"agency": "xa-b"})
        rows = conn.execute(sa.text("SELECT agency_code FROM broadcast ORDER BY id")).all()
        assert [row[0] for row in rows] == ["xa-a", "xa-b"]
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.execute(sa.text(airing), {"agency": "xa-b"})


def test_provinces_fill_an_installs_rows_and_move_plan_209s_start(scratch_engine: Engine) -> None:
    """d0e1f2a3b4c5: an install holding the seed plan is Cao Bằng's: its agencies (not a
    central body) and the plan get the province; the plan's period starts on 01/01/2026.
    The downgrade keeps the data-version triggers of the rebuilt agency table."""
    reset_database(scratch_engine)
    migrate(scratch_engine, "c9d0e1f2a3b4")
    triggers_before = _triggers(scratch_engine)
    agency = (
        "INSERT INTO agency (code, name, kind, search_text, version, created_at, updated_at) "
        "VALUES (:code, :code, :kind, '', 1, '2026-01-01', '2026-01-01')"
    )
    plan = (
        "INSERT INTO plan (code, document_number, title, issued_on, issuer_code, "
        "coordinator_code, start_on, end_on, implements, on_topic_topics, "
        "report_deadline_working_days, search_text, version, created_at, updated_at) "
        "VALUES ('kh-209-2026', '209/KH-UBND', 'KH 209', '2026-01-27', 'ubnd-tinh', "
        "'so-vhttdl', '2026-01-27', '2030-12-31', '[]', '', 5, '', 1, '2026-01-27', "
        "'2026-01-27')"
    )
    with scratch_engine.begin() as conn:
        for code, kind in (
            ("ubnd-tinh", "provincial_committee"),
            ("so-vhttdl", "department"),
            ("bo-vhttdl", "central_body"),
        ):
            conn.execute(sa.text(agency), {"code": code, "kind": kind})
        conn.execute(sa.text(plan))
    migrate(scratch_engine)
    with scratch_engine.begin() as conn:
        provinces = dict(conn.execute(sa.text("SELECT code, province_code FROM agency")).all())
        row = conn.execute(sa.text("SELECT province_code, start_on FROM plan")).one()
    assert provinces == {"ubnd-tinh": "cao-bang", "so-vhttdl": "cao-bang", "bo-vhttdl": None}
    assert (row[0], str(row[1])) == ("cao-bang", "2026-01-01")
    migrate(scratch_engine, "c9d0e1f2a3b4", down=True)
    assert _triggers(scratch_engine) == triggers_before
