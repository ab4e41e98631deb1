"""The problem+json answers to every exception a request can raise, registered from one
table, and the middleware that tells problems built outside a handler (a batch item's
rejection) the request's language (app.core.i18n)."""

import email.message
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from app.core.errors import PROBLEM_KINDS, AppError
from app.core.i18n import LanguageMiddleware, language_of, localised_issues
from app.core.problem import problem_response

log = logging.getLogger("app.errors")

# FastAPI's 400 when reading the body as JSON failed otherwise than by a JSON syntax error.
_FASTAPI_UNPARSED_BODY = "There was an error parsing the body"


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


def _unparsed_body(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeDecodeError):
        byte = cause.object[cause.start : cause.start + 1].hex()
        return (
            f"The body is not valid UTF-8 (byte 0x{byte} at position {cause.start}); "
            "send JSON encoded in UTF-8."
        )
    return "The body could not be parsed as JSON."


def _not_json(request: Request, exc: RequestValidationError, broken: dict[str, Any]) -> Response:
    """400 for a body that is not JSON, saying where it broke."""
    loc = list(broken.get("loc", ("body",)))
    pos = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
    line, column = _json_position(exc.body, pos)
    why = str((broken.get("ctx") or {}).get("error") or "not JSON")
    where = f"{why} at line {line}, column {column}"
    return _problem(
        request,
        400,
        f"The body is not valid JSON: {where}.",
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


def _problem(
    request: Request,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem of one of the kinds in PROBLEM_KINDS."""
    slug, title = PROBLEM_KINDS[status]
    return problem_response(
        request,
        status=status,
        slug=slug,
        title=title,
        detail=detail,
        errors=errors,
        headers=headers,
    )


def _internal_error(request: Request, detail: str) -> Response:
    return problem_response(
        request, status=500, slug="internal-error", title="Internal error", detail=detail
    )


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    unsupported = _unsupported_media_type(request, raw)
    if unsupported is not None:
        return _problem(request, 415, unsupported, headers=_accept_for(request.method))
    broken = next((err for err in raw if _is_body_not_json(err)), None)
    if broken is not None:
        return _not_json(request, exc, broken)
    language = language_of(request)
    errors = localised_issues(raw, language)
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


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug, title = PROBLEM_KINDS.get(exc.status_code, ("error", "Error"))
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


async def _integrity_error(request: Request, exc: Exception) -> Response:
    # Services check uniqueness first; this catches the race in between.
    return _problem(
        request, 409, "The change conflicts with existing data (a unique key or a reference)."
    )


async def _db_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable: %s", getattr(exc, "orig", exc))
    return _problem(
        request,
        503,
        "The database is unavailable or busy; nothing was written. Retry later.",
        headers={"Retry-After": "5"},
    )


async def _db_error(request: Request, exc: Exception) -> Response:
    log.exception("database error", exc_info=exc)
    return _internal_error(request, "The database refused the request.")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return _internal_error(request, "An unexpected error occurred; it has been logged.")


Handler = Callable[[Request, Exception], Awaitable[Response]]

# Each exception class and its answer. Starlette picks the handler of the nearest class in
# an exception's MRO, so the order here does not matter.
HANDLERS: tuple[tuple[type[Exception], Handler], ...] = (
    (AppError, _app_error),
    (RequestValidationError, _validation_error),
    (StarletteHTTPException, _http_error),
    (IntegrityError, _integrity_error),
    (OperationalError, _db_unavailable),
    (PoolTimeoutError, _db_unavailable),
    (DBAPIError, _db_error),
    (Exception, _unexpected),
)


def install_error_handlers(app: FastAPI) -> None:
    """The problem+json handlers, and the language middleware (see the module's doc)."""
    app.add_middleware(LanguageMiddleware)
    for exc_class, handler in HANDLERS:
        app.add_exception_handler(exc_class, handler)
