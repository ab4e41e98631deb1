from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlmodel import Session

from app.core.access import Admin, Reader
from app.core.concurrency import IfMatch, set_etag
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS, WRITE_ERRORS
from app.core.filters import AgencyFilter, FromDate, SearchQuery, ToDate
from app.core.pagination import PageDep
from app.core.types import MAX_ID
from app.reports import requests as service
from app.reports.context import get_request
from app.reports.models import ReportRequest
from app.reports.schemas import RequestCreate, RequestPage, RequestRead, RequestUpdate

router = APIRouter(prefix="/report-requests", tags=["report requests"])

RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's id.")]


def _answer(session: Session, response: Response, request: ReportRequest) -> RequestRead:
    """A request as the write and read routes answer it, with its ETag."""
    set_etag(response, request)
    return service.to_request_read(session, request)


@router.get(
    "", response_model=RequestPage, summary="List ad-hoc report requests", responses=READ_ERRORS
)
def list_report_requests(
    session: SessionDep,
    _reader: Reader,
    page: PageDep,
    plan: Annotated[str | None, Query(max_length=80, description="Plan code.")] = None,
    agency: AgencyFilter = None,
    from_: FromDate = None,
    to: ToDate = None,
    q: SearchQuery = None,
) -> RequestPage:
    """Ad-hoc (đột xuất) requests; `agency` keeps those asking that agency, `from`/`to`
    filter by deadline."""
    rows, next_cursor = service.list_requests(
        session, page=page, plan_code=plan, agency_code=agency, due_from=from_, due_to=to, q=q
    )
    return RequestPage(
        items=[service.to_request_read(session, r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "",
    response_model=RequestRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an ad-hoc report request",
    responses=WRITE_ERRORS,
)
def create_report_request(
    payload: RequestCreate, session: SessionDep, actor: Admin, response: Response
) -> RequestRead:
    """Ask agencies (and the members of groups) for a report on a data window by a deadline
    (admin). A deadline on a day off moves to the next working day."""
    request = service.create_request(session, payload=payload, actor=actor)
    response.headers["Location"] = f"/api/v1/report-requests/{request.id}"
    return _answer(session, response, request)


@router.get(
    "/{request_id:int}",
    response_model=RequestRead,
    summary="Get an ad-hoc report request",
    responses=READ_ERRORS,
)
def get_report_request(
    request_id: RequestId, session: SessionDep, _reader: Reader, response: Response
) -> RequestRead:
    """One request with the agencies it asks."""
    request = get_request(session, request_id)
    return _answer(session, response, request)


@router.patch(
    "/{request_id:int}",
    response_model=RequestRead,
    summary="Update an ad-hoc report request",
    responses=WRITE_ERRORS,
)
def update_report_request(
    request_id: RequestId,
    payload: RequestUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> RequestRead:
    """Change the title, the deadline or the agencies asked (admin); the window is fixed once
    an agency has filed."""
    request = service.update_request(
        session, request_id=request_id, payload=payload, actor=actor, if_match=if_match
    )
    return _answer(session, response, request)


@router.delete(
    "/{request_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an ad-hoc report request",
    responses=WRITE_ERRORS,
)
def delete_report_request(
    request_id: RequestId, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete a request no agency has answered yet (admin)."""
    service.delete_request(session, request_id=request_id, actor=actor, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
