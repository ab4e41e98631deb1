from typing import Annotated

from fastapi import APIRouter, Query

from app.budget import schemas, service
from app.core.access import Admin, Reader, Writer
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS
from app.core.item_routes import ItemRoutes, from_session_row, path_key
from app.core.openapi import seed_example
from app.core.routes import id_path

router = APIRouter(prefix="/budget-lines", tags=["budget"])

LineId = Annotated[int, id_path("The budget line's id.")]


ROUTES = ItemRoutes(
    router,
    "/{line_id:int}",
    path_key(line_id=LineId),
    schemas.BudgetLineRead,
    present=from_session_row(service.to_line_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_budget_lines",
    "List budget lines",
    """Estimates, approved and spent amounts per agency, task or duty, year and funding
    source (VND).""",
    schemas.BudgetLineFilters,
    service.list_lines,
    schemas.BudgetLinePage,
)


@router.get(
    "/totals", response_model=schemas.BudgetTotals, summary="Budget totals", responses=READ_ERRORS
)
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
    year: schemas.YearQuery = None,
) -> schemas.BudgetTotals:
    """What Sở Tài chính compiles (section IV), for one year or the whole plan: totals per
    task (all nine, zero where nothing is planned), per section V duty, per agency and per
    funding source (state budget of each level, other lawful sources). Any key reads it,
    Sở Tài chính's own included."""
    return service.budget_totals(session, plan_code=plan, year=year)


ROUTES.create(
    "create_budget_line",
    "Create a budget line",
    """An agency's annual estimate (dự toán) for a task or a section V duty, from one
    funding source; one line per agency, task or duty, year and funding source.""",
    schemas.BudgetLineCreate,
    service.create_line,
    "/api/v1/budget-lines/{row.id}",
)

ROUTES.read(
    "get_budget_line",
    "Get a budget line",
    "One budget line.",
    service.get_line,
)

ROUTES.change(
    "update_budget_line",
    "Update a budget line",
    "Correct the content or the estimate (until approved), report the amount spent.",
    schemas.BudgetLineUpdate,
    service.update_line,
)

ROUTES.change(
    "approve_budget_line",
    "Approve a budget line",
    """Record the amount allocated for the line (admin: the coordinator enters what UBND
    tỉnh decided on Sở Tài chính's advice).""",
    schemas.BudgetApproval,
    service.approve_line,
    method="PUT",
    suffix="/approval",
    writer=Admin,
)

ROUTES.delete(
    "delete_budget_line",
    "Delete a budget line",
    "Delete a line entered by mistake; an approved one only by admin.",
    service.delete_line,
)
