from typing import Annotated

from fastapi import APIRouter
from sqlmodel import Session

from app.core.access import Admin, CatalogueReader
from app.core.db import SessionDep
from app.core.item_routes import ItemRoutes, Key, from_row
from app.core.routes import READ
from app.core.seeded_params import seeded_path
from app.plans import document, progress, schemas, service
from app.plans.dependencies import PlanCode, plan_key, plan_part_routes
from app.plans.models import Task
from app.plans.progress_routes import ProgressRoutes

router = APIRouter(prefix="/plans", tags=["plans"])


TaskNo = Annotated[
    int,
    seeded_path(
        "The task's number in the appendix.",
        3,
        "Task 3 of Plan 209: the dedicated channels",
        ge=1,
        le=2**31 - 1,
    ),
]


def _plan_key(plan: PlanCode) -> Key:
    """The plan a route's path names, as the plan service takes it."""
    return {"code": plan}


def _task_owner(session: Session, key: Key) -> Key:
    """The task a progress route's path names, with its plan's row."""
    row = service.get_plan(session, key["plan"])
    return {"plan": row, "owner": service.get_task(session, row, key["number"])}


def _task_read(session: Session, task: Task, key: Key) -> schemas.TaskRead:
    return service.to_task_read(session, key["plan"], task)


# --- plans ----------------------------------------------------------------------------


PLAN_ROUTES = ItemRoutes(
    router,
    "/{plan}",
    _plan_key,
    schemas.PlanRead,
    present=from_row(service.to_plan_read),
    reader=CatalogueReader,
    writer=Admin,
)

PLAN_ROUTES.list(
    "list_plans",
    "List plans",
    "Plans the service tracks, such as Plan 209/KH-UBND (`kh-209-2026`).",
    schemas.PlanFilters,
    service.list_plans,
    schemas.PlanPage,
)

PLAN_ROUTES.create(
    "create_plan",
    "Create a plan",
    "Add a plan (admin); its tasks and indicators are added under it afterwards.",
    schemas.PlanCreate,
    service.create_plan,
    "/api/v1/plans/{row.code}",
)

PLAN_ROUTES.read(
    "get_plan",
    "Get a plan",
    "One plan by its code, with the topics that make a record on-topic for it.",
    service.get_plan,
)

PLAN_ROUTES.change(
    "update_plan",
    "Update a plan",
    "Correct a plan's details (admin).",
    schemas.PlanUpdate,
    service.update_plan,
)

PLAN_ROUTES.delete(
    "delete_plan",
    "Delete a plan",
    """Delete an empty plan (admin). A plan that still has tasks or indicators is refused
    with 409: delete those first.""",
    service.delete_plan,
)


@router.get(
    "/{plan}/document", response_model=schemas.PlanDocument, summary="Get the plan's text", **READ
)
def get_plan_document(
    plan: PlanCode, session: SessionDep, _reader: CatalogueReader
) -> schemas.PlanDocument:
    """The plan's own text as sections of headings and paragraphs (purposes, requirements,
    targets, content and forms, funding, organisation), so that a portal can show the plan
    beside its status. `nq57 seed` loads kh-209-2026's from the published text; the tasks
    of the appendix are under `/tasks`, section V's duties under `/duties`."""
    return document.plan_document(session, plan=service.get_plan(session, plan))


# --- tasks ----------------------------------------------------------------------------


def _task_reads(session: Session, tasks: list[Task], key: Key) -> list[schemas.TaskRead]:
    return service.to_task_reads(session, key["plan"], tasks)


TASK_ROUTES = plan_part_routes(
    router, "/{plan}/tasks/{number}", schemas.TaskRead, _task_read, number=TaskNo
)

TASK_ROUTES.list(
    "list_tasks",
    "List tasks",
    "The plan's tasks (the appendix table), with lead and coordinating parties.",
    schemas.TaskFilters,
    service.list_tasks,
    schemas.TaskPage,
    key=plan_key,
    present_page=_task_reads,
)

TASK_ROUTES.create(
    "create_task",
    "Create a task",
    "Add a task to a plan (admin). `leads` and `coordinators` name agencies or groups.",
    schemas.TaskCreate,
    service.create_task,
    "/api/v1/plans/{plan.code}/tasks/{row.number}",
    key=plan_key,
)

TASK_ROUTES.read(
    "get_task",
    "Get a task",
    "One task by its number in the plan's appendix.",
    service.get_task,
)

TASK_ROUTES.change(
    "update_task",
    "Update a task",
    "Correct a task (admin); `leads` or `coordinators` replace the whole list.",
    schemas.TaskUpdate,
    service.update_task,
)

TASK_ROUTES.delete(
    "delete_task",
    "Delete a task",
    "Delete a task (admin). One with progress updates is refused with 409.",
    service.delete_task,
)


# --- task progress --------------------------------------------------------------------

ProgressRoutes(
    router,
    "/{plan}/tasks/{number}",
    {"plan": PlanCode, "number": TaskNo},
    _task_owner,
    progress.TASK_PROGRESS,
    schemas.ProgressPage,
    schemas.ProgressRead,
    progress.to_progress_read,
    owner_noun="task",
    update_noun="progress update",
    location="/api/v1/plans/{plan.code}/tasks/{owner.number}/progress/{row.id}",
).add()
