"""Test harness: a real database built by ``alembic upgrade head``, seeded once, and each
test in a transaction rolled back at its end; requests go through the app over HTTP.

``NQ57_TEST_DATABASE_URL`` picks the database (default: a SQLite file in a temp folder);
CI runs the suite once on SQLite and once on PostgreSQL.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

ADMIN_KEY = "test-admin-key-0123456789abcdef"
_tmp = Path(tempfile.mkdtemp(prefix="nq57-test-"))
TEST_DATABASE_URL = os.environ.get("NQ57_TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"

os.environ["NQ57_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["NQ57_ADMIN_API_KEY"] = ADMIN_KEY
os.environ.setdefault("NQ57_PUBLIC_READ", "true")
# Requests in the suite share two cores with the rest of the run; the bound itself is
# tested by tests/integration/test_database_crash.py with a value of its own.
os.environ.setdefault("NQ57_REQUEST_TIMEOUT_SECONDS", "120")

from alembic import command  # noqa: E402

from app.cli import alembic_config  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import create_db_engine, get_session  # noqa: E402
from app.listeners import register_listeners  # noqa: E402
from app.main import create_app  # noqa: E402
from app.seed.loader import seed  # noqa: E402

# What create_app() and the CLI do at startup, for tests that use sessions without either.
register_listeners()

get_settings.cache_clear()


def reset_database(engine: Engine) -> None:
    """Drop everything, so that the schema is built by the migrations alone."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            meta.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def migrate(engine: Engine, revision: str = "head", *, down: bool = False) -> None:
    config = alembic_config()
    config.attributes["configure_logger"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if down:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    engine = create_db_engine(TEST_DATABASE_URL)
    reset_database(engine)
    migrate(engine)
    with Session(engine) as session:
        seed(session)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(session: Session):  # type: ignore[no-untyped-def]
    application = create_app()

    def _session_override() -> Iterator[Session]:
        try:
            yield session
            session.commit()  # as get_session does when the route has returned
        finally:
            # As a request's own session would on close: drop what was not committed.
            session.rollback()

    application.dependency_overrides[get_session] = _session_override
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_KEY}"}
