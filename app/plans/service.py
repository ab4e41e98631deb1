"""Plans and their tasks (the appendix table), with lead and coordinating parties."""

from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, or_, select

from app.agencies.access import require_plan_reach, require_province
from app.agencies.models import Agency, AgencyGroup
from app.agencies.service import get_agency, group_membership_clause, require_agency
from app.audit.service import Trail, record_change, snapshot
from app.core import write_hooks
from app.core.concurrency import check_if_match
from app.core.errors import Conflict
from app.core.filters import searched
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import delete_record, insert_record, patch_record
from app.core.service import apply_changes, changes_of, invalid, or_not_found, refuse_nulls, touch
from app.core.text import fold
from app.plans.models import DEFAULT_REPORT_CYCLE, Plan, Task, TaskParty, TaskProgress
from app.plans.schemas import (
    PartyRead,
    PartyRef,
    PlanCreate,
    PlanRead,
    PlanUpdate,
    TaskCreate,
    TaskRead,
    TaskUpdate,
)

ROLES = (("lead", "leads"), ("coordinating", "coordinators"))
# A plan's indicators, by their table: the indicators import plans, so plans name the
# table rather than import the indicators' model.
_INDICATOR = sa.table("indicator", sa.column("plan_id"))


# --- plans ----------------------------------------------------------------------------

_PLAN_REQUIRED = tuple(PlanUpdate.model_fields)  # every column of a plan is required
PLAN_TRAIL = Trail("plan", entity_id=lambda row: row.code)  # a plan is known by its code


def to_plan_read(plan: Plan) -> PlanRead:
    return PlanRead.model_validate(plan, from_attributes=True)


def get_plan(session: Session, code: str) -> Plan:
    plan = session.exec(select(Plan).where(Plan.code == code)).first()
    return or_not_found(plan, f"No plan with code '{code}'.")


def require_plan(session: Session, code: str, *, loc: list[str | int]) -> Plan:
    """The plan a payload names: an unknown code is invalid input at ``loc``, not a 404."""
    plan = session.exec(select(Plan).where(Plan.code == code)).first()
    if plan is None:
        raise invalid(loc, f"unknown plan '{code}'", "unknown_plan")
    return plan


def list_plans(
    session: Session, *, page: PageParams, q: str | None = None
) -> tuple[list[Plan], str | None]:
    statement = select(Plan)
    return paginate(session, searched(statement, Plan.search_text, q), Plan.id, page)


