"""Inserting thousands of rows in one statement.

On PostgreSQL the rows travel as one array per column and are spread back into rows
with ``unnest``: a single round trip whose parameters psycopg converts quickly (a
multi-row VALUES statement of the same rows is slower to build than to run). Other
databases use SQLAlchemy's executemany.
"""

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection


def insert_rows(
    connection: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    *,
    returning: list[str],
    skip_conflicts_on: list[str] | None = None,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (all with the same keys) and return the ``returning`` columns of
    the rows inserted; with ``skip_conflicts_on``, rows whose unique key exists already
    are skipped (ON CONFLICT DO NOTHING) and not returned."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        return _insert_unnest(connection, table, rows, returning, skip_conflicts_on)
    statement: Any = sqlite.insert(table) if connection.dialect.name == "sqlite" else table.insert()
    if skip_conflicts_on:
        statement = statement.on_conflict_do_nothing(index_elements=skip_conflicts_on)
    statement = statement.returning(*(table.c[name] for name in returning))
    return [tuple(row) for row in connection.execute(statement, rows)]


def _insert_unnest(
    connection: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    returning: list[str],
    skip_conflicts_on: list[str] | None,
) -> list[tuple[Any, ...]]:
    dialect = connection.dialect
    names = list(rows[0])
    arrays: dict[str, list[Any]] = {}
    casts = []
    for position, name in enumerate(names):
        column = table.c[name]
        values = [row[name] for row in rows]
        if isinstance(column.type, sa.JSON):
            # Sent as text and cast: psycopg adapts JSON values one by one, not in arrays.
            arrays[f"p{position}"] = [None if v is None else json.dumps(v) for v in values]
        else:
            process = column.type.bind_processor(dialect)
            arrays[f"p{position}"] = [process(v) for v in values] if process else values
        casts.append(f"CAST(:p{position} AS {column.type.compile(dialect=dialect)}[])")
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({quoted}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
    )
    if skip_conflicts_on:
        sql += f" ON CONFLICT ({', '.join(skip_conflicts_on)}) DO NOTHING"
    sql += f" RETURNING {', '.join(returning)}"
    return [tuple(row) for row in connection.execute(sa.text(sql), arrays)]
