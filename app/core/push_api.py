"""The HTTP side of pushes: the route options and answer of a single push, and the batch
endpoints' shapes and route options."""

from typing import Annotated, Any, Final, Literal

from fastapi import Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, create_model

from app.core import metrics
from app.core.concurrency import Versioned, set_etag
from app.core.errors import WRITE_ERRORS, ValidationIssue, problem_responses
from app.core.push import PUSH_OUTCOME_HEADER, PushOutcome


def outcome_header(description: str) -> dict[str, dict[str, Any]]:
    """The ``Push-Outcome`` header in a contract, worded for one type of record."""
    return {
        PUSH_OUTCOME_HEADER: {
            "description": description,
            "schema": {"type": "string", "enum": [o.value for o in PushOutcome]},
        }
    }


_PUSH_HEADERS = {
    **outcome_header("`created`, `updated` or `unchanged`."),
    "ETag": {"description": "The record's version, for If-Match.", "schema": {"type": "string"}},
}


_CREATED = "Created (`Push-Outcome: created`)."
_KNOWN = (
    "The `(source, external_id)` was known: updated when the content differed, otherwise "
    "unchanged and nothing written."
)


def push_route(
    model: type[Any],
    *,
    created: str = _CREATED,
    known: str = _KNOWN,
    headers: dict[str, dict[str, Any]] = _PUSH_HEADERS,
) -> dict[str, Any]:
    """Route options of a single push POST answering ``model``: 201 when created, 200 when
    the key was known, each with ``headers``; a record may word the two answers its way."""
    return {
        "response_model": model,
        "status_code": status.HTTP_201_CREATED,
        "responses": {
            201: {"description": created, "headers": headers},
            200: {"model": model, "description": known, "headers": headers},
            **WRITE_ERRORS,
        },
    }


def answer_push(response: Response, row: Versioned, outcome: PushOutcome, location: str) -> None:
    """Status, Location, ETag and Push-Outcome of a single push, counted as ingested."""
    answer_outcome(response, row, outcome, location if outcome is PushOutcome.created else None)
    # /api/v1/media-products/7 -> media-products
    metrics.count_ingested(location.rstrip("/").rsplit("/", 2)[-2], outcome.value)


def answer_outcome(
    response: Response, row: Versioned, outcome: PushOutcome, location: str | None
) -> None:
    """Status (201 when created, else 200), Location (when given), ETag and Push-Outcome."""
    created = outcome is PushOutcome.created
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    if location is not None:
        response.headers["Location"] = location
    response.headers[PUSH_OUTCOME_HEADER] = outcome.value
    set_etag(response, row)


MAX_BATCH_ITEMS = 5000
_SCHEMA_REF = "#/components/schemas/"


class BatchItemProblem(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ValidationIssue] | None = None


class BatchItemResult(BaseModel):
    index: int = Field(description="Position of the item in the request, from 0.")
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    id: int | None = Field(description="The record's id; null when rejected.")
    problem: BatchItemProblem | None = Field(description="Why the item was rejected.")


class BatchCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class BatchResult(BaseModel):
    dry_run: bool
    counts: BatchCounts
    items: list[BatchItemResult]


def batch_request_model(item_schema: type[BaseModel], example: dict[str, Any]) -> type[BaseModel]:
    """``{"items": [...]}``: the contract names the items' schema (so that generated clients
    type them), while the request only needs a JSON array of 1 to 5,000: each item is
    checked on its own, and a bad one is `rejected` in the answer, never the whole batch."""
    name = item_schema.__name__
    return create_model(
        f"{name.removesuffix('Create')}Batch",
        __config__=ConfigDict(extra="forbid", json_schema_extra={"examples": [example]}),
        items=(
            list[Any],
            Field(
                min_length=1,
                max_length=MAX_BATCH_ITEMS,
                description=f"1 to {MAX_BATCH_ITEMS:,} items, each a {name}. Each item is "
                "checked on its own: one that is not a valid "
                f"{name} (whatever JSON value it is) is answered `rejected` with its problem, "
                "in its place in `items` of the answer, and the others go on. Only a body that "
                f'is not `{{"items": [...]}}` with 1 to {MAX_BATCH_ITEMS:,} items is '
                "refused as a whole.",
                json_schema_extra={"items": {"$ref": f"{_SCHEMA_REF}{name}"}},
            ),
        ),
    )


DryRun = Annotated[
    bool,
    Query(description="Answer exactly as the batch would, but write nothing."),
]
BATCH_ERRORS = problem_responses(401, 403, 409, 413, 422, 429, 503)
# Route options of a batch push: the per-item answer, the errors of the batch as a whole.
BATCH_ROUTE: Final[dict[str, Any]] = {"response_model": BatchResult, "responses": BATCH_ERRORS}
