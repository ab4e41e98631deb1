"""Plans and their tasks (the appendix table), with lead and coordinating parties, and
the kinds of a plan's items the other parts of a plan share: ``PlanItemKind`` (an item
found within its plan, audited as plan/key: indicators) and ``AssignmentKind`` (an item
with lead and coordinating parties: tasks, section V duties)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, col, delete, func, or_, select

from app.agencies.access import require_plan_reach, require_province
from app.agencies.models import Agency, AgencyGroup
from app.agencies.service import get_agency, group_membership_clause, require_agency
from app.audit.service import Trail, snapshot
from app.core import write_hooks
from app.core.concurrency import check_if_match
from app.core.errors import Conflict
from app.core.filters import searched
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import Record, delete_record, equal_to, insert_record, patch_record, where_all
from app.core.service import changes_of, invalid, or_not_found, patch_changes, refuse_nulls
from app.core.text import fold
from app.plans.models import DEFAULT_REPORT_CYCLE, Plan, Task, TaskParty
from app.plans.progress import TASK_PROGRESS, ProgressKind
from app.plans.schemas import (
    PartyRead,
    PartyRef,
    PlanCreate,
    PlanFilters,
    PlanRead,
    PlanUpdate,
    TaskCreate,
    TaskFilters,
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
    session: Session, *, page: PageParams, filters: PlanFilters
) -> tuple[list[Plan], str | None]:
    statement = searched(select(Plan), Plan.search_text, filters.q)
    return paginate(session, statement, Plan.id, page)


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


# --- tasks and duties -----------------------------------------------------------------


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


ItemT = TypeVar("ItemT", bound=SQLModel)
ReadT = TypeVar("ReadT", bound=BaseModel)


def _key_text(key: str | int) -> str:
    """An item's key as messages give it: a code quoted, a number as it is."""
    return f"'{key}'" if isinstance(key, str) else str(key)


@dataclass(frozen=True)
class PlanItemKind(Generic[ItemT]):
    """What the items of a plan (tasks, duties, indicators) share: one is found by its key
    within the plan and listed within it, written by keys that reach the plan at the
    version the client holds, and known in the audit trail as ``plan/key``. Messages name
    an item by its ``entity`` and key ("Plan 'x' has no task 3.")."""

    model: type[ItemT]
    key_column: str
    entity: str

    def get(self, session: Session, plan: Plan, key: str | int) -> ItemT:
        model: Any = self.model
        row: ItemT | None = session.exec(
            select(model).where(model.plan_id == plan.id, getattr(model, self.key_column) == key)
        ).first()
        return or_not_found(row, f"Plan '{plan.code}' has no {self.entity} {_key_text(key)}.")

    def list_in(
        self, session: Session, plan: Plan, page: PageParams, q: str | None, *filters: Any
    ) -> tuple[list[ItemT], str | None]:
        """One page of the plan's items that pass ``filters`` (None: no filter) and the
        text search ``q``."""
        model: Any = self.model
        statement = where_all(select(model).where(model.plan_id == plan.id), *filters)
        return paginate(session, searched(statement, model.search_text, q), model.id, page)

    def writable(
        self, session: Session, plan: Plan, key: str | int, actor: Principal, if_match: str | None
    ) -> ItemT:
        """The item a PATCH or DELETE is about, at the version the client holds."""
        require_plan_reach(actor, plan)
        row = self.get(session, plan, key)
        check_if_match(if_match, row)  # type: ignore[arg-type]
        return row

    def trail(self, plan: Plan) -> Trail:
        """How the plan's items of this kind show in the audit trail: as ``plan/key``."""
        return Trail(
            self.entity, entity_id=lambda row: f"{plan.code}/{getattr(row, self.key_column)}"
        )

    def recorder(self, session: Session, actor: Principal, plan: Plan) -> Record:
        """The audit of ``actor``'s changes to the plan's items of this kind."""
        return self.trail(plan).recorder(session, actor)


def _party_reads(rows: list[Any], role: str, names: dict[tuple[str, str], str]) -> list[PartyRead]:
    return [
        PartyRead(
            agency_code=p.agency_code,
            group_code=p.group_code,
            name=names.get(
                ("agency", p.agency_code) if p.agency_code else ("group", p.group_code or ""), ""
            ),
        )
        for p in rows
        if p.role == role
    ]


