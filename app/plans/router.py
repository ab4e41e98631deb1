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
from app.core.vocab import ProgressStatus, ScheduleKind, TaskRole
from app.plans import document, progress, service
from app.plans.models import Plan, Task
from app.plans.schemas import (
    PlanCreate,
    PlanDocument,
    PlanPage,
    PlanRead,
    PlanUpdate,
    ProgressCreate,
    ProgressPage,
    ProgressRead,
    ProgressUpdate,
    TaskCreate,
    TaskPage,
    TaskRead,
    TaskUpdate,
)

router = APIRouter(prefix="/plans", tags=["plans"])


PlanCode = Annotated[
    str,
    Path(
        max_length=80,
        description="The plan's code.",
        openapi_examples=seed_example("kh-209-2026", "Kế hoạch 209/KH-UBND"),
    ),
]
TaskNo = Annotated[
    int,
    Path(
        ge=1,
        le=2**31 - 1,
        description="The task's number in the appendix.",
        openapi_examples=seed_example(3, "Task 3 of Plan 209: the dedicated channels"),
    ),
]
ProgressId = Annotated[int, id_path("The update's id.")]


def _plan_task(session: Session, plan: str, number: int) -> tuple[Plan, Task]:
    row = service.get_plan(session, plan)
    return row, service.get_task(session, row, number)


# --- plans ----------------------------------------------------------------------------


