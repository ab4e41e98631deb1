"""Section V duties under their plan: /plans/{plan}/duties. The request commits once
(``SessionDep``)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from app.agencies.schemas import Code
from app.core.access import Admin, CatalogueReader, Reader, Writer
from app.core.concurrency import IfMatch
from app.core.db import SessionDep
from app.core.filters import AgencyFilter, SearchQuery
from app.core.openapi import seed_example
from app.core.pagination import PageDep
from app.core.periods import PERIOD_PATTERN
from app.core.routes import CREATED, DELETED, LIST, READ, UPDATE, id_path, no_content, tagged
from app.core.vocab import ProgressStatus, TaskRole
from app.duties import progress, service
from app.duties.models import Duty
from app.duties.schemas import (
    DUTY_CODE_PATTERN,
    DutyCreate,
    DutyPage,
    DutyProgressPage,
    DutyProgressRead,
    DutyRead,
    DutyUpdate,
)
from app.plans.models import Plan
from app.plans.progress import query_period
from app.plans.router import PlanCode
from app.plans.schemas import ProgressCreate, ProgressUpdate
from app.plans.service import get_plan

router = APIRouter(prefix="/plans/{plan}/duties", tags=["duties"])

DutyCodePath = Annotated[
    str,
    Path(
        max_length=20,
        pattern=DUTY_CODE_PATTERN,
        description="The duty's code, e.g. `V.5.4` (section V.5, fourth item).",
        openapi_examples=seed_example(
            "V.5.4", "Báo và PT-TH Cao Bằng: phản bác thông tin sai trái"
        ),
    ),
]
ProgressId = Annotated[int, id_path("The update's id.")]


def _plan_duty(session: Session, plan: str, code: str) -> tuple[Plan, Duty]:
    row = get_plan(session, plan)
    return row, service.get_duty(session, row, code)


@router.get("", response_model=DutyPage, summary="List duties", **LIST)
def list_duties(
    plan: PlanCode,
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
    agency: Annotated[
        Code | None,
        Query(
            description="Duties this agency takes part in, directly or through a group it "
            "belongs to (e.g. `tinh-doan` through `mttq-doan-the`).",
            examples=["tinh-doan"],
        ),
    ] = None,
    role: Annotated[
        TaskRole, Query(description="With `agency`: as owner (default) or coordinating.")
    ] = TaskRole.lead,
    section: Annotated[
        str | None, Query(max_length=20, description="A heading, e.g. `V.2`.", examples=["V.2"])
    ] = None,
    q: SearchQuery = None,
) -> DutyPage:
    """The assignments of the plan's section V (Tổ chức thực hiện), verbatim, with their
    owners (agencies or groups) and coordinators, in the plan's order."""
    row = get_plan(session, plan)
    rows, next_cursor = service.list_duties(
        session, plan=row, page=page, agency_code=agency, role=role.value, section=section, q=q
    )
    return DutyPage(items=service.to_duty_reads(session, row, rows), next_cursor=next_cursor)


@router.post(
    "",
    response_model=DutyRead,
    summary="Create a duty",
    **CREATED,
)
def create_duty(
    plan: PlanCode, payload: DutyCreate, session: SessionDep, actor: Admin, response: Response
) -> DutyRead:
    """Add a duty (admin), e.g. from an amendment of the plan."""
    row = get_plan(session, plan)
    duty = service.create_duty(session, plan=row, payload=payload, actor=actor)
    return tagged(
        response,
        duty,
        service.to_duty_reads(session, row, [duty])[0],
        location=f"/api/v1/plans/{row.code}/duties/{duty.code}",
    )


@router.get("/{code}", response_model=DutyRead, summary="Get a duty", **READ)
def get_duty(
    plan: PlanCode,
    code: DutyCodePath,
    session: SessionDep,
    _reader: CatalogueReader,
    response: Response,
) -> DutyRead:
    """One duty by its code."""
    row, duty = _plan_duty(session, plan, code)
    return tagged(response, duty, service.to_duty_reads(session, row, [duty])[0])


