"""Section V duties: the plan's assignments outside the appendix, with their owners.

Services flush; the request commits once (``SessionDep``)."""

from sqlmodel import Session, col, func, select

from app.agencies.access import require_plan_reach
from app.core.errors import Conflict
from app.core.pagination import PageParams
from app.core.principal import Principal
from app.core.records import equal_to
from app.core.service import patch_changes
from app.duties.models import Duty, DutyParty
from app.duties.progress import DUTY_PROGRESS
from app.duties.schemas import DutyCreate, DutyFilters, DutyRead, DutyUpdate
from app.plans.models import Plan
from app.plans.service import AssignmentKind

# Duties work as tasks do (app.plans.service.AssignmentKind), known by their code.
DUTIES: AssignmentKind[Duty, DutyRead] = AssignmentKind(
    model=Duty,
    key_column="code",
    entity="duty",
    read_model=DutyRead,
    party_model=DutyParty,
    progress=DUTY_PROGRESS,
)


def get_duty(session: Session, plan: Plan, code: str) -> Duty:
    return DUTIES.get(session, plan, code)


def plan_duties(session: Session, plan: Plan) -> list[Duty]:
    """Every duty of a plan, in the plan's order."""
    return list(
        session.exec(
            select(Duty).where(Duty.plan_id == plan.id).order_by(col(Duty.position), col(Duty.id))
        ).all()
    )


def to_duty_reads(session: Session, plan: Plan, duties: list[Duty]) -> list[DutyRead]:
    """Read models for several duties at once: three queries whatever their number."""
    return DUTIES.reads(session, plan, duties)


def list_duties(
    session: Session, *, plan: Plan, page: PageParams, filters: DutyFilters
) -> tuple[list[Duty], str | None]:
    # Groups by their kinds in every province, as duties have always been listed.
    agency = filters.agency
    owned = None if agency is None else DUTIES.of_agency(session, agency, filters.role.value)
    section = equal_to(Duty.section, filters.section)
    return DUTIES.list_in(session, plan, page, filters.q, owned, section)


def create_duty(session: Session, *, plan: Plan, payload: DutyCreate, actor: Principal) -> Duty:
    require_plan_reach(actor, plan)
    if session.exec(
        select(Duty.id).where(Duty.plan_id == plan.id, Duty.code == payload.code)
    ).first():
        raise Conflict(f"Plan '{plan.code}' has a duty '{payload.code}' already.")
    values = DUTIES.new_values(session, payload)
    last = session.exec(select(func.max(Duty.position)).where(Duty.plan_id == plan.id)).one()
    duty = Duty.model_validate({**values, "plan_id": plan.id, "position": (last or 0) + 1})
    DUTIES.insert(session, plan, duty, payload, actor)
    return duty


def update_duty(
    session: Session,
    *,
    plan: Plan,
    code: str,
    payload: DutyUpdate,
    actor: Principal,
    if_match: str | None,
) -> Duty:
    duty = DUTIES.writable(session, plan, code, actor, if_match)
    changes = patch_changes(payload, exclude={"leads", "coordinators"})
    DUTIES.patch(session, plan, duty, changes, payload, actor)
    return duty


def delete_duty(
    session: Session, *, plan: Plan, code: str, actor: Principal, if_match: str | None
) -> None:
    """A duty with progress updates is kept (409): delete the updates first."""
    DUTIES.delete(session, plan, code, actor, if_match)
