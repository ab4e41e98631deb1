"""Budget lines: estimates per agency, task and year; approval by the coordinator; totals."""

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.agencies.access import authorize_agency
from app.agencies.agency_records import agency_record_kind
from app.agencies.models import Agency
from app.audit.service import snapshot
from app.budget.models import BudgetLine
from app.budget.schemas import (
    AgencyBudget,
    BudgetApproval,
    BudgetLineCreate,
    BudgetLineFilters,
    BudgetLineRead,
    BudgetLineUpdate,
    BudgetTotal,
    BudgetTotals,
    DutyBudget,
    FundingBudget,
    TaskBudget,
)
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, Forbidden
from app.core.filters import search_clause
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import delete_record, equal_to, insert_record, where_all
from app.core.service import invalid, patch_changes, touch
from app.core.types import utcnow
from app.core.vocab import LABELS_VI, FundingSource
from app.duties.models import Duty
from app.plans.models import Plan, Task
from app.plans.service import get_plan, require_plan

KIND = agency_record_kind(BudgetLine, "budget line", "budget_line", missing="No budget line {id}.")


def to_line_read(session: Session, line: BudgetLine) -> BudgetLineRead:
    number: int | None = None
    duty_code: str | None = None
    if line.task_id is not None:
        plan_code, number = session.exec(
            select(Plan.code, Task.number)
            .join(Task, col(Task.plan_id) == col(Plan.id))
            .where(Task.id == line.task_id)
        ).one()
    else:
        plan_code, duty_code = session.exec(
            select(Plan.code, Duty.code)
            .join(Duty, col(Duty.plan_id) == col(Plan.id))
            .where(Duty.id == line.duty_id)
        ).one()
    return BudgetLineRead.model_validate(
        {**line.model_dump(), "plan_code": plan_code, "task_number": number, "duty_code": duty_code}
    )


def get_line(session: Session, line_id: int) -> BudgetLine:
    return KIND.get(session, line_id)


def _plan_tasks(plan_code: str) -> Any:
    return (
        select(Task.id).join(Plan, col(Plan.id) == col(Task.plan_id)).where(Plan.code == plan_code)
    )


def _plan_duties(plan_code: str) -> Any:
    return (
        select(Duty.id).join(Plan, col(Plan.id) == col(Duty.plan_id)).where(Plan.code == plan_code)
    )


def _of_plan(plan: Plan) -> Any:
    """The lines of a plan: its tasks' and its duties'."""
    return sa.or_(
        col(BudgetLine.task_id).in_(select(Task.id).where(Task.plan_id == plan.id)),
        col(BudgetLine.duty_id).in_(select(Duty.id).where(Duty.plan_id == plan.id)),
    )


def list_lines(
    session: Session, *, page: PageParams, filters: BudgetLineFilters
) -> tuple[list[BudgetLine], str | None]:
    of_plan = sa.or_(
        col(BudgetLine.task_id).in_(_plan_tasks(filters.plan or "")),
        col(BudgetLine.duty_id).in_(_plan_duties(filters.plan or "")),
    )
    of_task = select(Task.id).where(Task.number == filters.task)
    of_duty = select(Duty.id).where(Duty.code == filters.duty)
    statement = where_all(
        select(BudgetLine),
        None if filters.plan is None else of_plan,
        None if filters.task is None else col(BudgetLine.task_id).in_(of_task),
        None if filters.duty is None else col(BudgetLine.duty_id).in_(of_duty),
        equal_to(
            BudgetLine.funding_source,
            filters.funding_source.value if filters.funding_source else None,
        ),
        equal_to(BudgetLine.agency_code, filters.agency),
        equal_to(BudgetLine.year, filters.year),
        search_clause(BudgetLine.search_text, filters.q),
    )
    return paginate(session, statement, BudgetLine.id, page)