@dataclass(frozen=True)
class AssignmentKind(PlanItemKind[ItemT], Generic[ItemT, ReadT]):
    """A task or a section V duty: an item of the plan on a schedule, with its lead and
    coordinating parties (agencies or groups, rows of ``party_model``) and progress updates
    (``progress``, whose owner column the parties share). Its state in the audit trail
    holds its parties."""

    read_model: type[ReadT]
    party_model: type[SQLModel]
    progress: ProgressKind[Any]

    def parties(self, session: Session, ids: list[int]) -> dict[int, list[Any]]:
        """The party rows of each item, by role and position."""
        model: Any = self.party_model
        owner = col(getattr(model, self.progress.owner_column))
        found: dict[int, list[Any]] = {item_id: [] for item_id in ids}
        if ids:
            rows = session.exec(
                select(model)
                .where(owner.in_(ids))
                .order_by(owner, col(model.role), col(model.position))
            ).all()
            for row in rows:
                found[getattr(row, self.progress.owner_column)].append(row)
        return found

    def reads(self, session: Session, plan: Plan, rows: Sequence[ItemT]) -> list[ReadT]:
        """Read models for several items at once: three queries whatever their number."""
        items: list[Any] = list(rows)
        parties = self.parties(session, [item.id or 0 for item in items])
        names = party_names(session, [p for found in parties.values() for p in found])
        return [
            self.read_model.model_validate(
                {
                    **item.model_dump(),
                    "id": item.id or 0,
                    "plan_code": plan.code,
                    "leads": _party_reads(parties[item.id or 0], "lead", names),
                    "coordinators": _party_reads(parties[item.id or 0], "coordinating", names),
                }
            )
            for item in items
        ]

    def of_agency(
        self, session: Session, agency_code: str, role: str, province: str | None = None
    ) -> Any:
        """The list filter "``agency_code`` is a party in ``role``", itself or through a
        group it belongs to (by kind within ``province``, when given)."""
        agency = get_agency(session, agency_code)
        model: Any = self.party_model
        owners = select(getattr(model, self.progress.owner_column)).where(
            model.role == role,
            or_(
                model.agency_code == agency.code,
                col(model.group_code).in_(groups_of_agency(session, agency, province)),
            ),
        )
        return col(self.model.id).in_(owners)  # type: ignore[attr-defined]

    def _party_rows(self, row: ItemT) -> Any:
        """The clause "party rows of ``row``"."""
        owner = getattr(self.party_model, self.progress.owner_column)
        return col(owner) == row.id  # type: ignore[attr-defined]

    def set_parties(self, session: Session, row: ItemT, role: str, parties: list[PartyRef]) -> None:
        """The item's parties in ``role`` become ``parties``, in their order."""
        model: Any = self.party_model
        owner_id = row.id or 0  # type: ignore[attr-defined]
        session.exec(delete(model).where(self._party_rows(row), col(model.role) == role))
        for position, party in enumerate(parties):
            session.add(
                model(
                    **{self.progress.owner_column: owner_id},
                    role=role,
                    agency_code=party.agency_code,
                    group_code=party.group_code,
                    position=position,
                )
            )

    def snapshot(self, session: Session, plan: Plan, row: ItemT) -> dict[str, Any]:
        """The item's state in the audit trail: its columns and its parties."""
        read = self.reads(session, plan, [row])[0]
        parties = {
            key: [p.model_dump(exclude={"name"}) for p in getattr(read, key)] for _, key in ROLES
        }
        return {**snapshot(row), **parties}

    def trail(self, plan: Plan) -> Trail:
        """As every item's, its state holding its parties."""
        return replace(super().trail(plan), after=partial(self._after, plan))

    def _after(self, plan: Plan, session: Session, row: ItemT) -> dict[str, Any]:
        return self.snapshot(session, plan, row)

    def new_values(self, session: Session, payload: Any) -> dict[str, Any]:
        """A new item's columns (without its plan), its schedule and parties checked."""
        years = check_schedule(payload.schedule_kind, payload.schedule_years)
        for _, key in ROLES:
            check_parties(session, key, getattr(payload, key))
        values = payload.model_dump(mode="python", exclude={"leads", "coordinators"})
        return {**values, "schedule_years": years}

    def insert(
        self, session: Session, plan: Plan, row: ItemT, payload: Any, actor: Principal
    ) -> None:
        """Add a new item with the payload's parties, audited."""
        session.add(row)
        session.flush()
        for role, key in ROLES:
            self.set_parties(session, row, role, getattr(payload, key))
        self.recorder(session, actor, plan)(action="create", row=row, before=None)

    def _new_parties(self, session: Session, payload: Any) -> dict[str, list[PartyRef]]:
        """The parties a PATCH replaces, checked: a list may be emptied, not nulled."""
        found: dict[str, list[PartyRef]] = {}
        for _, key in ROLES:
            if key not in payload.model_fields_set:
                continue
            parties: list[PartyRef] | None = getattr(payload, key)
            if parties is None:
                raise invalid(["body", key], f"{key} may not be null", "null")
            check_parties(session, key, parties)
            found[key] = parties
        return found

    def patch(
        self,
        session: Session,
        plan: Plan,
        row: ItemT,
        changes: dict[str, Any],
        payload: Any,
        actor: Principal,
    ) -> bool:
        """Apply a PATCH: its column ``changes`` (the schedule checked as it will be) and
        the parties it gives; one audit event when anything changed."""
        item: Any = row
        if "schedule_kind" in changes or "schedule_years" in changes:
            changes["schedule_years"] = check_schedule(
                changes.get("schedule_kind", item.schedule_kind),
                changes.get("schedule_years", item.schedule_years),
            )
        new_parties = self._new_parties(session, payload)
        before = self.snapshot(session, plan, row)

        def replace_parties() -> bool:
            replaced = False
            for role, key in ROLES:
                wanted = [
                    {"agency_code": p.agency_code, "group_code": p.group_code}
                    for p in new_parties.get(key, [])
                ]
                if key in new_parties and wanted != before[key]:
                    self.set_parties(session, row, role, new_parties[key])
                    replaced = True
            return replaced

        record = self.recorder(session, actor, plan)
        return patch_record(
            session, row, changes, record, before=before, replace_parts=replace_parties
        )

    def delete(
        self, session: Session, plan: Plan, key: str | int, actor: Principal, if_match: str | None
    ) -> None:
        """Delete an item and its parties, audited; one with progress updates is kept
        (409): its updates go first."""
        row = self.writable(session, plan, key, actor, if_match)
        progress: Any = self.progress.model
        owner = getattr(progress, self.progress.owner_column)
        if session.exec(select(func.count()).where(owner == row.id)).one():  # type: ignore[attr-defined]
            raise Conflict(
                f"{self.progress.named(row)} of plan '{plan.code}' has progress updates; "
                "delete them first."
            )
        before = self.snapshot(session, plan, row)
        session.exec(delete(self.party_model).where(self._party_rows(row)))
        session.delete(row)
        self.recorder(session, actor, plan)(action="delete", row=row, before=before)


