"""One error hierarchy, rendered as RFC 9457 ``application/problem+json``."""

import copy
import email.message
import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.core.i18n import (
    EXPECTED_DAY,
    EXPECTED_INSTANT,
    LanguageMiddleware,
    current_language,
    issue_message,
    language_headers,
    language_of,
    localise_problem,
)
from app.core.request_context import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://nq57-tracker.caobang.gov.vn/problems/"
log = logging.getLogger("app.errors")


class ValidationIssue(BaseModel):
    loc: list[str | int] = Field(
        description="Where the problem is: body, query, path, then fields."
    )
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail. `title`, `detail` and `errors[].msg` are in Vietnamese
    when the request asks for it (`Accept-Language: vi`); `type` and `errors[].type` never
    change: match on those."""

    type: str = Field(description="What kind of problem: a URI that never changes.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The request's path.")
    errors: list[ValidationIssue] | None = None
    request_id: str | None = Field(
        default=None,
        description="The request's id, also in the `X-Request-ID` response header; quote it "
        "when asking for help.",
        examples=["5f0c6f0e2b7a4c1e9d3b8a6f4e2d1c0b"],
    )


class AppError(Exception):
    status = 400
    slug = "bad-request"
    title = "Bad request"
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict"


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Authentication required"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Forbidden"


class PreconditionFailed(AppError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(AppError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class InvalidInput(AppError):
    status, slug, title = 422, "invalid-input", "Invalid input"


class ServiceUnavailable(AppError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"
    headers: ClassVar[dict[str, str] | None] = {"Retry-After": "5"}


def request_id_of(request: Request | None) -> str | None:
    """The id RequestIdMiddleware gave this request (the scope's state, else the context)."""
    if request is not None:
        state = request.scope.get("state") or {}
        if state.get("request_id"):
            return str(state["request_id"])
    return current_request_id()


def problem_response(
    request: Request | None,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
    texts_localised: bool = False,
) -> JSONResponse:
    """A problem in the request's language (``language``: already negotiated;
    ``texts_localised``: ``detail`` and ``errors[].msg`` are in it already)."""
    if language is None:
        language = language_of(request) if request is not None else current_language()
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
    }
    if errors is not None:
        body["errors"] = errors
    body["request_id"] = request_id_of(request)
    localise_problem(body, language, texts_localised=texts_localised)
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**(headers or {}), **language_headers(language)},
    )


def _clean_validation_errors(raw: list[Any], language: str) -> list[dict[str, Any]]:
    """pydantic's errors as ``errors[]``: where, a message in ``language`` that shows the
    expected form of days and instants, and pydantic's type code unchanged."""
    cleaned = []
    for err in raw:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        kind = str(err.get("type"))
        msg = issue_message(kind, str(err.get("msg", "")), err.get("ctx"), language)
        cleaned.append({"loc": loc, "msg": msg, "type": kind})
    return cleaned


def _is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _unsupported_media_type(request: Request, raw: list[Any]) -> str | None:
    """The detail of a 415 when a JSON endpoint got a body of another type (FastAPI then
    validates the raw bytes and fails); None otherwise."""
    route = request.scope.get("route")
    body_field = route.body_field if isinstance(route, APIRoute) else None
    if body_field is None or isinstance(body_field.field_info, params.Form):
        return None  # no body, or a form: any content type FastAPI reads is fine
    on_body = [err for err in raw if tuple(err.get("loc", ()))[:1] == ("body",)]
    if not on_body:
        return None
    given = request.headers.get("content-type", "")
    if given:
        if _is_json(given):
            return None
        said = f"the request said `{given.split(';', 1)[0].strip()[:100]}`"
    elif any(isinstance(err.get("input"), bytes) for err in on_body):
        said = "the request had no Content-Type"
    else:
        return None  # no body at all: a missing body is invalid input
    return (
        f"This operation takes a JSON body: send it with `Content-Type: application/json` ({said})."
    )


def _is_body_not_json(err: dict[str, Any]) -> bool:
    """FastAPI's error for a body that is not JSON (``("body", position)``), not a field
    of type ``Json`` holding bad JSON."""
    loc = tuple(err.get("loc", ()))
    return (
        err.get("type") == "json_invalid"
        and loc[:1] == ("body",)
        and (len(loc) == 1 or (len(loc) == 2 and isinstance(loc[1], int)))
    )


def _accept_for(method: str) -> dict[str, str]:
    """Accept-Post / Accept-Patch: the media types a 415 asks for (RFC 9110, RFC 5789)."""
    name = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}.get(method)
    return {name: "application/json"} if name else {}


