"""The indicator routes: list, read and (admin) write a plan's targets."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.core.access import Admin, CatalogueReader
from app.core.concurrency import IfMatch, set_etag
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS, WRITE_ERRORS
from app.core.filters import SearchQuery
from app.core.openapi import seed_example
from app.core.pagination import PageDep
from app.core.vocab import IndicatorWindow
from app.indicators import service
from app.indicators.models import Indicator
from app.indicators.schemas import IndicatorCreate, IndicatorPage, IndicatorRead, IndicatorUpdate
from app.plans.models import Plan
from app.plans.router import PlanCode
from app.plans.service import get_plan as find_plan

router = APIRouter(prefix="/plans", tags=["indicators"])


IndicatorCodePath = Annotated[
    str,
    Path(
        max_length=40,
        description="The indicator's code.",
        openapi_examples=seed_example("T2026-5", "Plan 209, 2026 target 5: loudspeakers"),
    ),
]


def _answer(response: Response, plan: Plan, indicator: Indicator) -> IndicatorRead:
    """An indicator as the answer to a request: its ETag set, the row as the API shows it."""
    set_etag(response, indicator)
    return service.to_indicator_read(plan, indicator)


@router.get(
    "/{plan}/indicators",
    response_model=IndicatorPage,
    summary="List indicators",
    responses=READ_ERRORS,
)
def list_indicators(
    plan: PlanCode,
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
    target_year: Annotated[
        int | None, Query(ge=2000, le=2100, description="e.g. 2026 or 2030.")
    ] = None,
    window: Annotated[IndicatorWindow | None, Query()] = None,
    q: SearchQuery = None,
) -> IndicatorPage:
    """The plan's targets (chỉ tiêu), titles verbatim, each with the measure that
    evaluates it. Their status is under `…/indicators/{code}/status`."""
    row = find_plan(session, plan)
    rows, next_cursor = service.list_indicators(
        session,
        plan=row,
        page=page,
        target_year=target_year,
        window=window.value if window else None,
        q=q,
    )
    return IndicatorPage(
        items=[service.to_indicator_read(row, r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/{plan}/indicators",
    response_model=IndicatorRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an indicator",
    responses=WRITE_ERRORS,
)
def create_indicator(
    plan: PlanCode,
    payload: IndicatorCreate,
    session: SessionDep,
    actor: Admin,
    response: Response,
) -> IndicatorRead:
    """Add a target to a plan (admin). The measure is checked: its shape, and that every
    agency group it names exists."""
    row = find_plan(session, plan)
    indicator = service.create_indicator(session, plan=row, payload=payload, actor=actor)
    response.headers["Location"] = f"/api/v1/plans/{row.code}/indicators/{indicator.code}"
    return _answer(response, row, indicator)


@router.get(
    "/{plan}/indicators/{code}",
    response_model=IndicatorRead,
    summary="Get an indicator",
    responses=READ_ERRORS,
)
def get_indicator(
    plan: PlanCode,
    code: IndicatorCodePath,
    session: SessionDep,
    _reader: CatalogueReader,
    response: Response,
) -> IndicatorRead:
    """One indicator by its code within the plan, e.g. `T2026-5`."""
    row = find_plan(session, plan)
    return _answer(response, row, service.get_indicator(session, row, code))


@router.patch(
    "/{plan}/indicators/{code}",
    response_model=IndicatorRead,
    summary="Update an indicator",
    responses=WRITE_ERRORS,
)
def update_indicator(
    plan: PlanCode,
    code: IndicatorCodePath,
    payload: IndicatorUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> IndicatorRead:
    """Correct a target or its measure (admin); `measure` replaces the whole measure."""
    row = find_plan(session, plan)
    indicator = service.update_indicator(
        session, plan=row, code=code, payload=payload, actor=actor, if_match=if_match
    )
    return _answer(response, row, indicator)


@router.delete(
    "/{plan}/indicators/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an indicator",
    responses=WRITE_ERRORS,
)
def delete_indicator(
    plan: PlanCode,
    code: IndicatorCodePath,
    session: SessionDep,
    actor: Admin,
    if_match: IfMatch = None,
) -> Response:
    """Delete an indicator entered by mistake (admin)."""
    row = find_plan(session, plan)
    service.delete_indicator(session, plan=row, code=code, actor=actor, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
