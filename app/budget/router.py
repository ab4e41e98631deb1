from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlmodel import Session

from app.budget import service
from app.budget.models import BudgetLine
from app.budget.schemas import (
    BudgetApproval,
    BudgetLineCreate,
    BudgetLinePage,
    BudgetLineRead,
    BudgetLineUpdate,
    BudgetTotals,
)
from app.core.access import Admin, Reader, Writer
from app.core.concurrency import IfMatch, set_etag
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS, WRITE_ERRORS
from app.core.filters import AgencyFilter, SearchQuery
from app.core.openapi import seed_example
from app.core.pagination import PageDep
from app.core.types import MAX_ID
from app.core.vocab import FundingSource
from app.duties.schemas import DUTY_CODE_PATTERN

router = APIRouter(prefix="/budget-lines", tags=["budget"])

LineId = Annotated[int, Path(ge=1, le=MAX_ID, description="The budget line's id.")]
PlanQuery = Annotated[
    str | None,
    Query(max_length=80, description="Plan code, e.g. `kh-209-2026`.", examples=["kh-209-2026"]),
]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="Budget year.")]


def _answer(session: Session, response: Response, line: BudgetLine) -> BudgetLineRead:
    """A line as the write and read routes answer it, with its ETag."""
    set_etag(response, line)
    return service.to_line_read(session, line)


@router.get("", response_model=BudgetLinePage, summary="List budget lines", responses=READ_ERRORS)
def list_budget_lines(
    session: SessionDep,
    _reader: Reader,
    page: PageDep,
    plan: PlanQuery = None,
    task: Annotated[int | None, Query(ge=1, le=9999, description="Task number.")] = None,
    duty: Annotated[
        str | None,
        Query(max_length=20, pattern=DUTY_CODE_PATTERN, description="Duty code, e.g. `V.5.2`."),
    ] = None,
    agency: AgencyFilter = None,
    year: YearQuery = None,
    funding_source: Annotated[FundingSource | None, Query()] = None,
    q: SearchQuery = None,
) -> BudgetLinePage:
    """Estimates, approved and spent amounts per agency, task or duty, year and funding
    source (VND)."""
    rows, next_cursor = service.list_lines(
        session,
        page=page,
        plan_code=plan,
        task_number=task,
        duty_code=duty,
        agency_code=agency,
        year=year,
        funding_source=funding_source.value if funding_source else None,
        q=q,
    )
    return BudgetLinePage(
        items=[service.to_line_read(session, r) for r in rows], next_cursor=next_cursor
    )


@router.get("/totals", response_model=BudgetTotals, summary="Budget totals", responses=READ_ERRORS)
def get_budget_totals(
    session: SessionDep,
    _reader: Reader,
    plan: Annotated[
        str,
        Query(
            max_length=80,
            description="Plan code, e.g. `kh-209-2026`.",
            openapi_examples=seed_example("kh-209-2026", "Kế hoạch 209/KH-UBND"),
        ),
    ],
    year: YearQuery = None,
) -> BudgetTotals:
    """What Sở Tài chính compiles (section IV), for one year or the whole plan: totals per
    task (all nine, zero where nothing is planned), per section V duty, per agency and per
    funding source (state budget of each level, other lawful sources). Any key reads it,
    Sở Tài chính's own included."""
    return service.budget_totals(session, plan_code=plan, year=year)


@router.post(
    "",
    response_model=BudgetLineRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a budget line",
    responses=WRITE_ERRORS,
)
def create_budget_line(
    payload: BudgetLineCreate, session: SessionDep, actor: Writer, response: Response
) -> BudgetLineRead:
    """An agency's annual estimate (dự toán) for a task or a section V duty, from one
    funding source; one line per agency, task or duty, year and funding source."""
    line = service.create_line(session, payload=payload, actor=actor)
    response.headers["Location"] = f"/api/v1/budget-lines/{line.id}"
    return _answer(session, response, line)


@router.get(
    "/{line_id:int}",
    response_model=BudgetLineRead,
    summary="Get a budget line",
    responses=READ_ERRORS,
)
def get_budget_line(
    line_id: LineId, session: SessionDep, _reader: Reader, response: Response
) -> BudgetLineRead:
    """One budget line."""
    line = service.get_line(session, line_id)
    return _answer(session, response, line)


@router.patch(
    "/{line_id:int}",
    response_model=BudgetLineRead,
    summary="Update a budget line",
    responses=WRITE_ERRORS,
)
def update_budget_line(
    line_id: LineId,
    payload: BudgetLineUpdate,
    session: SessionDep,
    actor: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> BudgetLineRead:
    """Correct the content or the estimate (until approved), report the amount spent."""
    line = service.update_line(
        session, line_id=line_id, payload=payload, actor=actor, if_match=if_match
    )
    return _answer(session, response, line)


@router.put(
    "/{line_id:int}/approval",
    response_model=BudgetLineRead,
    summary="Approve a budget line",
    responses=WRITE_ERRORS,
)
def approve_budget_line(
    line_id: LineId,
    payload: BudgetApproval,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> BudgetLineRead:
    """Record the amount allocated for the line (admin: the coordinator enters what UBND
    tỉnh decided on Sở Tài chính's advice)."""
    line = service.approve_line(
        session, line_id=line_id, payload=payload, actor=actor, if_match=if_match
    )
    return _answer(session, response, line)


@router.delete(
    "/{line_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a budget line",
    responses=WRITE_ERRORS,
)
def delete_budget_line(
    line_id: LineId, session: SessionDep, actor: Writer, if_match: IfMatch = None
) -> Response:
    """Delete a line entered by mistake; an approved one only by admin."""
    service.delete_line(session, line_id=line_id, actor=actor, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
