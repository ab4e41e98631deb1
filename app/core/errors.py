"""One error hierarchy, rendered as RFC 9457 ``application/problem+json``."""

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

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
    """An RFC 9457 problem detail."""

    type: str = Field(examples=[PROBLEM_BASE + "not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["No agency with code 'xa-bao-lamm'."])
    instance: str | None = Field(default=None, examples=["/api/v1/agencies/xa-bao-lamm"])
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
) -> JSONResponse:
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
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _clean_validation_errors(raw: list[Any]) -> list[dict[str, Any]]:
    cleaned = []
    for err in raw:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        cleaned.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type"))})
    return cleaned


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
        errors = _clean_validation_errors(list(exc.errors()))
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
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_TITLES.get(exc.status_code, ("error", "Error"))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem_response(
            request,
            status=exc.status_code,
            slug=slug,
            title=title,
            detail=str(exc.detail),
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
    400: "Bad request",
    401: "No valid API key",
    403: "The key may not do this",
    404: "Not found",
    409: "Conflict with existing data",
    412: "If-Match does not match the current ETag",
    413: "Body too large",
    422: "Invalid input",
    429: "Too many requests",
    503: "Database unavailable; retry later",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries declaring problem+json errors in the contract."""
    return {
        status: {
            "model": Problem,
            "description": _STANDARD_DESCRIPTIONS.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for status in statuses
    }


READ_ERRORS = problem_responses(401, 404, 422, 429, 503)
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 413, 422, 429, 503)
