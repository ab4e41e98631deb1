"""The indicator routes: list, read and (admin) write a plan's targets."""

from typing import Annotated

from fastapi import APIRouter
from sqlmodel import Session

from app.core.item_routes import Key
from app.core.seeded_params import seeded_path
from app.indicators import schemas, service
from app.indicators.models import Indicator
from app.plans.dependencies import plan_key, plan_part_routes

router = APIRouter(prefix="/plans", tags=["indicators"])


IndicatorCodePath = Annotated[
    str,
    seeded_path(
        "The indicator's code.", "T2026-5", "Plan 209, 2026 target 5: loudspeakers", max_length=40
    ),
]


def _indicator_read(_session: Session, indicator: Indicator, key: Key) -> schemas.IndicatorRead:
    return service.to_indicator_read(key["plan"], indicator)


INDICATOR_ROUTES = plan_part_routes(
    router,
    "/{plan}/indicators/{code}",
    schemas.IndicatorRead,
    _indicator_read,
    code=IndicatorCodePath,
)

INDICATOR_ROUTES.list(
    "list_indicators",
    "List indicators",
    """The plan's targets (chỉ tiêu), titles verbatim, each with the measure that
    evaluates it. Their status is under `…/indicators/{code}/status`.""",
    schemas.IndicatorFilters,
    service.list_indicators,
    schemas.IndicatorPage,
    key=plan_key,
)

INDICATOR_ROUTES.create(
    "create_indicator",
    "Create an indicator",
    """Add a target to a plan (admin). The measure is checked: its shape, and that every
    agency group it names exists.""",
    schemas.IndicatorCreate,
    service.create_indicator,
    "/api/v1/plans/{plan.code}/indicators/{row.code}",
    key=plan_key,
)

INDICATOR_ROUTES.read(
    "get_indicator",
    "Get an indicator",
    "One indicator by its code within the plan, e.g. `T2026-5`.",
    service.get_indicator,
)

INDICATOR_ROUTES.change(
    "update_indicator",
    "Update an indicator",
    "Correct a target or its measure (admin); `measure` replaces the whole measure.",
    schemas.IndicatorUpdate,
    service.update_indicator,
)

INDICATOR_ROUTES.delete(
    "delete_indicator",
    "Delete an indicator",
    "Delete an indicator entered by mistake (admin).",
    service.delete_indicator,
)