def _json_position(document: Any, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` in the body."""
    text = document if isinstance(document, str) else ""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


_HTTP_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-input", "Invalid input"),
    429: ("too-many-requests", "Too many requests"),
}


# FastAPI's 400 when reading the body as JSON failed otherwise than by a JSON syntax error.
_FASTAPI_UNPARSED_BODY = "There was an error parsing the body"


def _unparsed_body(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeDecodeError):
        byte = cause.object[cause.start : cause.start + 1].hex()
        return (
            f"The body is not valid UTF-8 (byte 0x{byte} at position {cause.start}); "
            "send JSON encoded in UTF-8."
        )
    return "The body could not be parsed as JSON."


def _not_json(
    request: Request, exc: RequestValidationError, broken: dict[str, Any]
) -> JSONResponse:
    """400 for a body that is not JSON, saying where it broke."""
    loc = list(broken.get("loc", ("body",)))
    pos = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
    line, column = _json_position(exc.body, pos)
    why = str((broken.get("ctx") or {}).get("error") or "not JSON")
    where = f"{why} at line {line}, column {column}"
    return problem_response(
        request,
        status=400,
        slug="bad-request",
        title="Bad request",
        detail=f"The body is not valid JSON: {where}.",
        errors=[{"loc": loc, "msg": where, "type": "json_invalid"}],
    )


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path. Starlette's own 405 names only the
    first route that matched the path, and GET, PATCH and DELETE on one URL are three
    routes here."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def install_error_handlers(app: FastAPI) -> None:
    """The problem+json handlers, and the middleware that tells problems built outside a
    handler (a batch item's rejection) the request's language (app.core.i18n)."""
    app.add_middleware(LanguageMiddleware)

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        unsupported = _unsupported_media_type(request, raw)
        if unsupported is not None:
            return problem_response(
                request,
                status=415,
                slug="unsupported-media-type",
                title="Unsupported media type",
                detail=unsupported,
                headers=_accept_for(request.method),
            )
        broken = next((err for err in raw if _is_body_not_json(err)), None)
        if broken is not None:
            return _not_json(request, exc, broken)
        language = language_of(request)
        errors = _clean_validation_errors(raw, language)
        first = errors[0] if errors else None
        detail = (
            f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
            if first
            else "The request is not valid."
        )
        return problem_response(
            request,
            status=422,
            slug="invalid-input",
            title="Invalid input",
            detail=detail,
            errors=errors,
            language=language,
            texts_localised=first is not None,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_TITLES.get(exc.status_code, ("error", "Error"))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        detail = str(exc.detail)
        if exc.status_code == 400 and detail == _FASTAPI_UNPARSED_BODY:
            detail = _unparsed_body(exc.__cause__)
        return problem_response(
            request,
            status=exc.status_code,
            slug=slug,
            title=title,
            detail=detail,
            headers=headers or None,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        # Services check uniqueness first; this catches the race in between.
        return problem_response(
            request,
            status=409,
            slug="conflict",
            title="Conflict",
            detail="The change conflicts with existing data (a unique key or a reference).",
        )

    @app.exception_handler(PoolTimeoutError)
    @app.exception_handler(OperationalError)
    async def _db_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", getattr(exc, "orig", exc))
        return problem_response(
            request,
            status=503,
            slug="service-unavailable",
            title="Service unavailable",
            detail="The database is unavailable or busy; nothing was written. Retry later.",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> JSONResponse:
        log.exception("database error", exc_info=exc)
        return problem_response(
            request,
            status=500,
            slug="internal-error",
            title="Internal error",
            detail="The database refused the request.",
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(
            request,
            status=500,
            slug="internal-error",
            title="Internal error",
            detail="An unexpected error occurred; it has been logged.",
        )


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
    slug: str,
    title: str,
    status: int,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        value["errors"] = errors
    value["request_id"] = _EXAMPLE_REQUEST_ID
    return {"summary": summary, "value": value}


_BROADCASTS = "/api/v1/broadcasts"
# Named examples of each error status, as the service words them (in English; the same
# with ``Accept-Language: vi`` comes in Vietnamese).
PROBLEM_EXAMPLES: dict[int, dict[str, dict[str, Any]]] = {
    400: {
        "not_json": _example(
            "A body that is not JSON",
            "bad-request",
            "Bad request",
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
            "unauthorized",
            "Authentication required",
            401,
            "Records need an API key (Authorization: Bearer …).",
            _BROADCASTS,
        )
    },
    403: {
        "other_agency": _example(
            "Another agency's records",
            "forbidden",
            "Forbidden",
            403,
            "A key of 'xa-bao-lam' may not write records of 'so-vhttdl'.",
            _BROADCASTS,
        )
    },
    404: {
        "not_found": _example(
            "No such record",
            "not-found",
            "Not found",
            404,
            "No agency with code 'xa-bao-lamm'.",
            "/api/v1/agencies/xa-bao-lamm",
        )
    },
    409: {
        "exists": _example(
            "Exists already",
            "conflict",
            "Conflict",
            409,
            "An agency with code 'so-vhttdl' exists already.",
            "/api/v1/agencies",
        )
    },
    412: {
        "stale": _example(
            "A stale If-Match",
            "precondition-failed",
            "Precondition failed",
            412,
            'The resource changed (its ETag is now "42-3"); fetch it again.',
            "/api/v1/broadcasts/42",
        )
    },
    413: {
        "too_large": _example(
            "A body over the limit",
            "payload-too-large",
            "Payload too large",
            413,
            "The body is larger than 16777216 bytes.",
            "/api/v1/broadcasts/batch",
        )
    },
    415: {
        "not_json": _example(
            "A form instead of JSON",
            "unsupported-media-type",
            "Unsupported media type",
            415,
            "This operation takes a JSON body: send it with `Content-Type: application/json` "
            "(the request said `application/x-www-form-urlencoded`).",
            _BROADCASTS,
        )
    },
    422: {
        "missing": _example(
            "A required field left out",
            "invalid-input",
            "Invalid input",
            422,
            "body.agency_code: Field required",
            _BROADCASTS,
            [{"loc": ["body", "agency_code"], "msg": "Field required", "type": "missing"}],
        ),
        "wrong_date": _example(
            "An instant without its offset",
            "invalid-input",
            "Invalid input",
            422,
            f"body.started_at: {EXPECTED_INSTANT}",
            _BROADCASTS,
            [{"loc": ["body", "started_at"], "msg": EXPECTED_INSTANT, "type": "timezone_aware"}],
        ),
        "wrong_day": _example(
            "A day in another form",
            "invalid-input",
            "Invalid input",
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
            "too-many-requests",
            "Too many requests",
            429,
            "This key may make 600 requests per minute; retry in 3 s.",
            _BROADCASTS,
        )
    },
    503: {
        "database": _example(
            "The database is away; Retry-After says when to retry",
            "service-unavailable",
            "Service unavailable",
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
