"""Section V duties under their plan: /plans/{plan}/duties. The request commits once
(``SessionDep``)."""

from typing import Annotated

from fastapi import APIRouter
from sqlmodel import Session

from app.core.item_routes import Key
from app.core.seeded_params import seeded_path
from app.duties import progress, schemas, service
from app.duties.models import Duty
from app.plans.dependencies import PlanCode, plan_key, plan_part_routes
from app.plans.progress_routes import ProgressRoutes
from app.plans.service import get_plan

router = APIRouter(prefix="/plans/{plan}/duties", tags=["duties"])

DutyCodePath = Annotated[
    str,
    seeded_path(
        "The duty's code, e.g. `V.5.4` (section V.5, fourth item).",
        "V.5.4",
        "Báo và PT-TH Cao Bằng: phản bác thông tin sai trái",
        max_length=20,
        pattern=schemas.DUTY_CODE_PATTERN,
    ),
]


def _duty_read(session: Session, duty: Duty, key: Key) -> schemas.DutyRead:
    return service.to_duty_reads(session, key["plan"], [duty])[0]


def _duty_owner(session: Session, key: Key) -> Key:
    """The duty a progress route's path names, with its plan's row."""
    row = get_plan(session, key["plan"])
    return {"plan": row, "owner": service.get_duty(session, row, key["code"])}


def _duty_reads(session: Session, duties: list[Duty], key: Key) -> list[schemas.DutyRead]:
    return service.to_duty_reads(session, key["plan"], duties)


DUTY_ROUTES = plan_part_routes(router, "/{code}", schemas.DutyRead, _duty_read, code=DutyCodePath)

DUTY_ROUTES.list(
    "list_duties",
    "List duties",
    """The assignments of the plan's section V (Tổ chức thực hiện), verbatim, with their
    owners (agencies or groups) and coordinators, in the plan's order.""",
    schemas.DutyFilters,
    service.list_duties,
    schemas.DutyPage,
    key=plan_key,
    present_page=_duty_reads,
)

DUTY_ROUTES.create(
    "create_duty",
    "Create a duty",
    "Add a duty (admin), e.g. from an amendment of the plan.",
    schemas.DutyCreate,
    service.create_duty,
    "/api/v1/plans/{plan.code}/duties/{row.code}",
    key=plan_key,
)

DUTY_ROUTES.read(
    "get_duty",
    "Get a duty",
    "One duty by its code.",
    service.get_duty,
)

DUTY_ROUTES.change(
    "update_duty",
    "Update a duty",
    "Correct a duty (admin); `leads` or `coordinators` replace the whole list.",
    schemas.DutyUpdate,
    service.update_duty,
)

DUTY_ROUTES.delete(
    "delete_duty",
    "Delete a duty",
    "Delete a duty (admin). One with progress updates or budget lines is refused (409).",
    service.delete_duty,
)


# --- progress -------------------------------------------------------------------------

ProgressRoutes(
    router,
    "/{code}",
    {"plan": PlanCode, "code": DutyCodePath},
    _duty_owner,
    progress.DUTY_PROGRESS,
    schemas.DutyProgressPage,
    schemas.DutyProgressRead,
    progress.to_duty_progress_read,
    owner_noun="duty",
    update_noun="duty progress update",
    location="/api/v1/plans/{plan.code}/duties/{owner.code}/progress/{row.id}",
).add()
