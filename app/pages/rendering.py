"""Templates and the answer's headers: ETag and 304, caching, a Content-Security-Policy
that lets a page load nothing but the service's own stylesheet."""

import hashlib
from typing import Any

from fastapi import Request, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from app.core.errors import AppError
from app.core.i18n import VI, title_of, translate_text
from app.pages import format as fmt
from app.pages.charts import progress_svg

HTML = "text/html; charset=utf-8"
SVG = "image/svg+xml; charset=utf-8"
# Pages change with every record pushed: the browser asks again each time, and the ETag
# saves the body when nothing changed. Widgets are read by many portal visitors: a
# five-minute-old answer is fine there, and shared caches may keep it.
PAGE_CACHE = "no-cache"
EMBED_CACHE = "public, max-age=300"
# Whatever answers a request that carried a key is for that key's holder alone.
KEYED_CACHE = "private, no-store"
_SOURCES = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"
)
PAGE_CSP = f"{_SOURCES}; frame-ancestors 'none'"
# Widgets are for other sites' iframes (the security headers middleware leaves /embed/
# framable); their links open the full page in a new tab.
EMBED_CSP = _SOURCES
BADGE_CSP = "default-src 'none'"

templates = Environment(
    loader=PackageLoader("app.pages", "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals.update(
    look=fmt.status_look,
    # A card's bar: its value against the expected mark and the target (decorative).
    bar=lambda c: progress_svg(c.value, c.expected, c.target),
)


def render(name: str, **context: Any) -> bytes:
    return templates.get_template(name).render(**context).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: a weak comparison, ``*`` matching any current representation."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def answer(
    request: Request,
    body: bytes,
    *,
    media_type: str = HTML,
    cache: str = PAGE_CACHE,
    csp: str = PAGE_CSP,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The body with its ETag, or 304 with no body when the client holds the same one.
    A request that carried a key is never cached by anyone but its client."""
    keyed = "authorization" in request.headers
    extra = {
        "Cache-Control": KEYED_CACHE if keyed else cache,
        "Content-Security-Policy": csp,
        "Vary": "Authorization",
        **(headers or {}),
    }
    if status != 200:
        return Response(body, status_code=status, media_type=media_type, headers=extra)
    etag = etag_of(body)
    extra["ETag"] = etag
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=extra)
    return Response(body, media_type=media_type, headers=extra)


def error_page(
    request: Request, error: AppError, *, root: str, back: str | None, embed: bool = False
) -> Response:
    """The API's refusal (401, 404, 422 …) as a page, in Vietnamese, with the same status
    and headers (``WWW-Authenticate`` on 401); ``back``: a page to start again from."""
    detail = translate_text(error.detail, VI)
    messages = [translate_text(str(e.get("msg", "")), VI) or "" for e in error.errors or []]
    body = render(
        "error.html",
        root=root,
        status=error.status,
        title=title_of(error.slug, error.title, VI),
        detail=detail,
        # A single message usually repeats the detail.
        messages=[m for m in messages if m and m.rstrip(".") != (detail or "").rstrip(".")],
        back=back,
        embed=embed,
    )
    return answer(
        request,
        body,
        status=error.status,
        cache=KEYED_CACHE,
        csp=EMBED_CSP if embed else PAGE_CSP,
        headers=dict(error.headers or {}),
    )
