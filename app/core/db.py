"""Engine and session: one engine per database URL, a session per request."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import db_deadline
from app.core.config import get_settings

READ_ONLY_OPTION = "nq57_read_only"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily and ignores SAVEPOINT semantics; take over
    # BEGIN ourselves (SQLAlchemy's documented recipe) and enforce foreign keys.
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A transaction that may write takes the write lock up front (IMMEDIATE): services
        # read before they write, and a deferred transaction that later needs to write
        # fails at once with "database is locked" instead of waiting its turn
        # (busy_timeout). Reads (GET) stay deferred so they never wait for a writer.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_db_engine(url: str) -> Engine:
    settings = get_settings()
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    engine = sa.create_engine(
        url,
        pool_pre_ping=True,
        # The most recently used connection first: it has prepared the statements the
        # service repeats (psycopg prepares a statement on its fifth run), and the others
        # stay idle until load needs them.
        pool_use_lifo=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        # Waiting for a free connection is bounded like every other wait of a request.
        pool_timeout=settings.request_timeout_seconds,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            # JIT compiling a query whose estimate crosses jit_above_cost costs more than it
            # saves on the service's short queries (status, lists).
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c jit=off",
        },
    )

    @sa.event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        # Connections whose waits end at the request's deadline (app/core/db_deadline.py).
        return db_deadline.connect(*cargs, **cparams)

    return engine


def without_statement_timeout(session: Session) -> None:
    """Lift the statement timeout for the rest of this transaction (PostgreSQL), for
    maintenance that reads whole tables: counting tallies, cleanups at national scale."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL statement_timeout = 0"))


def without_parallel_plans(session: Session) -> None:
    """No parallel workers for the rest of this transaction (PostgreSQL), for requests made
    of short queries: starting workers for a short query (status reading a province's
    tallies) costs more than they save, and on a small machine takes the cores other
    requests are using."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))


@lru_cache
def get_engine() -> Engine:
    return create_db_engine(get_settings().database_url)


def writing_session() -> Iterator[Session]:
    """A session outside a route, e.g. for middleware; it may write."""
    db_deadline.start_budget()
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: it commits once, when the route has returned; an error the
    route raises rolls everything back. Services flush, never commit."""
    # The request's time for the database runs from here (its body has been read).
    db_deadline.start_budget()
    with Session(get_engine(), expire_on_commit=False) as session:
        if request.method in SAFE_METHODS:
            session.connection(execution_options={READ_ONLY_OPTION: True})
        yield session
        session.commit()


# scope="function": the commit runs when the route returns, before the answer is sent, so
# that a commit that fails is answered as a problem and never as a success.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
