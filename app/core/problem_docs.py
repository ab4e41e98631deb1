"""The problems of the contract: each error status's description and named examples, and
the ``responses=`` entries that declare them on an operation."""

import copy
from typing import Any

from app.core.i18n import EXPECTED_DAY, EXPECTED_INSTANT
from app.core.problem import PROBLEM_KINDS, PROBLEM_MEDIA_TYPE, Problem, problem_body

_STANDARD_DESCRIPTIONS = {
    400: "Malformed request: a body that is not UTF-8 JSON, or a NUL in the URL.",
    401: "No valid API key",
    403: "The key may not do this",
    404: "Not found",
    409: "Conflict with existing data",
    412: "If-Match does not match the current ETag",
    413: "Body too large",
    415: "The body is not `application/json`",
    422: "Invalid input",
    429: "Too many requests",
    503: "Database unavailable; retry later",
}

_EXAMPLE_REQUEST_ID = "5f0c6f0e2b7a4c1e9d3b8a6f4e2d1c0b"


def _example(
    summary: str,
    status: int,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A named example of a problem: its type and title are those of its status's kind
    (PROBLEM_KINDS), as the service answers them."""
    slug, title = PROBLEM_KINDS[status]
    value = problem_body(
        slug=slug,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
        request_id=_EXAMPLE_REQUEST_ID,
    )
    return {"summary": summary, "value": value}


_BROADCASTS = "/api/v1/broadcasts"
# Named examples of each error status, as the service words them (in English; the same
# with ``Accept-Language: vi`` comes in Vietnamese).
PROBLEM_EXAMPLES: dict[int, dict[str, dict[str, Any]]] = {
    400: {
        "not_json": _example(
            "A body that is not JSON",
            400,
            "The body is not valid JSON: Expecting ',' delimiter at line 3, column 3.",
            _BROADCASTS,
            [
                {
                    "loc": ["body", 58],
                    "msg": "Expecting ',' delimiter at line 3, column 3",
                    "type": "json_invalid",
                }
            ],
        )
    },
    401: {
        "key_required": _example(
            "No API key",
            401,
            "Records need an API key (Authorization: Bearer …).",
            _BROADCASTS,
        )
    },
    403: {
        "other_agency": _example(
            "Another agency's records",
            403,
            "A key of 'xa-bao-lam' may not write records of 'so-vhttdl'.",
            _BROADCASTS,
        )
    },
    404: {
        "not_found": _example(
            "No such record",
            404,
            "No agency with code 'xa-bao-lamm'.",
            "/api/v1/agencies/xa-bao-lamm",
        )
    },
    409: {
        "exists": _example(
            "Exists already",
            409,
            "An agency with code 'so-vhttdl' exists already.",
            "/api/v1/agencies",
        )
    },
    412: {
        "stale": _example(
            "A stale If-Match",
            412,
            'The resource changed (its ETag is now "42-3"); fetch it again.',
            "/api/v1/broadcasts/42",
        )
    },
    413: {
        "too_large": _example(
            "A body over the limit",
            413,
            "The body is larger than 16777216 bytes.",
            "/api/v1/broadcasts/batch",
        )
    },
    415: {
        "not_json": _example(
            "A form instead of JSON",
            415,
            "This operation takes a JSON body: send it with `Content-Type: application/json` "
            "(the request said `application/x-www-form-urlencoded`).",
            _BROADCASTS,
        )
    },
    422: {
        "missing": _example(
            "A required field left out",
            422,
            "body.agency_code: Field required",
            _BROADCASTS,
            [{"loc": ["body", "agency_code"], "msg": "Field required", "type": "missing"}],
        ),
        "wrong_date": _example(
            "An instant without its offset",
            422,
            f"body.started_at: {EXPECTED_INSTANT}",
            _BROADCASTS,
            [{"loc": ["body", "started_at"], "msg": EXPECTED_INSTANT, "type": "timezone_aware"}],
        ),
        "wrong_day": _example(
            "A day in another form",
            422,
            f"body.started_on: {EXPECTED_DAY}",
            "/api/v1/training-sessions",
            [
                {
                    "loc": ["body", "started_on"],
                    "msg": EXPECTED_DAY,
                    "type": "date_from_datetime_parsing",
                }
            ],
        ),
    },
    429: {
        "rate_limited": _example(
            "Too many requests; Retry-After says when to retry",
            429,
            "This key may make 600 requests per minute; retry in 3 s.",
            _BROADCASTS,
        )
    },
    503: {
        "database": _example(
            "The database is away; Retry-After says when to retry",
            503,
            "The database is unavailable or busy; nothing was written. Retry later.",
            _BROADCASTS,
        )
    },
}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer"},
    }
}


def _example_component(status: int, name: str) -> str:
    return f"Problem{status}_{name}"


def problem_example_components() -> dict[str, dict[str, Any]]:
    """``components/examples`` of the contract: each error status's examples, written once
    and referred to by every operation (app.core.openapi adds them)."""
    return {
        _example_component(status, name): copy.deepcopy(example)
        for status, examples in PROBLEM_EXAMPLES.items()
        for name, example in examples.items()
    }


def problem_content(status: int) -> dict[str, Any]:
    """The ``application/problem+json`` media type object of an error status: references
    to its examples (the schema is set by app.core.openapi)."""
    examples = {
        name: {"$ref": f"#/components/examples/{_example_component(status, name)}"}
        for name in PROBLEM_EXAMPLES.get(status, {})
    }
    return {PROBLEM_MEDIA_TYPE: {"examples": examples} if examples else {}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries declaring problem+json errors in the contract, each with
    examples of its own kind."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        response: dict[str, Any] = {
            "model": Problem,
            "description": _STANDARD_DESCRIPTIONS.get(status, "Error"),
            "content": problem_content(status),
        }
        if status in (429, 503):
            response["headers"] = _RETRY_AFTER
        responses[status] = response
    return responses


READ_ERRORS = problem_responses(401, 404, 422, 429, 503)
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 413, 422, 429, 503)
