"""Bulk loading with psycopg COPY, and the database's life cycle (create, migrate, seed).

Rows are written straight into the service's tables: ids are allocated here (so that
rows can refer to each other) and the sequences are moved past them afterwards.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Json
from sqlalchemy.engine import make_url

from app.core.text import fold

TAGS_EMPTY = ""


def conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (``postgresql+psycopg://`` -> ``postgresql://``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"the benchmark needs PostgreSQL, not {parsed.get_backend_name()}")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def database_name(url: str) -> str:
    name = make_url(url).database
    if not name:
        raise SystemExit("the database URL names no database")
    return name


def recreate_database(url: str) -> None:
    """Drop and create the database the URL names (connecting to ``postgres``)."""
    name = database_name(url)
    if name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to drop {name}")
    admin = make_url(url).set(database="postgres")
    with psycopg.connect(
        conninfo(admin.render_as_string(hide_password=False)), autocommit=True
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def migrate_and_seed(url: str) -> str:
    """``alembic upgrade head`` then ``nq57 seed``, in process, on ``url``."""
    from alembic import command
    from sqlmodel import Session

    from app.cli import alembic_config
    from app.core.db import create_db_engine
    from app.listeners import register_listeners
    from app.seed.loader import seed

    register_listeners()  # the seed's rows get their search text and tallies
    engine = create_db_engine(url)
    try:
        config = alembic_config()
        config.attributes["configure_logger"] = False
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with Session(engine) as session:
            return str(seed(session))
    finally:
        engine.dispose()


def tags(values: Iterable[str]) -> str:
    """A TagList column's text: ``,a,b,`` (sorted, unique) or empty."""
    items = sorted(set(values))
    return "," + ",".join(items) + "," if items else TAGS_EMPTY


_FOLDED: dict[str, str] = {}


def folded(text: str) -> str:
    """app.core.text.fold, memoised: titles repeat a great deal."""
    value = _FOLDED.get(text)
    if value is None:
        value = fold(text)
        if len(_FOLDED) < 500_000:
            _FOLDED[text] = value
    return value


def search_text_of(*parts: str | None) -> str:
    """app.core.text.search_text with memoised folding (same result)."""
    return " | ".join(folded(part) for part in parts if part)


def search_row_text(model: Any, values: dict[str, Any]) -> str:
    """``search_text`` of a row as the service computes it from ``__search_fields__``."""
    parts = []
    for name in getattr(model, "__search_fields__", ()):
        value = values.get(name)
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value)
        parts.append(None if value is None else str(value))
    return search_text_of(*parts)


class Loader:
    """One connection that COPYs rows, with the time each table took."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        row = self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
        return int(row[0]) if row else 1

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        started = time.perf_counter()
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        with self.conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - started
        self.rows[table] = self.rows.get(table, 0) + count
        return count

    def copy_dicts(self, table: str, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        columns = list(rows[0])
        return self.copy(
            table,
            columns,
            ([Json(v) if isinstance(v, dict | list) else v for v in r.values()] for r in rows),
        )

    def fix_sequence(self, table: str) -> None:
        self.conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


@contextmanager
def without_secondary_indexes(conn: psycopg.Connection, table: str) -> Iterator[list[str]]:
    """Drop a table's unique constraints and secondary indexes for a bulk load, and put
    back exactly the same definitions (read from the catalogue) afterwards."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        (table,),
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        (table,),
    ).fetchall()
    for name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    try:
        yield [name for name, _ in [*constraints, *indexes]]
    finally:
        for _, definition in indexes:
            conn.execute(definition)
        for name, definition in constraints:
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def slug(text: str) -> str:
    return "-".join(fold(text).split())


def count_tallies(url: str) -> int:
    """Count the status tallies of the loaded records (app/status/tallies.py): the
    seed registered its filters over empty tables, and COPY passes no ORM hook."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from app.core.db import create_db_engine, without_statement_timeout
    from app.status import tallies

    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            without_statement_timeout(session)
            session.execute(sa.text("DELETE FROM record_tally"))
            session.execute(sa.text("DELETE FROM tally_filter"))
            added = tallies.sync_filters(session)
            session.commit()
        return added
    finally:
        engine.dispose()
