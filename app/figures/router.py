from typing import Annotated

from fastapi import APIRouter

from app.core.access import Reader, Writer
from app.core.item_routes import ItemRoutes, from_row, path_key
from app.core.push_api import answer_outcome, outcome_header, push_route
from app.core.routes import id_path
from app.figures import service
from app.figures.schemas import FigureCreate, FigureFilters, FigurePage, FigureRead, FigureUpdate

router = APIRouter(prefix="/figures", tags=["figures"])

FigureId = Annotated[int, id_path("The figure's id.")]
PUSH_HEADERS = outcome_header("`created`, `updated` (the value was replaced) or `unchanged`.")


ROUTES = ItemRoutes(
    router,
    "/{figure_id}",
    path_key(figure_id=FigureId),
    FigureRead,
    present=from_row(service.to_figure_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_figures",
    "List figures",
    """Reported numbers (staff, staff briefed, digital-team members, population…).

    `from`/`to` keep the figures whose period overlaps the range.""",
    FigureFilters,
    service.list_figures,
    FigurePage,
)

ROUTES.push(
    "create_figure",
    "Report a figure (create or replace)",
    """Report the value of a metric for an agency and a period. There is one value per
    (metric, agency, period): posting it again with another value replaces it (200,
    `Push-Outcome: updated`; the audit trail keeps the old value), with the same content
    changes nothing (200, `unchanged`).""",
    FigureCreate,
    service.push_figure,
    "/api/v1/figures/{row.id}",
    options=push_route(
        FigureRead,
        created="A new figure.",
        known="The figure existed: its value was replaced, or it was unchanged.",
        headers=PUSH_HEADERS,
    ),
    answer=answer_outcome,
)

ROUTES.read(
    "get_figure",
    "Get a figure",
    "One figure by id.",
    service.get_figure,
)

ROUTES.change(
    "update_figure",
    "Correct a figure",
    "Change the value or the note; the audit trail keeps the old value.",
    FigureUpdate,
    service.update_figure,
)

ROUTES.delete(
    "delete_figure",
    "Delete a figure",
    "Delete a figure reported by mistake (the audit trail keeps it).",
    service.delete_figure,
)