def _target(session: Session, plan: Plan, payload: BudgetLineCreate) -> dict[str, int | None]:
    """The task or duty the line is for, as the row's foreign keys."""
    if payload.duty_code is not None:
        duty = _id_in_plan(session, plan, Duty, "code", payload.duty_code, "duty_code", "duty")
        return {"task_id": None, "duty_id": duty}
    task = _id_in_plan(session, plan, Task, "number", payload.task_number, "task_number", "task")
    return {"task_id": task, "duty_id": None}


def _id_in_plan(
    session: Session, plan: Plan, model: Any, key_column: str, key: Any, field: str, what: str
) -> int:
    """The id of the plan's task (or duty) a body names in ``field``; 422 when none."""
    found = session.exec(
        select(model.id).where(model.plan_id == plan.id, getattr(model, key_column) == key)
    ).first()
    if found is None:
        raise invalid(["body", field], f"plan {plan.code} has no {what} {key}", "unknown_task")
    return int(found)


def create_line(session: Session, *, payload: BudgetLineCreate, actor: Principal) -> BudgetLine:
    plan = require_plan(session, payload.plan_code, loc=["body", "plan_code"])
    KIND.check_agency(session, actor, payload.agency_code)
    target = _target(session, plan, payload)
    if not plan.start_on.year <= payload.year <= plan.end_on.year:
        raise invalid(["body", "year"], f"year {payload.year} lies outside the plan", "range")
    duplicate = session.exec(
        select(BudgetLine.id).where(
            col(BudgetLine.task_id) == target["task_id"]
            if target["task_id"] is not None
            else col(BudgetLine.duty_id) == target["duty_id"],
            BudgetLine.agency_code == payload.agency_code,
            BudgetLine.year == payload.year,
            BudgetLine.funding_source == payload.funding_source,
        )
    ).first()
    if duplicate is not None:
        what = f"task {payload.task_number}" if payload.duty_code is None else payload.duty_code
        raise Conflict(
            f"'{payload.agency_code}' has a budget line for {what} in {payload.year} from "
            f"{payload.funding_source} already (id {duplicate}); PATCH it instead."
        )
    line = BudgetLine.model_validate(
        {**payload.model_dump(exclude={"plan_code", "task_number", "duty_code"}), **target}
    )
    insert_record(session, line, KIND.recorder(session, actor))
    return line


def update_line(
    session: Session,
    *,
    line_id: int,
    payload: BudgetLineUpdate,
    actor: Principal,
    if_match: str | None,
) -> BudgetLine:
    line = KIND.writable(session, line_id, actor, if_match)
    changes = patch_changes(payload)
    if (
        line.approved_vnd is not None
        and changes.get("estimate_vnd", line.estimate_vnd) != line.estimate_vnd
        and not actor.is_admin
    ):
        raise Conflict(
            f"Budget line {line_id} has been approved; ask the coordinator to change its estimate."
        )
    KIND.patch(session, line, changes, actor)
    return line


def approve_line(
    session: Session,
    *,
    line_id: int,
    payload: BudgetApproval,
    actor: Principal,
    if_match: str | None,
) -> BudgetLine:
    line = get_line(session, line_id)
    check_if_match(if_match, line)
    if not actor.is_admin:  # the router already requires admin; services stand alone
        raise Forbidden("Only the coordinator (an admin key) approves budget lines.")
    authorize_agency(session, actor, line.agency_code)  # a province admin: its province's
    before = snapshot(line)
    if line.approved_vnd != payload.approved_vnd:
        line.approved_vnd = payload.approved_vnd
        line.approved_at = utcnow()
        touch(line)
        session.add(line)
        KIND.recorder(session, actor)(action="approve", row=line, before=before)
    return line


def delete_line(session: Session, *, line_id: int, actor: Principal, if_match: str | None) -> None:
    line = KIND.writable(session, line_id, actor, if_match)
    if line.approved_vnd is not None and not actor.is_admin:
        raise Conflict(
            f"Budget line {line_id} has been approved; only the coordinator may delete it."
        )
    delete_record(session, line, KIND.recorder(session, actor))


