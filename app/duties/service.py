"""Section V duties: the plan's assignments outside the appendix, with their owners.

Services flush; the request commits once (``SessionDep``)."""

from typing import Any

from sqlmodel import Session, col, delete, func, or_, select

from app.agencies.access import require_plan_reach
from app.agencies.service import get_agency
from app.audit.service import record_change, snapshot
from app.core.concurrency import check_if_match
from app.core.errors import Conflict
from app.core.filters import searched
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.service import apply_changes, changes_of, invalid, or_not_found, refuse_nulls, touch
from app.duties.models import Duty, DutyParty, DutyProgress
from app.duties.schemas import DutyCreate, DutyRead, DutyUpdate
from app.plans.models import Plan
from app.plans.schemas import PartyRead, PartyRef
from app.plans.service import (
    ROLES,
    check_parties,
    check_schedule,
    groups_of_agency,
    party_names,
)

_REQUIRED = ("section", "owner_text", "text", "schedule_kind", "schedule_years")


def get_duty(session: Session, plan: Plan, code: str) -> Duty:
    duty = session.exec(select(Duty).where(Duty.plan_id == plan.id, Duty.code == code)).first()
    return or_not_found(duty, f"Plan '{plan.code}' has no duty '{code}'.")


def plan_duties(session: Session, plan: Plan) -> list[Duty]:
    """Every duty of a plan, in the plan's order."""
    return list(
        session.exec(
            select(Duty).where(Duty.plan_id == plan.id).order_by(col(Duty.position), col(Duty.id))
        ).all()
    )


def duty_parties(session: Session, duty_ids: list[int]) -> dict[int, list[DutyParty]]:
    by_duty: dict[int, list[DutyParty]] = {duty_id: [] for duty_id in duty_ids}
    if duty_ids:
        rows = session.exec(
            select(DutyParty)
            .where(col(DutyParty.duty_id).in_(duty_ids))
            .order_by(col(DutyParty.duty_id), col(DutyParty.role), col(DutyParty.position))
        ).all()
        for row in rows:
            by_duty[row.duty_id].append(row)
    return by_duty


def _shape(rows: list[DutyParty], role: str, names: dict[tuple[str, str], str]) -> list[PartyRead]:
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


def to_duty_reads(session: Session, plan: Plan, duties: list[Duty]) -> list[DutyRead]:
    """Read models for several duties at once: three queries whatever their number."""
    parties = duty_parties(session, [d.id or 0 for d in duties])
    names = party_names(session, [p for rows in parties.values() for p in rows])
    return [
        DutyRead.model_validate(
            {
                **duty.model_dump(exclude={"plan_id", "search_text", "version"}),
                "id": duty.id or 0,
                "plan_code": plan.code,
                "leads": _shape(parties[duty.id or 0], "lead", names),
                "coordinators": _shape(parties[duty.id or 0], "coordinating", names),
            }
        )
        for duty in duties
    ]


def list_duties(
    session: Session,
    *,
    plan: Plan,
    page: PageParams,
    agency_code: str | None = None,
    role: str = "lead",
    section: str | None = None,
    q: str | None = None,
) -> tuple[list[Duty], str | None]:
    statement = select(Duty).where(Duty.plan_id == plan.id)
    if agency_code is not None:
        agency = get_agency(session, agency_code)
        owned = select(DutyParty.duty_id).where(
            DutyParty.role == role,
            or_(
                DutyParty.agency_code == agency.code,
                col(DutyParty.group_code).in_(groups_of_agency(session, agency)),
            ),
        )
        statement = statement.where(col(Duty.id).in_(owned))
    if section is not None:
        statement = statement.where(Duty.section == section)
    return paginate(session, searched(statement, Duty.search_text, q), Duty.id, page)


def set_duty_parties(session: Session, duty: Duty, role: str, parties: list[PartyRef]) -> None:
    session.exec(
        delete(DutyParty).where(col(DutyParty.duty_id) == duty.id, col(DutyParty.role) == role)
    )
    for position, party in enumerate(parties):
        session.add(
            DutyParty(
                duty_id=duty.id or 0,
                role=role,
                agency_code=party.agency_code,
                group_code=party.group_code,
                position=position,
            )
        )


