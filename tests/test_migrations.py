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
