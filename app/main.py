"""The ASGI application: ``app.main:app``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session

from app.api import api_router
from app.auth.security import authenticate
from app.core.access import require_catalogue_reader
from app.core.auth_failures import AuthAttemptMiddleware
from app.core.config import get_settings
from app.core.db_deadline import RequestDeadlineMiddleware
from app.core.docs import router as docs_router
from app.core.error_handlers import install_error_handlers
from app.core.health import router as health_router
from app.core.heap import settle_heap
from app.core.idempotency import IdempotencyMiddleware
from app.core.logging import AccessLogMiddleware, configure_logging
from app.core.metrics import router as metrics_router
from app.core.middleware import BodyLimitMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from app.core.openapi import build_openapi, operation_id
from app.listeners import register_listeners
from app.pages.router import router as pages_router

DESCRIPTION = """\
Tracks how **Kế hoạch 209/KH-UBND** (UBND tỉnh Cao Bằng, 27/01/2026) communicates
Nghị quyết 57-NQ/TW on science, technology, innovation and digital transformation:
agencies, the plan's tasks and sixteen indicators, channels, media products, loudspeaker
broadcasts, training sessions, figures, and their status.

* Errors are `application/problem+json` (RFC 9457).
* Lists are paginated with an opaque `cursor`; `q` ignores Vietnamese diacritics.
* Instants are RFC 3339 and returned in UTC; days and periods are cut in Asia/Ho_Chi_Minh.
* The catalogue (plans, tasks, indicators, agencies, groups) is readable anonymously;
  records need an API key: `Authorization: Bearer nq57_…`.
"""

TAGS = [
    {
        "name": "plans",
        "description": "Plans (kế hoạch), their text, their tasks (nhiệm vụ) and task progress.",
    },
    {
        "name": "duties",
        "description": "Duties of a plan's section V (Tổ chức thực hiện), their owners and "
        "progress.",
    },
    {"name": "indicators", "description": "The plan's targets (chỉ tiêu) and their measures."},
    {
        "name": "indicator status",
        "description": "Where each target stands, who lags: values, trajectory, gap lists.",
    },
    {"name": "agencies", "description": "Cơ quan, đơn vị: departments, press, communes, wards…"},
    {
        "name": "agency groups",
        "description": "Named sets of agencies used by tasks and indicators.",
    },
    {"name": "channels", "description": "Outlets an agency runs: portals, columns, programmes…"},
    {"name": "media products", "description": "Articles, videos, leaflets, publications…"},
    {"name": "broadcasts", "description": "Airings on communes' loudspeaker systems."},
    {"name": "training sessions", "description": "Trainings, briefings, seminars, contests."},
    {"name": "figures", "description": "Numbers agencies report: staff, members, population."},
    {
        "name": "reports",
        "description": "Periodic and ad-hoc reports (NĐ 09/2019/NĐ-CP windows), compliance, "
        "task board, the consolidated report and its exports.",
    },
    {"name": "report requests", "description": "Ad-hoc (đột xuất) report requests (admin)."},
    {"name": "budget", "description": "Kinh phí: estimates, approved and spent amounts (VND)."},
    {"name": "api keys", "description": "Keys for integrations (admin)."},
    {"name": "audit", "description": "Who changed what, when (admin)."},
    {"name": "vocabularies", "description": "Enumerations with Vietnamese labels."},
]


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settle_heap()
    yield
    from app.core.db import get_engine

    if get_engine.cache_info().currsize:
        get_engine().dispose()


def create_app() -> FastAPI:
    settings = get_settings()
    register_listeners()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    app = FastAPI(
        title="nq57-tracker",
        version="1.0.0",
        summary="Tracking Plan 209/KH-UBND (Cao Bằng) on Resolution 57-NQ/TW",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        # Served by app.core.docs without any CDN.
        docs_url=None,
        redoc_url=None,
    )
    # The routes' key checks (app.core.access) authenticate through the auth domain's function.
    app.state.authenticate = authenticate
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(docs_router)
    # Pages and portal widgets (app/pages), outside the contract like the docs.
    app.include_router(pages_router)
    # The last added is the outermost: the body limit applies before idempotency buffers it;
    # the authentication attempt (client address, failures counted once) is open before
    # idempotency authenticates; the security headers go on every answer, the middlewares'
    # own problems included, but not into what idempotency stores; the access log sees
    # every answer, and the request id is set before anything logs.
    app.add_middleware(IdempotencyMiddleware, client_of_token=_client_of_token)
    # Outside idempotency, so that its claim counts against the request's database time.
    app.add_middleware(RequestDeadlineMiddleware, seconds=settings.request_timeout_seconds)
    app.add_middleware(AuthAttemptMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)

    def openapi() -> dict[str, Any]:
        return build_openapi(app, open_read=require_catalogue_reader)

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _client_of_token(session: Session, token: str) -> str:
    """The name idempotency keys are scoped to: the key's prefix (raises Unauthorized)."""
    return authenticate(session, token).client


app = create_app()
