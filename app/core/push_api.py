"""The HTTP side of pushing: the single push's answer and the batch endpoints' shapes."""

from typing import Annotated, Any, Literal

from fastapi import Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, create_model

from app.core import metrics
from app.core.concurrency import Versioned, set_etag
from app.core.errors import WRITE_ERRORS, ValidationIssue, problem_responses
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
    # /api/v1/media-products/7 -> media-products
    metrics.count_ingested(location.rstrip("/").rsplit("/", 2)[-2], outcome.value)


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
