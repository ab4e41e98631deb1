"""The indicator catalogue: a plan's targets and, as data, the measures that evaluate them.

This module keeps the rows (the status engine that evaluates them is app/status). Writes
flush and tell the status side through app/core/write_hooks.py; the request commits.
"""

from typing import Any

from sqlmodel import Session, col, select

from app.agencies.access import require_plan_reach
from app.agencies.models import AgencyGroup
from app.audit.service import record_change, snapshot
from app.core import write_hooks
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, InvalidInput
from app.core.filters import searched
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.service import apply_changes, changes_of, or_not_found, refuse_nulls
from app.indicators.measures import dump_measure, groups_of, validate_measure
from app.indicators.models import Indicator
from app.indicators.schemas import IndicatorCreate, IndicatorRead, IndicatorUpdate
from app.plans.models import Plan


def to_indicator_read(plan: Plan, indicator: Indicator) -> IndicatorRead:
    """The row as the API shows it: its fields, with the plan's code for the plan's id."""
    return IndicatorRead.model_validate(
        {**indicator.model_dump(), "id": indicator.id or 0, "plan_code": plan.code}
    )


def get_indicator(session: Session, plan: Plan, code: str) -> Indicator:
    indicator = session.exec(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code)
    ).first()
    return or_not_found(indicator, f"Plan '{plan.code}' has no indicator '{code}'.")


def list_indicators(
    session: Session,
    *,
    plan: Plan,
    page: PageParams,
    target_year: int | None = None,
    window: str | None = None,
    q: str | None = None,
) -> tuple[list[Indicator], str | None]:
    statement = select(Indicator).where(Indicator.plan_id == plan.id)
    if target_year is not None:
        statement = statement.where(Indicator.target_year == target_year)
    if window is not None:
        statement = statement.where(Indicator.window == window)
    return paginate(session, searched(statement, Indicator.search_text, q), Indicator.id, page)


def check_measure(session: Session, measure: dict[str, Any]) -> None:
    """The measure's shape (422 with the exact place) and that every group it names exists."""
    validate_measure(measure)
    named = groups_of(measure)
    known = set(
        session.exec(select(AgencyGroup.code).where(col(AgencyGroup.code).in_(named))).all()
    )
    missing = [code for code in named if code not in known]
    if missing:
        raise InvalidInput(
            f"The measure names unknown agency groups: {', '.join(missing)}.",
            errors=[
                {
                    "loc": ["body", "measure", "groups" if "groups" in measure else "group"],
                    "msg": f"unknown agency group '{code}'",
                    "type": "unknown_group",
                }
                for code in missing
            ],
        )


def _catalogue_changed(
    session: Session,
    *,
    plan: Plan,
    indicator: Indicator,
    action: str,
    actor: Principal,
    before: dict[str, Any] | None,
) -> None:
    """Audit a change to ``indicator`` and tell the status side the measures changed;
    the request commits."""
    record_change(
        session,
        actor=actor,
        action=action,
        entity="indicator",
        row=indicator,
        before=before,
        entity_id=f"{plan.code}/{indicator.code}",
    )
    write_hooks.catalogue_changed(session)


def create_indicator(
    session: Session, *, plan: Plan, payload: IndicatorCreate, actor: Principal
) -> Indicator:
    require_plan_reach(actor, plan)
    taken = session.exec(
        select(Indicator.id).where(Indicator.plan_id == plan.id, Indicator.code == payload.code)
    ).first()
    if taken is not None:
        raise Conflict(f"Plan '{plan.code}' has an indicator '{payload.code}' already.")
    measure = dump_measure(payload.measure)
    check_measure(session, measure)
    indicator = Indicator.model_validate(
        {**payload.model_dump(mode="python"), "measure": measure, "plan_id": plan.id}
    )
    session.add(indicator)
    _catalogue_changed(
        session, plan=plan, indicator=indicator, action="create", actor=actor, before=None
    )
    return indicator


def update_indicator(
    session: Session,
    *,
    plan: Plan,
    code: str,
    payload: IndicatorUpdate,
    actor: Principal,
    if_match: str | None,
) -> Indicator:
    require_plan_reach(actor, plan)
    indicator = get_indicator(session, plan, code)
    check_if_match(if_match, indicator)
    changes = changes_of(payload)
    refuse_nulls(changes, IndicatorUpdate.contract_not_null)
    if payload.measure is not None:
        changes["measure"] = dump_measure(payload.measure)
        check_measure(session, changes["measure"])
    before = snapshot(indicator)
    if apply_changes(indicator, changes):
        session.add(indicator)
        _catalogue_changed(
            session, plan=plan, indicator=indicator, action="update", actor=actor, before=before
        )
    return indicator


def delete_indicator(
    session: Session, *, plan: Plan, code: str, actor: Principal, if_match: str | None
) -> None:
    require_plan_reach(actor, plan)
    indicator = get_indicator(session, plan, code)
    check_if_match(if_match, indicator)
    before = snapshot(indicator)
    session.delete(indicator)
    _catalogue_changed(
        session, plan=plan, indicator=indicator, action="delete", actor=actor, before=before
    )
