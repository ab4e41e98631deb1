"""A database of its own for a test module that drives the whole app: recreated (on
PostgreSQL ``<test database>_<suffix>``, on SQLite a file in a new temporary folder),
migrated and seeded as ``make run`` does."""

import tempfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from app.core.db import create_db_engine
from app.seed.loader import seed
from tests.conftest import TEST_DATABASE_URL, migrate, reset_database


def _recreated_url(suffix: str) -> str:
    url = make_url(TEST_DATABASE_URL)
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_{suffix}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return url.set(database=name).render_as_string(hide_password=False)
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix=f'nq57-{suffix}-')) / f'{suffix}.db'}"


def fresh_seeded_engine(suffix: str) -> Engine:
    engine = create_db_engine(_recreated_url(suffix))
    reset_database(engine)
    migrate(engine)
    with Session(engine) as session:
        seed(session)
    return engine
