"""Keyset (cursor) pagination on the primary key.

Lists are ordered by ``id``; the cursor carries the last id served. A row inserted
while a client pages gets a larger id, so it is never served twice and no row that
existed is skipped.
"""

import base64
import binascii
import json
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.errors import InvalidInput

MAX_LIMIT = 500
RowT = TypeVar("RowT")


class PageParams(BaseModel):
    limit: int
    after_id: int | None


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = data["after"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error) as exc:
        raise InvalidInput(
            "The cursor is not one this service issued; start again without it.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "cursor"}],
        ) from exc


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")
    ] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="Opaque cursor from `next_cursor` of the previous page."),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, after_id=decode_cursor(cursor) if cursor else None)


PageDep = Annotated[PageParams, Depends(page_params)]


def paginate(
    session: Session,
    statement: SelectOfScalar[Any],
    id_column: Any,
    page: PageParams,
    *,
    ids_first: bool = False,
) -> tuple[list[Any], str | None]:
    """Run ``statement`` for one page; returns the rows and the next cursor.

    ``ids_first`` finds the page's ids with the filters alone, then fetches those rows
    by primary key. Use it when an index carries every column the filters test (an
    INCLUDE index): PostgreSQL then tests them on index entries (index-only scan) and
    reads the heap for the page's rows only, instead of for every row it rejects. A rare
    filter on a big agency would otherwise read one cold heap block per rejected row.
    """
    if page.after_id is not None:
        statement = statement.where(id_column > page.after_id)
    if ids_first:
        # A LIMIT inside IN is not flattened by the planner: the ids are found first.
        ids = statement.with_only_columns(id_column).order_by(id_column).limit(page.limit + 1)
        entity = statement.column_descriptions[0]["entity"]
        statement = select(entity).where(id_column.in_(ids))
    rows = list(session.exec(statement.order_by(id_column).limit(page.limit + 1)).all())
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        return rows, encode_cursor(rows[-1].id)
    return rows, None


__all__ = ["PageDep", "PageParams", "paginate", "select"]