def _normalise_plan(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("report_cycle") is not None:
        # The regime's order, one of each.
        values["report_cycle"] = [k for k in DEFAULT_REPORT_CYCLE if k in values["report_cycle"]]
    if values.get("on_topic_topics") is not None:
        values["on_topic_topics"] = sorted({str(t) for t in values["on_topic_topics"]})
    if values.get("feed_keywords") is not None:
        # The order given, one of each phrase (as folded: "Chuyển đổi số" = "chuyen doi so").
        kept: dict[str, str] = {}
        for keyword in values["feed_keywords"]:
            kept.setdefault(fold(keyword), keyword)
        values["feed_keywords"] = list(kept.values())
    return values


def create_plan(session: Session, *, payload: PlanCreate, actor: Principal) -> Plan:
    if session.exec(select(Plan.id).where(Plan.code == payload.code)).first() is not None:
        raise Conflict(f"A plan with code '{payload.code}' exists already.")
    require_agency(session, payload.issuer_code, loc=["body", "issuer_code"])
    coordinator = require_agency(
        session, payload.coordinator_code, loc=["body", "coordinator_code"]
    )
    values = _normalise_plan(payload.model_dump(mode="python"))
    if payload.province_code is None:  # a plan names its province: its coordinator's
        values["province_code"] = coordinator.province_code
    require_province(actor, values["province_code"], f"Plan '{payload.code}'")
    plan = Plan.model_validate(values)
    insert_record(session, plan, PLAN_TRAIL.recorder(session, actor))
    return plan


def update_plan(
    session: Session, *, code: str, payload: PlanUpdate, actor: Principal, if_match: str | None
) -> Plan:
    plan = get_plan(session, code)
    require_plan_reach(actor, plan)
    check_if_match(if_match, plan)
    changes = _normalise_plan(changes_of(payload))
    if "province_code" in changes:
        require_province(actor, changes["province_code"], f"Plan '{code}'")
    refuse_nulls(changes, _PLAN_REQUIRED)
    for field in ("issuer_code", "coordinator_code"):
        if field in changes:
            require_agency(session, changes[field], loc=["body", field])
    if changes.get("start_on", plan.start_on) > changes.get("end_on", plan.end_on):
        raise invalid(["body", "end_on"], "end_on must not be before start_on", "range")
    changed = patch_record(session, plan, changes, PLAN_TRAIL.recorder(session, actor))
    if changed and "on_topic_topics" in changes:
        write_hooks.catalogue_changed(session)
    return plan


def delete_plan(session: Session, *, code: str, actor: Principal, if_match: str | None) -> None:
    """Only an empty plan goes: tasks and indicators are deleted one by one first, so that
    a mistaken call cannot take a whole plan's history with it."""
    plan = get_plan(session, code)
    require_plan_reach(actor, plan)
    check_if_match(if_match, plan)
    tasks = session.exec(select(func.count()).where(Task.plan_id == plan.id)).one()
    indicators = session.exec(select(func.count()).where(_INDICATOR.c.plan_id == plan.id)).one()
    if tasks or indicators:
        raise Conflict(
            f"Plan '{code}' still has {tasks} task(s) and {indicators} indicator(s); "
            "delete them first."
        )
    delete_record(session, plan, PLAN_TRAIL.recorder(session, actor))


# --- tasks ----------------------------------------------------------------------------


def get_task(session: Session, plan: Plan, number: int) -> Task:
    task = session.exec(select(Task).where(Task.plan_id == plan.id, Task.number == number)).first()
    return or_not_found(task, f"Plan '{plan.code}' has no task {number}.")


def _parties(session: Session, task_ids: list[int]) -> dict[int, list[TaskParty]]:
    by_task: dict[int, list[TaskParty]] = {task_id: [] for task_id in task_ids}
    if task_ids:
        rows = session.exec(
            select(TaskParty)
            .where(col(TaskParty.task_id).in_(task_ids))
            .order_by(col(TaskParty.task_id), col(TaskParty.role), col(TaskParty.position))
        ).all()
        for row in rows:
            by_task[row.task_id].append(row)
    return by_task


class PartyLike(Protocol):
    """A task's or a duty's party row."""

    @property
    def agency_code(self) -> str | None: ...

    @property
    def group_code(self) -> str | None: ...


def party_names(session: Session, parties: Sequence[PartyLike]) -> dict[tuple[str, str], str]:
    agencies = {p.agency_code for p in parties if p.agency_code}
    groups = {p.group_code for p in parties if p.group_code}
    names: dict[tuple[str, str], str] = {}
    if agencies:
        for code, name in session.exec(
            select(Agency.code, Agency.name).where(col(Agency.code).in_(agencies))
        ).all():
            names[("agency", code)] = name
    if groups:
        for code, name in session.exec(
            select(AgencyGroup.code, AgencyGroup.name).where(col(AgencyGroup.code).in_(groups))
        ).all():
            names[("group", code)] = name
    return names


def to_task_reads(session: Session, plan: Plan, tasks: list[Task]) -> list[TaskRead]:
    """Read models for several tasks at once: three queries whatever their number."""
    parties = _parties(session, [t.id or 0 for t in tasks])
    names = party_names(session, [p for rows in parties.values() for p in rows])

    def shape(rows: list[TaskParty], role: str) -> list[PartyRead]:
        return [
            PartyRead(
                agency_code=p.agency_code,
                group_code=p.group_code,
                name=names.get(
                    ("agency", p.agency_code) if p.agency_code else ("group", p.group_code or ""),
                    "",
                ),
            )
            for p in rows
            if p.role == role
        ]

    reads = []
    for task in tasks:
        rows = parties[task.id or 0]
        reads.append(
            TaskRead(
                id=task.id or 0,
                plan_code=plan.code,
                number=task.number,
                title=task.title,
                schedule_kind=task.schedule_kind,
                schedule_years=task.schedule_years,
                deadline_text=task.deadline_text,
                lead_text=task.lead_text,
                coordinating_text=task.coordinating_text,
                leads=shape(rows, "lead"),
                coordinators=shape(rows, "coordinating"),
                created_at=task.created_at,
                updated_at=task.updated_at,
            )
        )
    return reads


def to_task_read(session: Session, plan: Plan, task: Task) -> TaskRead:
    return to_task_reads(session, plan, [task])[0]


def groups_of_agency(session: Session, agency: Agency, province: str | None = None) -> list[str]:
    """Codes of the groups the agency belongs to (by kind within ``province``, the
    plan's, or explicitly)."""
    groups = session.exec(select(AgencyGroup).order_by(col(AgencyGroup.code))).all()
    return [
        group.code
        for group in groups
        if session.exec(
            select(Agency.id).where(
                Agency.id == agency.id, group_membership_clause(session, group, province)
            )
        ).first()
        is not None
    ]


def list_tasks(
    session: Session,
    *,
    plan: Plan,
    page: PageParams,
    agency_code: str | None = None,
    role: str = "lead",
    schedule_kind: str | None = None,
    q: str | None = None,
) -> tuple[list[Task], str | None]:
    statement = select(Task).where(Task.plan_id == plan.id)
    if agency_code is not None:
        agency = get_agency(session, agency_code)
        parties = select(TaskParty.task_id).where(
            TaskParty.role == role,
            or_(
                TaskParty.agency_code == agency.code,
                col(TaskParty.group_code).in_(
                    groups_of_agency(session, agency, plan.province_code)
                ),
            ),
        )
        statement = statement.where(col(Task.id).in_(parties))
    if schedule_kind is not None:
        statement = statement.where(Task.schedule_kind == schedule_kind)
    return paginate(session, searched(statement, Task.search_text, q), Task.id, page)


def check_schedule(kind: str, years: list[int]) -> list[int]:
    years = sorted(set(years))
    expected = {"recurring": (0, 0), "years": (1, 31), "from_year_recurring": (1, 1)}[kind]
    if not expected[0] <= len(years) <= expected[1]:
        wanted = {
            "recurring": "no years",
            "years": "at least one year",
            "from_year_recurring": "exactly one year (the first)",
        }[kind]
        raise invalid(
            ["body", "schedule_years"], f"schedule_kind '{kind}' takes {wanted}", "schedule"
        )
    return years


def check_parties(session: Session, key: str, parties: list[PartyRef]) -> None:
    seen: set[tuple[str | None, str | None]] = set()
    for index, party in enumerate(parties):
        if party.agency_code is not None:
            require_agency(session, party.agency_code, loc=["body", key, index, "agency_code"])
        elif (
            session.exec(select(AgencyGroup.id).where(AgencyGroup.code == party.group_code)).first()
            is None
        ):
            raise invalid(
                ["body", key, index, "group_code"],
                f"unknown agency group '{party.group_code}'",
                "unknown_group",
            )
        if (party.agency_code, party.group_code) in seen:
            raise invalid(["body", key, index], "the same party is listed twice", "duplicate")
        seen.add((party.agency_code, party.group_code))


def _set_parties(session: Session, task: Task, role: str, parties: list[PartyRef]) -> None:
    session.exec(
        delete(TaskParty).where(col(TaskParty.task_id) == task.id, col(TaskParty.role) == role)
    )
    for position, party in enumerate(parties):
        session.add(
            TaskParty(
                task_id=task.id or 0,
                role=role,
                agency_code=party.agency_code,
                group_code=party.group_code,
                position=position,
            )
        )


def _task_snapshot(session: Session, plan: Plan, task: Task) -> dict[str, Any]:
    read = to_task_read(session, plan, task)
    parties = {
        key: [p.model_dump(exclude={"name"}) for p in getattr(read, key)] for _, key in ROLES
    }
    return {**snapshot(task), **parties}


def _audit_task(
    session: Session,
    actor: Principal,
    action: str,
    plan: Plan,
    task: Task,
    *,
    before: dict[str, Any] | None,
) -> None:
    """A task is known as plan/number, and its snapshot holds its parties."""
    record_change(
        session,
        actor=actor,
        action=action,
        entity="task",
        row=task,
        before=before,
        entity_id=f"{plan.code}/{task.number}",
        after_of=lambda: _task_snapshot(session, plan, task),
    )


def _number_taken(session: Session, plan: Plan, number: int) -> None:
    if session.exec(select(Task.id).where(Task.plan_id == plan.id, Task.number == number)).first():
        raise Conflict(f"Plan '{plan.code}' has a task {number} already.")


def create_task(session: Session, *, plan: Plan, payload: TaskCreate, actor: Principal) -> Task:
    require_plan_reach(actor, plan)
    _number_taken(session, plan, payload.number)
    years = check_schedule(payload.schedule_kind, payload.schedule_years)
    for _, key in ROLES:
        check_parties(session, key, getattr(payload, key))
    values = payload.model_dump(mode="python", exclude={"leads", "coordinators"})
    task = Task.model_validate({**values, "schedule_years": years, "plan_id": plan.id})
    session.add(task)
    session.flush()
    for role, key in ROLES:
        _set_parties(session, task, role, getattr(payload, key))
    _audit_task(session, actor, "create", plan, task, before=None)
    return task


def update_task(
    session: Session,
    *,
    plan: Plan,
    number: int,
    payload: TaskUpdate,
    actor: Principal,
    if_match: str | None,
) -> Task:
    require_plan_reach(actor, plan)
    task = get_task(session, plan, number)
    check_if_match(if_match, task)
    changes = changes_of(payload, exclude={"leads", "coordinators"})
    refuse_nulls(changes, ("number", "title", "schedule_kind", "schedule_years", "deadline_text"))
    if changes.get("number", number) != number:
        _number_taken(session, plan, changes["number"])
    if "schedule_kind" in changes or "schedule_years" in changes:
        changes["schedule_years"] = check_schedule(
            changes.get("schedule_kind", task.schedule_kind),
            changes.get("schedule_years", task.schedule_years),
        )
    new_parties: dict[str, list[PartyRef]] = {}
    for _, key in ROLES:
        if key not in payload.model_fields_set:
            continue
        parties: list[PartyRef] | None = getattr(payload, key)
        if parties is None:
            raise invalid(["body", key], f"{key} may not be null", "null")
        check_parties(session, key, parties)
        new_parties[key] = parties
    before = _task_snapshot(session, plan, task)
    changed = apply_changes(task, changes)
    for role, key in ROLES:
        if key not in new_parties:
            continue
        wanted = [
            {"agency_code": p.agency_code, "group_code": p.group_code} for p in new_parties[key]
        ]
        if wanted != before[key]:
            _set_parties(session, task, role, new_parties[key])
            if not changed:
                touch(task)
            changed = True
    if changed:
        session.add(task)
        _audit_task(session, actor, "update", plan, task, before=before)
    return task


def delete_task(
    session: Session, *, plan: Plan, number: int, actor: Principal, if_match: str | None
) -> None:
    """A task with progress updates is kept (409): delete the updates first."""
    require_plan_reach(actor, plan)
    task = get_task(session, plan, number)
    check_if_match(if_match, task)
    if session.exec(select(func.count()).where(TaskProgress.task_id == task.id)).one():
        raise Conflict(
            f"Task {number} of plan '{plan.code}' has progress updates; delete them first."
        )
    before = _task_snapshot(session, plan, task)
    session.exec(delete(TaskParty).where(col(TaskParty.task_id) == task.id))
    session.delete(task)
    _audit_task(session, actor, "delete", plan, task, before=before)
