"""The RFC 9457 ``application/problem+json`` shape, and rendering one as a response."""

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.core.i18n import current_language, language_headers, language_of, localise_problem
from app.core.request_context import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://nq57-tracker.caobang.gov.vn/problems/"

# The kind of problem of each status the service answers with: the slug of its ``type``
# URI and its title (in English; app.core.i18n words it in Vietnamese).
PROBLEM_KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-input", "Invalid input"),
    429: ("too-many-requests", "Too many requests"),
    503: ("service-unavailable", "Service unavailable"),
}


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


def problem_body(
    *,
    slug: str,
    title: str,
    status: int,
    detail: str | None,
    instance: str | None,
    errors: list[dict[str, Any]] | None,
    request_id: str | None,
) -> dict[str, Any]:
    """A problem's members in the order the service writes them (``errors`` only when
    there are some)."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    body["request_id"] = request_id
    return body


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
    body = problem_body(
        slug=slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=errors,
        request_id=request_id_of(request),
    )
    localise_problem(body, language, texts_localised=texts_localised)
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**(headers or {}), **language_headers(language)},
    )