@router.get("", response_model=PlanPage, summary="List plans", **LIST)
def list_plans(
    session: SessionDep, _reader: CatalogueReader, page: PageDep, q: SearchQuery = None
) -> PlanPage:
    """Plans the service tracks, such as Plan 209/KH-UBND (`kh-209-2026`)."""
    rows, next_cursor = service.list_plans(session, page=page, q=q)
    return PlanPage(items=[service.to_plan_read(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "",
    response_model=PlanRead,
    summary="Create a plan",
    **CREATED,
)
def create_plan(
    payload: PlanCreate, session: SessionDep, actor: Admin, response: Response
) -> PlanRead:
    """Add a plan (admin); its tasks and indicators are added under it afterwards."""
    plan = service.create_plan(session, payload=payload, actor=actor)
    return tagged(response, plan, service.to_plan_read(plan), location=f"/api/v1/plans/{plan.code}")


@router.get("/{plan}", response_model=PlanRead, summary="Get a plan", **READ)
def get_plan(
    plan: PlanCode, session: SessionDep, _reader: CatalogueReader, response: Response
) -> PlanRead:
    """One plan by its code, with the topics that make a record on-topic for it."""
    row = service.get_plan(session, plan)
    return tagged(response, row, service.to_plan_read(row))


@router.patch("/{plan}", response_model=PlanRead, summary="Update a plan", **UPDATE)
def update_plan(
    plan: PlanCode,
    payload: PlanUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> PlanRead:
    """Correct a plan's details (admin)."""
    row = service.update_plan(session, code=plan, payload=payload, actor=actor, if_match=if_match)
    return tagged(response, row, service.to_plan_read(row))


@router.delete(
    "/{plan}",
    summary="Delete a plan",
    **DELETED,
)
def delete_plan(
    plan: PlanCode, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete an empty plan (admin). A plan that still has tasks or indicators is refused
    with 409: delete those first."""
    service.delete_plan(session, code=plan, actor=actor, if_match=if_match)
    return no_content()


@router.get("/{plan}/document", response_model=PlanDocument, summary="Get the plan's text", **READ)
def get_plan_document(
    plan: PlanCode, session: SessionDep, _reader: CatalogueReader
) -> PlanDocument:
    """The plan's own text as sections of headings and paragraphs (purposes, requirements,
    targets, content and forms, funding, organisation), so that a portal can show the plan
    beside its status. `nq57 seed` loads kh-209-2026's from the published text; the tasks
    of the appendix are under `/tasks`, section V's duties under `/duties`."""
    return document.plan_document(session, plan=service.get_plan(session, plan))


# --- tasks ----------------------------------------------------------------------------


@router.get("/{plan}/tasks", response_model=TaskPage, summary="List tasks", **LIST)
def list_tasks(
    plan: PlanCode,
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
    agency: Annotated[
        Code | None,
        Query(
            description="Tasks this agency takes part in, directly or through a group it "
            "belongs to (e.g. a commune through `he-thong-ttcs`).",
            examples=["xa-bao-lam"],
        ),
    ] = None,
    role: Annotated[
        TaskRole,
        Query(description="With `agency`: as lead (chủ trì, default) or coordinating (phối hợp)."),
    ] = TaskRole.lead,
    schedule_kind: Annotated[ScheduleKind | None, Query()] = None,
    q: SearchQuery = None,
) -> TaskPage:
    """The plan's tasks (the appendix table), with lead and coordinating parties."""
    row = service.get_plan(session, plan)
    rows, next_cursor = service.list_tasks(
        session,
        plan=row,
        page=page,
        agency_code=agency,
        role=role.value,
        schedule_kind=schedule_kind.value if schedule_kind else None,
        q=q,
    )
    return TaskPage(items=service.to_task_reads(session, row, rows), next_cursor=next_cursor)


@router.post(
    "/{plan}/tasks",
    response_model=TaskRead,
    summary="Create a task",
    **CREATED,
)
def create_task(
    plan: PlanCode, payload: TaskCreate, session: SessionDep, actor: Admin, response: Response
) -> TaskRead:
    """Add a task to a plan (admin). `leads` and `coordinators` name agencies or groups."""
    row = service.get_plan(session, plan)
    task = service.create_task(session, plan=row, payload=payload, actor=actor)
    return tagged(
        response,
        task,
        service.to_task_read(session, row, task),
        location=f"/api/v1/plans/{row.code}/tasks/{task.number}",
    )


@router.get("/{plan}/tasks/{number}", response_model=TaskRead, summary="Get a task", **READ)
def get_task(
    plan: PlanCode,
    number: TaskNo,
    session: SessionDep,
    _reader: CatalogueReader,
    response: Response,
) -> TaskRead:
    """One task by its number in the plan's appendix."""
    row, task = _plan_task(session, plan, number)
    return tagged(response, task, service.to_task_read(session, row, task))


@router.patch(
    "/{plan}/tasks/{number}",
    response_model=TaskRead,
    summary="Update a task",
    **UPDATE,
)
def update_task(
    plan: PlanCode,
    number: TaskNo,
    payload: TaskUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """Correct a task (admin); `leads` or `coordinators` replace the whole list."""
    row = service.get_plan(session, plan)
    task = service.update_task(
        session, plan=row, number=number, payload=payload, actor=actor, if_match=if_match
    )
    return tagged(response, task, service.to_task_read(session, row, task))


@router.delete(
    "/{plan}/tasks/{number}",
    summary="Delete a task",
    **DELETED,
)
def delete_task(
    plan: PlanCode, number: TaskNo, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete a task (admin). One with progress updates is refused with 409."""
    row = service.get_plan(session, plan)
    service.delete_task(session, plan=row, number=number, actor=actor, if_match=if_match)
    return no_content()


# --- task progress --------------------------------------------------------------------


@router.get(
    "/{plan}/tasks/{number}/progress",
    response_model=ProgressPage,
    summary="List a task's progress updates",
    **LIST,
)
def list_task_progress(
    plan: PlanCode,
    number: TaskNo,
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
) -> ProgressPage:
    """Agencies' updates on a task, period by period."""
    row, task = _plan_task(session, plan, number)
    rows, next_cursor = progress.TASK_PROGRESS.list(
        session,
        owner=task,
        page=page,
        agency_code=agency,
        period=progress.query_period(period),
        status=status.value if status else None,
        q=q,
    )
    return ProgressPage(
        items=[progress.to_progress_read(row, task, r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/{plan}/tasks/{number}/progress",
    response_model=ProgressRead,
    summary="Report progress on a task",
    **CREATED,
)
def create_task_progress(
    plan: PlanCode,
    number: TaskNo,
    payload: ProgressCreate,
    session: SessionDep,
    actor: Writer,
    response: Response,
) -> ProgressRead:
    """An agency's update on a task for a period; one per (task, agency, period), so a
    second one is refused with 409 (PATCH the first)."""
    row, task = _plan_task(session, plan, number)
    created = progress.TASK_PROGRESS.create(
        session, plan=row, owner=task, payload=payload, actor=actor
    )
    return tagged(
        response,
        created,
        progress.to_progress_read(row, task, created),
        location=f"/api/v1/plans/{row.code}/tasks/{task.number}/progress/{created.id}",
    )


@router.get(
    "/{plan}/tasks/{number}/progress/{progress_id}",
    response_model=ProgressRead,
    summary="Get a progress update",
    **READ,
)
def get_task_progress(
    plan: PlanCode,
    number: TaskNo,
    progress_id: ProgressId,
    session: SessionDep,
    _reader: Reader,
    response: Response,
) -> ProgressRead:
    """One progress update by its id."""
    row, task = _plan_task(session, plan, number)
    found = progress.TASK_PROGRESS.get(session, task, progress_id)
    return tagged(response, found, progress.to_progress_read(row, task, found))


@router.patch(
    "/{plan}/tasks/{number}/progress/{progress_id}",
    response_model=ProgressRead,
    summary="Update a progress update",
    **UPDATE,
)
def update_task_progress(
    plan: PlanCode,
    number: TaskNo,
    progress_id: ProgressId,
    payload: ProgressUpdate,
    session: SessionDep,
    actor: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> ProgressRead:
    """Change the status, narrative or evidence of an update; `evidence` replaces the list."""
    row, task = _plan_task(session, plan, number)
    updated = progress.TASK_PROGRESS.update(
        session,
        plan=row,
        owner=task,
        progress_id=progress_id,
        payload=payload,
        actor=actor,
        if_match=if_match,
    )
    return tagged(response, updated, progress.to_progress_read(row, task, updated))


@router.delete(
    "/{plan}/tasks/{number}/progress/{progress_id}",
    summary="Delete a progress update",
    **DELETED,
)
def delete_task_progress(
    plan: PlanCode,
    number: TaskNo,
    progress_id: ProgressId,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch = None,
) -> Response:
    """Delete an update entered by mistake (its agency's key, or admin)."""
    _, task = _plan_task(session, plan, number)
    progress.TASK_PROGRESS.delete(
        session, owner=task, progress_id=progress_id, actor=actor, if_match=if_match
    )
    return no_content()
