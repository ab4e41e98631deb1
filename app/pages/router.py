"""The pages (``/plans/…``) and the widgets (``/embed/plans/…``), outside the OpenAPI
contract.

Each page mirrors an API read: ``/plans/{plan}`` is ``/api/v1/plans/{plan}/status``,
``/plans/{plan}/indicators/{code}`` is ``…/indicators/{code}/status``, with the same
``period`` and ``as_of``, and the same readers: anonymous clients while
``NQ57_PUBLIC_READ`` is on, a key otherwise; the compliance board needs a key, as
``/api/v1/reports/compliance`` does. A refusal is the API's status as a page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session
from starlette.staticfiles import StaticFiles

from app.core.access import MaybePrincipal, require_catalogue_reader, require_reader
from app.core.db import SessionDep
from app.core.errors import AppError, InvalidInput
from app.pages import rendering
from app.pages.cache import WidgetCache
from app.pages.links import View
from app.pages.pages import communes_body, indicator_body, plan_body, reports_body
from app.pages.widgets import badge_body, indicator_widget_body, plan_widget_body
from app.status.schemas import PlanStatus
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


@dataclass(frozen=True)
class PageRequest:
    """What every page and widget route takes: the plan of its path, the request, the
    session, the caller, and ``period`` and ``as_of`` as the form sent them. The routes
    depend on the class itself (``Page``): its fields are the parameters FastAPI reads."""

    plan: str
    request: Request
    session: SessionDep
    principal: MaybePrincipal
    period: Param = None
    as_of: Param = None

    def serve(self, build: Callable[[View], Response], *, embed: bool = False) -> Response:
        """Reads parameters, then ``build``; any refusal of the services (an unknown plan,
        a period outside it, no key while public reads are off …) becomes an error page."""
        root = _root(self.request)
        try:
            view = View(root, self.plan, _given("period", self.period), _given("as_of", self.as_of))
            return build(view)
        except AppError as error:
            back = None if embed else f"{root}/plans/{quote(self.plan, safe='')}"
            return rendering.error_page(self.request, error, root=root, back=back, embed=embed)

    def plan_status(self, view: View) -> PlanStatus:
        """The plan's evaluation, for a caller who may read the catalogue."""
        require_catalogue_reader(self.principal)
        return plan_status(self.session, plan_code=self.plan, period=view.period, as_of=view.as_of)

    def answer(self, body: bytes) -> Response:
        return rendering.answer(self.request, body)


Page = Annotated[PageRequest, Depends()]


@router.get("/plans/{plan}")
def plan_page(page: Page) -> Response:
    def build(view: View) -> Response:
        status = page.plan_status(view)
        return page.answer(plan_body(page.session, page.request, view, status))

    return page.serve(build)


@router.get("/plans/{plan}/indicators/{code}")
def indicator_page(page: Page, code: str, sort: Param = None) -> Response:
    def build(view: View) -> Response:
        require_catalogue_reader(page.principal)
        status = indicator_status(
            page.session, plan_code=page.plan, code=code, period=view.period, as_of=view.as_of
        )
        return page.answer(
            indicator_body(page.session, page.request, view, status, _given("sort", sort))
        )

    return page.serve(build)


@router.get("/plans/{plan}/communes")
def communes_page(page: Page, sort: Param = None) -> Response:
    def build(view: View) -> Response:
        status = page.plan_status(view)
        return page.answer(communes_body(page.session, view, status, _given("sort", sort)))

    return page.serve(build)


@router.get("/plans/{plan}/reports")
def reports_page(page: Page) -> Response:
    """The compliance board: who has reported, as ``/api/v1/reports/compliance`` answers
    (any key; never anonymous, whatever NQ57_PUBLIC_READ says, as the API)."""

    def build(view: View) -> Response:
        require_reader(page.principal)
        return page.answer(reports_body(page.session, view))

    return page.serve(build)


def _widget_cache(request: Request) -> WidgetCache:
    """The app's own (one per worker; a test's app starts empty)."""
    state = request.app.state
    if not hasattr(state, "pages_widget_cache"):
        state.pages_widget_cache = WidgetCache()
    cache: WidgetCache = state.pages_widget_cache
    return cache


def _widget(page: PageRequest, body_of: Callable[[Session, View], tuple[bytes, str]]) -> Response:
    request = page.request

    def build(view: View) -> Response:
        require_catalogue_reader(page.principal)
        # Anonymous answers only: what a key reads is never kept for others.
        cache = None if "authorization" in request.headers else _widget_cache(request)
        key = request.url.path + view.query()
        kept = cache.get(key) if cache else None
        if kept is not None:
            body, media_type = kept.body, kept.media_type
        else:
            body, media_type = body_of(page.session, view)
            if cache:
                cache.put(key, body, media_type)
        csp = rendering.BADGE_CSP if media_type == rendering.SVG else rendering.EMBED_CSP
        return rendering.answer(
            request, body, media_type=media_type, cache=rendering.EMBED_CACHE, csp=csp
        )

    return page.serve(build, embed=True)


@router.get("/embed/plans/{plan}")
def plan_widget(page: Page) -> Response:
    return _widget(page, plan_widget_body)


@router.get("/embed/plans/{plan}/indicators/{code}")
def indicator_widget(page: Page, code: str) -> Response:
    return _widget(page, lambda session, view: indicator_widget_body(session, view, code))


@router.get("/embed/plans/{plan}/indicators/{code}/badge.svg")
def indicator_badge(page: Page, code: str) -> Response:
    return _widget(page, lambda session, view: badge_body(session, view, code))


@router.get("/pages-assets/{name}")
async def page_asset(name: str, request: Request) -> Response:
    """The pages' stylesheet (ETag and Last-Modified set; 404 for anything else). A route
    rather than a mount, so that the access log and the metrics name it."""
    return await _static.get_response(name, request.scope)
