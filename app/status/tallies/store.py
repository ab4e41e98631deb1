"""The ``record_tally`` table: the buckets a local day counts in, and adding a change."""

from collections import Counter
from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

TALLY_TABLE: sa.Table = SQLModel.metadata.tables["record_tally"]
TallyKey = tuple[int, str, str]  # filter id, agency code, bucket
Delta = Counter[TallyKey]


def buckets_of(day: date) -> tuple[str, str, str]:
    """The buckets a local day counts in: its year, its month and itself."""
    return f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()


def apply_delta(connection: Connection, delta: Mapping[TallyKey, int]) -> None:
    """Add ``delta`` to the tallies in one statement, rows in key order so that two
    transactions touching the same tallies take their locks in the same order. A batch
    spread over the year changes thousands of tallies: on PostgreSQL they go as four
    arrays, without a dict per row (a batch's peak of Python objects is here)."""
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    if connection.dialect.name == "postgresql":
        statement = sa.text(
            "INSERT INTO record_tally (filter_id, agency_code, bucket, n) "
            "SELECT * FROM unnest(CAST(:f AS bigint[]), CAST(:a AS varchar[]), "
            "CAST(:b AS varchar[]), CAST(:n AS integer[])) "
            "ON CONFLICT (filter_id, agency_code, bucket) "
            "DO UPDATE SET n = record_tally.n + excluded.n"
        )
        connection.execute(
            statement,
            {
                "f": [key[0] for key, _ in changes],
                "a": [key[1] for key, _ in changes],
                "b": [key[2] for key, _ in changes],
                "n": [n for _, n in changes],
            },
        )
        return
    insert = sqlite.insert(TALLY_TABLE)
    upsert = insert.on_conflict_do_update(
        index_elements=["filter_id", "agency_code", "bucket"],
        set_={"n": TALLY_TABLE.c.n + insert.excluded.n},
    )
    rows = [
        {"filter_id": fid, "agency_code": agency, "bucket": bucket, "n": n}
        for (fid, agency, bucket), n in changes
    ]
    connection.execute(upsert, rows)
