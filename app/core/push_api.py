"""The HTTP side of pushing: the single push's answer and the batch endpoints' shapes."""

from typing import Any

from fastapi import Response, status

from app.core.concurrency import Versioned, set_etag
from app.core.errors import WRITE_ERRORS
from app.core.push import PUSH_OUTCOME_HEADER, PushOutcome

_PUSH_HEADERS = {
    PUSH_OUTCOME_HEADER: {
        "description": "`created`, `updated` or `unchanged`.",
        "schema": {"type": "string", "enum": [o.value for o in PushOutcome]},
    },
    "ETag": {"description": "The record's version, for If-Match.", "schema": {"type": "string"}},
}


def push_responses(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    """The contract of a single push POST: 201 when created, 200 when the key was known."""
    return {
        201: {"description": "Created (`Push-Outcome: created`).", "headers": _PUSH_HEADERS},
        200: {
            "model": model,
            "description": "The `(source, external_id)` was known: updated when the content "
            "differed, otherwise unchanged and nothing written.",
            "headers": _PUSH_HEADERS,
        },
        **WRITE_ERRORS,
    }


def answer_push(response: Response, row: Versioned, outcome: PushOutcome, location: str) -> None:
    """Status, Location, ETag and Push-Outcome of a single push."""
    if outcome is PushOutcome.created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = location
    else:
        response.status_code = status.HTTP_200_OK
    response.headers[PUSH_OUTCOME_HEADER] = outcome.value
    set_etag(response, row)
