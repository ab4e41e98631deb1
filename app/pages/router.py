"""The pages (``/plans/…``) and the widgets (``/embed/plans/…``), outside the OpenAPI
contract.

Each page mirrors an API read: ``/plans/{plan}`` is ``/api/v1/plans/{plan}/status``,
``/plans/{plan}/indicators/{code}`` is ``…/indicators/{code}/status``, with the same
``period`` and ``as_of``, and the same readers: anonymous clients while
``NQ57_PUBLIC_READ`` is on, a key otherwise; the compliance board needs a key, as
``/api/v1/reports/compliance`` does. A refusal is the API's status as a page.
"""

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session
from starlette.staticfiles import StaticFiles

from app.auth.security import MaybePrincipal, require_catalogue_reader, require_reader
from app.core.db import SessionDep
from app.core.errors import AppError, InvalidInput
from app.core.principal import Principal
from app.pages import rendering
from app.pages.cache import WidgetCache
from app.pages.links import View
from app.pages.pages import (
    communes_body,
    indicator_body,
    plan_body,
    reports_body,
)
from app.pages.widgets import badge_body, indicator_widget_body, plan_widget_body
from app.status.service import indicator_status, plan_status

router = APIRouter(include_in_schema=False)
_static = StaticFiles(packages=[("app.pages", "static")])

MAX_PARAMETER = 40
Param = Annotated[str | None, Query()]


def _given(name: str, value: str | None) -> str | None:
    """A form sends empty fields as ``name=``: those mean "not given"."""
    text = (value or "").strip()
    if len(text) > MAX_PARAMETER:
        message = f"{name} is longer than {MAX_PARAMETER} characters"
        raise InvalidInput(message, errors=[{"loc": ["query", name], "msg": message, "type": name}])
    return text or None


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _serve(
    request: Request,
    plan: str,
    period: str | None,
    as_of: str | None,
    build: Callable[[View], Response],
    *,
    embed: bool = False,
) -> Response:
    """Reads parameters, then ``build``; any refusal of the services (an unknown plan, a
    period outside it, no key while public reads are off …) becomes an error page."""
    root = _root(request)
    try:
        view = View(root, plan, _given("period", period), _given("as_of", as_of))
        return build(view)
    except AppError as error:
        back = None if embed else f"{root}/plans/{quote(plan, safe='')}"
        return rendering.error_page(request, error, root=root, back=back, embed=embed)


def _reader(principal: Principal | None) -> None:
    require_catalogue_reader(principal)


@router.get("/plans/{plan}")
def plan_page(
    plan: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
) -> Response:
    def build(view: View) -> Response:
        _reader(principal)
        status = plan_status(session, plan_code=plan, period=view.period, as_of=view.as_of)
        return rendering.answer(request, plan_body(session, request, view, status))

    return _serve(request, plan, period, as_of, build)


@router.get("/plans/{plan}/indicators/{code}")
def indicator_page(
    plan: str,
    code: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
    sort: Param = None,
) -> Response:
    def build(view: View) -> Response:
        _reader(principal)
        status = indicator_status(
            session, plan_code=plan, code=code, period=view.period, as_of=view.as_of
        )
        body = indicator_body(session, request, view, status, _given("sort", sort))
        return rendering.answer(request, body)

    return _serve(request, plan, period, as_of, build)


@router.get("/plans/{plan}/communes")
def communes_page(
    plan: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
    sort: Param = None,
) -> Response:
    def build(view: View) -> Response:
        _reader(principal)
        status = plan_status(session, plan_code=plan, period=view.period, as_of=view.as_of)
        body = communes_body(session, view, status, _given("sort", sort))
        return rendering.answer(request, body)

    return _serve(request, plan, period, as_of, build)


@router.get("/plans/{plan}/reports")
def reports_page(
    plan: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
) -> Response:
    """The compliance board: who has reported, as ``/api/v1/reports/compliance`` answers
    (any key; never anonymous, whatever NQ57_PUBLIC_READ says, as the API)."""

    def build(view: View) -> Response:
        require_reader(principal)
        return rendering.answer(request, reports_body(session, view))

    return _serve(request, plan, period, as_of, build)


def _widget_cache(request: Request) -> WidgetCache:
    """The app's own (one per worker; a test's app starts empty)."""
    state = request.app.state
    if not hasattr(state, "pages_widget_cache"):
        state.pages_widget_cache = WidgetCache()
    cache: WidgetCache = state.pages_widget_cache
    return cache


def _widget(
    request: Request,
    session: Session,
    principal: Principal | None,
    plan: str,
    period: str | None,
    as_of: str | None,
    body_of: Callable[[Session, View], tuple[bytes, str]],
) -> Response:
    def build(view: View) -> Response:
        _reader(principal)
        # Anonymous answers only: what a key reads is never kept for others.
        cache = None if "authorization" in request.headers else _widget_cache(request)
        key = request.url.path + view.query()
        kept = cache.get(key) if cache else None
        if kept is not None:
            body, media_type = kept.body, kept.media_type
        else:
            body, media_type = body_of(session, view)
            if cache:
                cache.put(key, body, media_type)
        csp = rendering.BADGE_CSP if media_type == rendering.SVG else rendering.EMBED_CSP
        return rendering.answer(
            request, body, media_type=media_type, cache=rendering.EMBED_CACHE, csp=csp
        )

    return _serve(request, plan, period, as_of, build, embed=True)


@router.get("/embed/plans/{plan}")
def plan_widget(
    plan: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
) -> Response:
    return _widget(request, session, principal, plan, period, as_of, plan_widget_body)


@router.get("/embed/plans/{plan}/indicators/{code}")
def indicator_widget(
    plan: str,
    code: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
) -> Response:
    def body_of(session: Session, view: View) -> tuple[bytes, str]:
        return indicator_widget_body(session, view, code)

    return _widget(request, session, principal, plan, period, as_of, body_of)


@router.get("/embed/plans/{plan}/indicators/{code}/badge.svg")
def indicator_badge(
    plan: str,
    code: str,
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    period: Param = None,
    as_of: Param = None,
) -> Response:
    def body_of(session: Session, view: View) -> tuple[bytes, str]:
        return badge_body(session, view, code)

    return _widget(request, session, principal, plan, period, as_of, body_of)


@router.get("/pages-assets/{name}")
async def page_asset(name: str, request: Request) -> Response:
    """The pages' stylesheet (ETag and Last-Modified set; 404 for anything else). A route
    rather than a mount, so that the access log and the metrics name it."""
    return await _static.get_response(name, request.scope)
