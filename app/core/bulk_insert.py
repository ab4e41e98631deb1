"""Inserting thousands of rows in one statement.

``insert_rows``: on PostgreSQL the rows travel as one array per column and are spread
back into rows with ``unnest``: a single round trip (a multi-row VALUES statement of the
same rows is slower to build than to run). Other databases use SQLAlchemy's executemany.

For the largest batches, PostgreSQL has cheaper still: ``copy_rows`` (COPY, formatted by
psycopg in C; dumping Python lists into arrays escapes every element in Python) and
``staging_table``, a temporary table to COPY into and then ``INSERT … SELECT`` from when
the rows need ``ON CONFLICT`` or ``RETURNING``.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
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


def row_encoder(table: sa.Table, names: list[str], dialect: Any) -> Any:
    """A function turning a row's values (a dict) into the sequence COPY writes: each
    column's bind processing (tag lists, instants) and JSON as text, as an INSERT would
    store them."""
    steps: list[tuple[int, Any]] = []
    for position, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, sa.JSON):
            steps.append((position, _json_text))
        elif (process := column_type.bind_processor(dialect)) is not None:
            steps.append((position, process))

    def encode(row: dict[str, Any]) -> list[Any]:
        values = [row[name] for name in names]
        for position, process in steps:
            values[position] = process(values[position])
        return values

    return encode


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def copy_rows(
    connection: Connection, table: sa.Table | str, names: list[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL only: ``COPY`` the rows (tuples in the order of ``names``) into ``table``
    in the connection's transaction. psycopg formats COPY rows in C, far cheaper than
    binding the same values as parameters."""
    prepare = connection.dialect.identifier_preparer
    target = prepare.format_table(table) if isinstance(table, sa.Table) else prepare.quote(table)
    columns = ", ".join(prepare.quote(name) for name in names)
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def staging_table(connection: Connection, table: sa.Table, names: list[str]) -> str:
    """PostgreSQL only: an empty temporary table with these columns of ``table`` and an
    ``ord`` column (the rows' order), private to the connection and emptied at commit.
    It is made once per connection (per column list), not per batch: creating tables
    churns the catalogue."""
    signature = hashlib.sha1(",".join(names).encode()).hexdigest()[:10]
    name = f"nq57_stage_{table.name}_{signature}"
    prepare = connection.dialect.identifier_preparer
    columns = ", ".join(prepare.quote(n) for n in names)
    # One round trip (no parameters: psycopg sends both statements at once). Emptied at
    # each commit or rollback; the DELETE is for a second use in the same transaction.
    with connection.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ON COMMIT DELETE ROWS AS "
            f"SELECT {columns}, 0::integer AS ord FROM {prepare.format_table(table)} "
            f"WITH NO DATA; DELETE FROM {name}"
        )
    return name
