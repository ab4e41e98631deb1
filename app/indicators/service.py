"""The indicator catalogue: a plan's targets and, as data, the measures that evaluate them.

The status engine lives beside this module (``status_*``); this one only keeps the rows.
"""

from typing import Any

from sqlmodel import Session, col, select

from app.agencies.models import AgencyGroup
from app.audit.service import record_event, snapshot
from app.auth.scope import require_plan_reach
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.filters import search_clause
from app.core.pagination import PageParams, paginate
from app.core.security import Principal
from app.core.service import apply_changes, changes_of
from app.indicators import tallies
from app.indicators.measures import dump_measure, groups_of, validate_measure
from app.indicators.models import Indicator
from app.indicators.schemas import IndicatorCreate, IndicatorRead, IndicatorUpdate
from app.plans.models import Plan

_REQUIRED = (
    "position",
    "title",
    "target_year",
    "target_value",
    "baseline_value",
    "comparator",
    "unit",
    "window",
    "measure",
)


def to_indicator_read(plan: Plan, indicator: Indicator) -> IndicatorRead:
    return IndicatorRead(
        id=indicator.id or 0,
        plan_code=plan.code,
        code=indicator.code,
        position=indicator.position,
        title=indicator.title,
        description=indicator.description,
        target_year=indicator.target_year,
        target_value=indicator.target_value,
        baseline_value=indicator.baseline_value,
        comparator=indicator.comparator,  # type: ignore[arg-type]
        unit=indicator.unit,
        window=indicator.window,  # type: ignore[arg-type]
        measure=indicator.measure,
        created_at=indicator.created_at,
        updated_at=indicator.updated_at,
    )


def get_indicator(session: Session, plan: Plan, code: str) -> Indicator:
    indicator = session.exec(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code)
    ).first()
    if indicator is None:
        raise NotFound(f"Plan '{plan.code}' has no indicator '{code}'.")
    return indicator


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
    clause = search_clause(Indicator.search_text, q)
    if clause is not None:
        statement = statement.where(clause)
    return paginate(session, statement, Indicator.id, page)


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
    session.flush()
    record_event(
        session,
        actor=actor,
        action="create",
        entity="indicator",
        entity_id=f"{plan.code}/{indicator.code}",
        before=None,
        after=snapshot(indicator),
    )
    tallies.sync_filters(session)
    session.commit()
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
    for name in _REQUIRED:
        if name in changes and changes[name] is None:
            raise InvalidInput(
                f"{name} cannot be null.",
                errors=[{"loc": ["body", name], "msg": "may not be null", "type": "null"}],
            )
    if payload.measure is not None:
        changes["measure"] = dump_measure(payload.measure)
        check_measure(session, changes["measure"])
    before = snapshot(indicator)
    if apply_changes(indicator, changes):
        session.add(indicator)
        record_event(
            session,
            actor=actor,
            action="update",
            entity="indicator",
            entity_id=f"{plan.code}/{code}",
            before=before,
            after=snapshot(indicator),
        )
        tallies.sync_filters(session)
        session.commit()
    return indicator


def delete_indicator(
    session: Session, *, plan: Plan, code: str, actor: Principal, if_match: str | None
) -> None:
    require_plan_reach(actor, plan)
    indicator = get_indicator(session, plan, code)
    check_if_match(if_match, indicator)
    before = snapshot(indicator)
    session.delete(indicator)
    record_event(
        session,
        actor=actor,
        action="delete",
        entity="indicator",
        entity_id=f"{plan.code}/{code}",
        before=before,
        after=None,
    )
    session.flush()
    tallies.sync_filters(session)
    session.commit()