Total = TypeVar("Total", bound=BudgetTotal)

_SUMS = (
    func.count(col(BudgetLine.id)),
    func.coalesce(func.sum(BudgetLine.estimate_vnd), 0),
    func.coalesce(func.sum(BudgetLine.approved_vnd), 0),
    func.coalesce(func.sum(BudgetLine.spent_vnd), 0),
)


def _total(model: type[Total], row: Any, **keys: Any) -> Total:
    """One row of sums (count, estimate, approved, spent) as ``model``, with its keys."""
    lines, estimate, approved, spent = row
    return model(
        lines=int(lines),
        estimate_vnd=int(estimate),
        approved_vnd=int(approved),
        spent_vnd=int(spent),
        **keys,
    )


def _by_task(session: Session, plan: Plan, year_clause: list[Any]) -> list[TaskBudget]:
    rows = session.exec(
        select(Task.number, Task.title, *_SUMS)  # type: ignore[call-overload]
        .join(
            BudgetLine, sa.and_(col(BudgetLine.task_id) == col(Task.id), *year_clause), isouter=True
        )
        .where(Task.plan_id == plan.id)
        .group_by(col(Task.number), col(Task.title))
        .order_by(col(Task.number))
    ).all()
    return [_total(TaskBudget, rest, task_number=n, title=t) for n, t, *rest in rows]


def _by_duty(session: Session, plan: Plan, year_clause: list[Any]) -> list[DutyBudget]:
    rows = session.exec(
        select(Duty.code, Duty.owner_text, Duty.text, Duty.position, *_SUMS)  # type: ignore[call-overload]
        .join(
            BudgetLine, sa.and_(col(BudgetLine.duty_id) == col(Duty.id), *year_clause), isouter=True
        )
        .where(Duty.plan_id == plan.id)
        .group_by(col(Duty.code), col(Duty.owner_text), col(Duty.text), col(Duty.position))
        .order_by(col(Duty.position), col(Duty.code))
    ).all()
    return [
        _total(DutyBudget, rest, duty_code=c, owner_text=o, text=t) for c, o, t, _, *rest in rows
    ]


def _by_funding(session: Session, where: list[Any]) -> list[FundingBudget]:
    found = {
        source: rest
        for source, *rest in session.exec(
            select(BudgetLine.funding_source, *_SUMS)  # type: ignore[call-overload]
            .where(*where)
            .group_by(col(BudgetLine.funding_source))
        ).all()
    }
    return [
        _total(
            FundingBudget,
            found.get(source.value, (0, 0, 0, 0)),
            funding_source=source,
            label_vi=LABELS_VI[FundingSource][source.value],
        )
        for source in FundingSource
    ]


def budget_totals(session: Session, *, plan_code: str, year: int | None) -> BudgetTotals:
    """Totals per task, duty, agency and funding source of a plan, for one year or every
    year: what Sở Tài chính compiles from the agencies' estimates."""
    plan = get_plan(session, plan_code)
    year_clause: list[Any] = [] if year is None else [BudgetLine.year == year]
    where = [_of_plan(plan), *year_clause]
    by_agency = session.exec(
        select(BudgetLine.agency_code, Agency.name, *_SUMS)  # type: ignore[call-overload]
        .join(Agency, col(Agency.code) == col(BudgetLine.agency_code))
        .where(*where)
        .group_by(col(BudgetLine.agency_code), col(Agency.name))
        .order_by(col(BudgetLine.agency_code))
    ).all()
    return BudgetTotals(
        plan_code=plan.code,
        year=year,
        total=_total(BudgetTotal, session.exec(select(*_SUMS).where(*where)).one()),
        by_task=_by_task(session, plan, year_clause),
        by_duty=_by_duty(session, plan, year_clause),
        by_agency=[
            _total(AgencyBudget, rest, agency_code=c, name=name) for c, name, *rest in by_agency
        ],
        by_funding_source=_by_funding(session, where),
    )
