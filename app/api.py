"""The /api/v1 router: one sub-router per domain."""

from fastapi import APIRouter

from app.agencies.router import groups_router as agency_groups_router
from app.agencies.router import router as agencies_router
from app.audit.router import router as audit_router
from app.auth.router import router as api_keys_router
from app.broadcasts.router import router as broadcasts_router
from app.budget.router import router as budget_router
from app.channels.router import router as channels_router
from app.duties.router import router as duties_router
from app.figures.router import router as figures_router
from app.imports.router import router as imports_router
from app.indicators.router import router as indicators_router
from app.media_products.router import router as media_products_router
from app.plans.router import router as plans_router
from app.reports.requests_router import router as report_requests_router
from app.reports.router import router as reports_router
from app.status.national_router import router as national_status_router
from app.status.router import router as indicator_status_router
from app.training_sessions.router import router as training_sessions_router
from app.vocabularies.router import router as vocabularies_router

api_router = APIRouter(prefix="/api/v1")
for router in (
    plans_router,
    duties_router,
    indicators_router,
    indicator_status_router,
    national_status_router,
    agencies_router,
    agency_groups_router,
    channels_router,
    media_products_router,
    broadcasts_router,
    training_sessions_router,
    figures_router,
    imports_router,
    reports_router,
    report_requests_router,
    budget_router,
    api_keys_router,
    audit_router,
    vocabularies_router,
):
    api_router.include_router(router)
