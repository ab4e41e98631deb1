"""Filters shared by the list endpoints."""

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Annotated, Any, Protocol, Self, TypeVar

import sqlalchemy as sa
from fastapi import Query
from pydantic import BeforeValidator
from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql

from app.core.errors import InvalidInput
from app.core.local_time import LOCAL_TZ
from app.core.schemas import iso_temporal
from app.core.text import fold, like_pattern
from app.core.types import tag_pattern

Filters = TypeVar("Filters")
# A list route's filters: a model whose fields are its query parameters (FastAPI's query
# parameter models), declared once for the route and the service, e.g.
# ``filters: QueryModel[ChannelFilters]``.
QueryModel = Annotated[Filters, Query()]

SearchQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Text search that ignores case and Vietnamese diacritics: "
        "`chuyen doi so` finds `Chuyển đổi số`.",
        examples=["chuyen doi so"],
    ),
]
IsoDate = Annotated[date, BeforeValidator(iso_temporal)]
FromDate = Annotated[
    IsoDate | None,
    Query(alias="from", description="First day (local time, Asia/Ho_Chi_Minh), inclusive."),
]
ToDate = Annotated[
    IsoDate | None,
    Query(alias="to", description="Last day (local time, Asia/Ho_Chi_Minh), inclusive."),
]
AgencyFilter = Annotated[
    str | None,
    Query(max_length=80, description="Agency code, e.g. `xa-bao-lam`.", examples=["xa-bao-lam"]),
]


def search_clause(column: Any, q: str | None) -> ColumnElement[bool] | None:
    if q is None or not fold(q):
        return None
    clause: ColumnElement[bool] = column.like(like_pattern(q), escape="\\")
    return clause


class Filterable(Protocol):
    def where(self, *whereclause: Any) -> Self: ...


F = TypeVar("F", bound=Filterable)


def searched(statement: F, column: Any, q: str | None) -> F:
    """``statement`` keeping the rows whose ``column`` (a search text) matches ``q``;
    unchanged when there is nothing to search for."""
    clause = search_clause(column, q)
    return statement if clause is None else statement.where(clause)


def one_of(dialect: str, column: Any, codes: Sequence[str]) -> ColumnElement[bool]:
    """``column IN codes``. On PostgreSQL the codes travel as one array (``= ANY``): a
    province's few hundred agency codes as separate parameters cost more to render and
    bind than the query takes to run."""
    if dialect == "postgresql":
        array = sa.bindparam("codes", list(codes), type_=postgresql.ARRAY(sa.String()), unique=True)
        return column == sa.any_(array)  # type: ignore[no-any-return]
    return column.in_(list(codes))  # type: ignore[no-any-return]


def has_tag(column: Any, code: str) -> ColumnElement[bool]:
    clause: ColumnElement[bool] = column.like(tag_pattern(code))
    return clause


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidInput(
            "`from` is after `to`.",
            errors=[
                {"loc": ["query", "from"], "msg": "from must not be after to", "type": "range"}
            ],
        )


def instant_range(column: Any, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """Clauses keeping instants whose local-time day lies in [start, end]."""
    check_range(start, end)
    clauses = []
    if start is not None:
        clauses.append(column >= local_day_start(start))
    if end is not None:
        clauses.append(column < local_day_start(date.fromordinal(end.toordinal() + 1)))
    return clauses