TASKS: AssignmentKind[Task, TaskRead] = AssignmentKind(
    model=Task,
    key_column="number",
    entity="task",
    read_model=TaskRead,
    party_model=TaskParty,
    progress=TASK_PROGRESS,
)


def get_task(session: Session, plan: Plan, number: int) -> Task:
    return TASKS.get(session, plan, number)


def to_task_reads(session: Session, plan: Plan, tasks: list[Task]) -> list[TaskRead]:
    return TASKS.reads(session, plan, tasks)


def to_task_read(session: Session, plan: Plan, task: Task) -> TaskRead:
    return TASKS.reads(session, plan, [task])[0]


def list_tasks(
    session: Session, *, plan: Plan, page: PageParams, filters: TaskFilters
) -> tuple[list[Task], str | None]:
    owned = None
    if filters.agency is not None:
        owned = TASKS.of_agency(session, filters.agency, filters.role.value, plan.province_code)
    return TASKS.list_in(
        session, plan, page, filters.q, owned, equal_to(Task.schedule_kind, filters.schedule_kind)
    )


def _number_taken(session: Session, plan: Plan, number: int) -> None:
    if session.exec(select(Task.id).where(Task.plan_id == plan.id, Task.number == number)).first():
        raise Conflict(f"Plan '{plan.code}' has a task {number} already.")


def create_task(session: Session, *, plan: Plan, payload: TaskCreate, actor: Principal) -> Task:
    require_plan_reach(actor, plan)
    _number_taken(session, plan, payload.number)
    task = Task.model_validate({**TASKS.new_values(session, payload), "plan_id": plan.id})
    TASKS.insert(session, plan, task, payload, actor)
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
    task = TASKS.writable(session, plan, number, actor, if_match)
    changes = patch_changes(payload, exclude={"leads", "coordinators"})
    if changes.get("number", number) != number:
        _number_taken(session, plan, changes["number"])
    TASKS.patch(session, plan, task, changes, payload, actor)
    return task


def delete_task(
    session: Session, *, plan: Plan, number: int, actor: Principal, if_match: str | None
) -> None:
    """A task with progress updates is kept (409): delete the updates first."""
    TASKS.delete(session, plan, number, actor, if_match)
