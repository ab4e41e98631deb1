"""The /api/v1 router: one sub-router per domain."""

from fastapi import APIRouter

from app.agencies.router import groups_router as agency_groups_router
from app.agencies.router import router as agencies_router
from app.core.vocab_router import router as vocabularies_router

api_router = APIRouter(prefix="/api/v1")
for router in (
    agencies_router,
    agency_groups_router,
    vocabularies_router,
):
    api_router.include_router(router)
