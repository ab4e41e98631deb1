"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Integer primary keys: BIGINT on PostgreSQL, INTEGER on SQLite (where only INTEGER
# PRIMARY KEY is an alias of the rowid and auto-increments).
# Ids in the contract stay within what every JSON client reads exactly (2**53 - 1).
MAX_ID = 2**53 - 1
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: stored in UTC, always returned timezone-aware.

    SQLite has no time zones; without this a value read back would be naive and
    compare wrongly with aware values.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for an instant column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TagList(TypeDecorator[list[str]]):
    """A short list of enumeration codes stored as ``,a,b,`` text.

    ``LIKE '%,code,%'`` then filters by one code on both databases, with no JSON
    operators that differ between them.
    """

    impl = sa.String(1000)
    cache_ok = True

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        # A LIKE pattern compared with the column is plain text, not a list to encode.
        return sa.String() if isinstance(value, str) else self

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        items = sorted({str(getattr(v, "value", v)) for v in (value or [])})
        return "," + ",".join(items) + "," if items else ""

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str]:
        if not value:
            return []
        return [item for item in value.split(",") if item]


def tag_pattern(code: str) -> str:
    """LIKE pattern matching a TagList column that holds ``code``."""
    return f"%,{code},%"


def utcnow() -> datetime:
    return datetime.now(UTC)