@router.patch("/{code}", response_model=DutyRead, summary="Update a duty", **UPDATE)
def update_duty(
    plan: PlanCode,
    code: DutyCodePath,
    payload: DutyUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> DutyRead:
    """Correct a duty (admin); `leads` or `coordinators` replace the whole list."""
    row = get_plan(session, plan)
    duty = service.update_duty(
        session, plan=row, code=code, payload=payload, actor=actor, if_match=if_match
    )
    return tagged(response, duty, service.to_duty_reads(session, row, [duty])[0])


@router.delete(
    "/{code}",
    summary="Delete a duty",
    **DELETED,
)
def delete_duty(
    plan: PlanCode, code: DutyCodePath, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete a duty (admin). One with progress updates or budget lines is refused (409)."""
    row = get_plan(session, plan)
    service.delete_duty(session, plan=row, code=code, actor=actor, if_match=if_match)
    return no_content()


# --- progress -------------------------------------------------------------------------


@router.get(
    "/{code}/progress",
    response_model=DutyProgressPage,
    summary="List a duty's progress updates",
    **LIST,
)
def list_duty_progress(
    plan: PlanCode,
    code: DutyCodePath,
    session: SessionDep,
    _reader: Reader,
    page: PageDep,
    agency: AgencyFilter = None,
    period: Annotated[
        str | None,
        Query(
            max_length=10,
            pattern=PERIOD_PATTERN,
            description="Updates whose period lies inside this one: `2026` also finds "
            "`2026-H1`, `2026-Q2`, `2026-03`.",
            examples=["2026"],
        ),
    ] = None,
    status: Annotated[ProgressStatus | None, Query()] = None,
    q: SearchQuery = None,
) -> DutyProgressPage:
    """Agencies' updates on a duty, period by period."""
    row, duty = _plan_duty(session, plan, code)
    rows, next_cursor = progress.DUTY_PROGRESS.list(
        session,
        owner=duty,
        page=page,
        agency_code=agency,
        period=query_period(period),
        status=status.value if status else None,
        q=q,
    )
    return DutyProgressPage(
        items=[progress.to_duty_progress_read(row, duty, r) for r in rows],
        next_cursor=next_cursor,
    )


@router.post(
    "/{code}/progress",
    response_model=DutyProgressRead,
    summary="Report progress on a duty",
    **CREATED,
)
def create_duty_progress(
    plan: PlanCode,
    code: DutyCodePath,
    payload: ProgressCreate,
    session: SessionDep,
    actor: Writer,
    response: Response,
) -> DutyProgressRead:
    """An agency's update on a duty for a period; one per (duty, agency, period), so a
    second one is refused with 409 (PATCH the first)."""
    row, duty = _plan_duty(session, plan, code)
    created = progress.DUTY_PROGRESS.create(
        session, plan=row, owner=duty, payload=payload, actor=actor
    )
    return tagged(
        response,
        created,
        progress.to_duty_progress_read(row, duty, created),
        location=f"/api/v1/plans/{row.code}/duties/{duty.code}/progress/{created.id}",
    )


@router.get(
    "/{code}/progress/{progress_id}",
    response_model=DutyProgressRead,
    summary="Get a duty progress update",
    **READ,
)
def get_duty_progress(
    plan: PlanCode,
    code: DutyCodePath,
    progress_id: ProgressId,
    session: SessionDep,
    _reader: Reader,
    response: Response,
) -> DutyProgressRead:
    """One progress update by its id."""
    row, duty = _plan_duty(session, plan, code)
    found = progress.DUTY_PROGRESS.get(session, duty, progress_id)
    return tagged(response, found, progress.to_duty_progress_read(row, duty, found))


@router.patch(
    "/{code}/progress/{progress_id}",
    response_model=DutyProgressRead,
    summary="Update a duty progress update",
    **UPDATE,
)
def update_duty_progress(
    plan: PlanCode,
    code: DutyCodePath,
    progress_id: ProgressId,
    payload: ProgressUpdate,
    session: SessionDep,
    actor: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> DutyProgressRead:
    """Change the status, narrative or evidence of an update; `evidence` replaces the list."""
    row, duty = _plan_duty(session, plan, code)
    updated = progress.DUTY_PROGRESS.update(
        session,
        plan=row,
        owner=duty,
        progress_id=progress_id,
        payload=payload,
        actor=actor,
        if_match=if_match,
    )
    return tagged(response, updated, progress.to_duty_progress_read(row, duty, updated))


@router.delete(
    "/{code}/progress/{progress_id}",
    summary="Delete a duty progress update",
    **DELETED,
)
def delete_duty_progress(
    plan: PlanCode,
    code: DutyCodePath,
    progress_id: ProgressId,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch = None,
) -> Response:
    """Delete an update entered by mistake (its agency's key, or admin)."""
    duty = _plan_duty(session, plan, code)[1]
    progress.DUTY_PROGRESS.delete(
        session, owner=duty, progress_id=progress_id, actor=actor, if_match=if_match
    )
    return no_content()
