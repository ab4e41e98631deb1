from typing import Annotated

from fastapi import APIRouter, Response
from sqlmodel import Session

from app.core.access import Admin, Reader
from app.core.concurrency import set_etag
from app.core.item_routes import ItemRoutes, from_session_row, path_key
from app.core.routes import id_path
from app.reports import requests as service
from app.reports import schemas
from app.reports.context import get_request
from app.reports.models import ReportRequest

router = APIRouter(prefix="/report-requests", tags=["report requests"])

RequestId = Annotated[int, id_path("The request's id.")]


def _answer(session: Session, response: Response, request: ReportRequest) -> schemas.RequestRead:
    """A request as the write and read routes answer it, with its ETag."""
    set_etag(response, request)
    return service.to_request_read(session, request)


ROUTES = ItemRoutes(
    router,
    "/{request_id:int}",
    path_key(request_id=RequestId),
    schemas.RequestRead,
    present=from_session_row(service.to_request_read),
    reader=Reader,
    writer=Admin,
)

ROUTES.list(
    "list_report_requests",
    "List ad-hoc report requests",
    """Ad-hoc (đột xuất) requests; `agency` keeps those asking that agency, `from`/`to`
    filter by deadline.""",
    schemas.RequestFilters,
    service.list_requests,
    schemas.RequestPage,
)

ROUTES.create(
    "create_report_request",
    "Create an ad-hoc report request",
    """Ask agencies (and the members of groups) for a report on a data window by a deadline
    (admin). A deadline on a day off moves to the next working day.""",
    schemas.RequestCreate,
    service.create_request,
    "/api/v1/report-requests/{row.id}",
)

ROUTES.read(
    "get_report_request",
    "Get an ad-hoc report request",
    "One request with the agencies it asks.",
    get_request,
)

ROUTES.change(
    "update_report_request",
    "Update an ad-hoc report request",
    """Change the title, the deadline or the agencies asked (admin); the window is fixed once
    an agency has filed.""",
    schemas.RequestUpdate,
    service.update_request,
)

ROUTES.delete(
    "delete_report_request",
    "Delete an ad-hoc report request",
    "Delete a request no agency has answered yet (admin).",
    service.delete_request,
)
