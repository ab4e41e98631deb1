"""Optimistic concurrency: ETags from a row's version, checked against If-Match."""

from typing import Annotated, Protocol

from fastapi import Header, Response

from app.core.errors import PreconditionFailed


class Versioned(Protocol):
    id: int | None
    version: int


def etag_of(row: Versioned) -> str:
    return f'"{row.id}-{row.version}"'


def set_etag(response: Response, row: Versioned) -> None:
    response.headers["ETag"] = etag_of(row)


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        # No example: Swagger UI would pre-fill it, and a fixed one is stale (412).
        description="The ETag from the last GET of this resource, quotes included "
        '(`"<id>-<version>"`), or `*`; without it the write is not checked. A stale one is '
        "refused with 412.",
    ),
]


def check_if_match(if_match: str | None, row: Versioned) -> None:
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag_of(row) not in candidates:
        raise PreconditionFailed(
            f"The resource changed (its ETag is now {etag_of(row)}); fetch it again."
        )