def _snapshot(session: Session, plan: Plan, duty: Duty) -> dict[str, Any]:
    read = to_duty_reads(session, plan, [duty])[0]
    parties = {
        key: [p.model_dump(exclude={"name"}) for p in getattr(read, key)] for _, key in ROLES
    }
    return {**snapshot(duty), **parties}


def _audit(
    session: Session,
    actor: Principal,
    action: str,
    plan: Plan,
    duty: Duty,
    *,
    before: dict[str, Any] | None,
) -> None:
    """A duty is known as plan/code, and its snapshot holds its parties."""
    record_change(
        session,
        actor=actor,
        action=action,
        entity="duty",
        row=duty,
        before=before,
        entity_id=f"{plan.code}/{duty.code}",
        after_of=lambda: _snapshot(session, plan, duty),
    )


def create_duty(session: Session, *, plan: Plan, payload: DutyCreate, actor: Principal) -> Duty:
    require_plan_reach(actor, plan)
    if session.exec(
        select(Duty.id).where(Duty.plan_id == plan.id, Duty.code == payload.code)
    ).first():
        raise Conflict(f"Plan '{plan.code}' has a duty '{payload.code}' already.")
    years = check_schedule(payload.schedule_kind, payload.schedule_years)
    for _, key in ROLES:
        check_parties(session, key, getattr(payload, key))
    last = session.exec(select(func.max(Duty.position)).where(Duty.plan_id == plan.id)).one()
    values = payload.model_dump(mode="python", exclude={"leads", "coordinators"})
    duty = Duty.model_validate(
        {**values, "schedule_years": years, "plan_id": plan.id, "position": (last or 0) + 1}
    )
    session.add(duty)
    session.flush()
    for role, key in ROLES:
        set_duty_parties(session, duty, role, getattr(payload, key))
    _audit(session, actor, "create", plan, duty, before=None)
    return duty


def _new_parties(session: Session, payload: DutyUpdate) -> dict[str, list[PartyRef]]:
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


def update_duty(
    session: Session,
    *,
    plan: Plan,
    code: str,
    payload: DutyUpdate,
    actor: Principal,
    if_match: str | None,
) -> Duty:
    require_plan_reach(actor, plan)
    duty = get_duty(session, plan, code)
    check_if_match(if_match, duty)
    changes = changes_of(payload, exclude={"leads", "coordinators"})
    refuse_nulls(changes, _REQUIRED)
    if "schedule_kind" in changes or "schedule_years" in changes:
        changes["schedule_years"] = check_schedule(
            changes.get("schedule_kind", duty.schedule_kind),
            changes.get("schedule_years", duty.schedule_years),
        )
    new_parties = _new_parties(session, payload)
    before = _snapshot(session, plan, duty)
    changed = apply_changes(duty, changes)
    for role, key in ROLES:
        wanted = [
            {"agency_code": p.agency_code, "group_code": p.group_code}
            for p in new_parties.get(key, [])
        ]
        if key in new_parties and wanted != before[key]:
            set_duty_parties(session, duty, role, new_parties[key])
            if not changed:
                touch(duty)
            changed = True
    if changed:
        session.add(duty)
        _audit(session, actor, "update", plan, duty, before=before)
    return duty


def delete_duty(
    session: Session, *, plan: Plan, code: str, actor: Principal, if_match: str | None
) -> None:
    """A duty with progress updates is kept (409): delete the updates first."""
    require_plan_reach(actor, plan)
    duty = get_duty(session, plan, code)
    check_if_match(if_match, duty)
    if session.exec(select(func.count()).where(DutyProgress.duty_id == duty.id)).one():
        raise Conflict(
            f"Duty '{code}' of plan '{plan.code}' has progress updates; delete them first."
        )
    before = _snapshot(session, plan, duty)
    session.exec(delete(DutyParty).where(col(DutyParty.duty_id) == duty.id))
    session.delete(duty)
    _audit(session, actor, "delete", plan, duty, before=before)
