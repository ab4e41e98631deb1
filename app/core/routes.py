"""What the routes of one kind share (route options, parameters, answers), so that a route
states only what is its own. The item routes of a resource (create or push, get, PATCH,
DELETE) are written once in ``app.core.item_routes`` with these; a route written by hand
(a list, a report, an export) uses them directly:

- route options per kind, spread after what is the route's own::

      @router.get("", response_model=XPage, summary="List xs", **LIST)
      @router.get("/{x_id}/members", response_model=YPage, summary="List the ys of an x", **LIST)

- answers: ``tagged(response, row, read)`` (with the row's ETag) and ``no_content()``;
- parameters: an id in the path is ``XId = Annotated[int, id_path("The x's id.")]``, an id
  in the query ``Annotated[int | None, id_query("Xs of this y.")] = None``, and the values
  of a list of enum filters go to the service as ``values(kind)``.
"""

from collections.abc import Iterable
from enum import Enum
from typing import Any, Final, TypeVar

from fastapi import Path, Query, Response, status

from app.core.concurrency import Versioned, set_etag
from app.core.errors import READ_ERRORS, WRITE_ERRORS
from app.core.types import MAX_ID

T = TypeVar("T")


# A list or a read answers the read errors; an update the write errors (412 included).
LIST: Final[dict[str, Any]] = {"responses": READ_ERRORS}
READ: Final[dict[str, Any]] = {"responses": READ_ERRORS}
UPDATE: Final[dict[str, Any]] = {"responses": WRITE_ERRORS}


def id_path(description: str) -> Any:
    """A record's id in the path: a positive integer the database can hold."""
    return Path(ge=1, le=MAX_ID, description=description)


def id_query(description: str) -> Any:
    """A filter on the id of another record: a positive integer the database can hold."""
    return Query(ge=1, le=MAX_ID, description=description)


def values(members: Iterable[Enum] | None) -> list[Any] | None:
    """The values of the enum members a list filter was given; None when it was not."""
    return [m.value for m in members] if members else None


# Route arguments of a creation (201) and of a deletion (204) with the usual write errors.
CREATED: Final[dict[str, Any]] = {
    "status_code": status.HTTP_201_CREATED,
    "responses": WRITE_ERRORS,
}
DELETED: Final[dict[str, Any]] = {
    "status_code": status.HTTP_204_NO_CONTENT,
    "responses": WRITE_ERRORS,
}


def tagged(response: Response, row: Versioned, read: T, *, location: str | None = None) -> T:
    """``read``, the answer about ``row``, with ``row``'s ETag and, for a new row, where it
    lives (``location``)."""
    set_etag(response, row)
    if location is not None:
        response.headers["Location"] = location
    return read


def no_content() -> Response:
    """The answer of a deletion."""
    return Response(status_code=status.HTTP_204_NO_CONTENT)
