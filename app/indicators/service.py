"""The indicator catalogue: a plan's targets and, as data, the measures that evaluate them.

This module keeps the rows (the status engine that evaluates them is app/status). Writes
flush and tell the status side through app/core/write_hooks.py; the request commits.
"""

from typing import Any

from sqlmodel import Session, col, select

from app.agencies.access import require_plan_reach
from app.agencies.models import AgencyGroup
from app.core import write_hooks
from app.core.errors import Conflict, InvalidInput
from app.core.pagination import PageParams
from app.core.principal import Principal
from app.core.records import Record, delete_record, equal_to, insert_record, patch_record
from app.core.service import patch_changes
from app.indicators.measures import dump_measure, groups_of, validate_measure
from app.indicators.models import Indicator
from app.indicators.schemas import IndicatorCreate, IndicatorFilters, IndicatorRead, IndicatorUpdate
from app.plans.models import Plan
from app.plans.service import PlanItemKind


def to_indicator_read(plan: Plan, indicator: Indicator) -> IndicatorRead:
    """The row as the API shows it: its fields, with the plan's code for the plan's id."""
    return IndicatorRead.model_validate(
        {**indicator.model_dump(), "id": indicator.id or 0, "plan_code": plan.code}
    )


INDICATORS = PlanItemKind(
    model=Indicator,
    key_column="code",
    entity="indicator",
)


def get_indicator(session: Session, plan: Plan, code: str) -> Indicator:
    return INDICATORS.get(session, plan, code)


def list_indicators(
    session: Session, *, plan: Plan, page: PageParams, filters: IndicatorFilters
) -> tuple[list[Indicator], str | None]:
    return INDICATORS.list_in(
        session,
        plan,
        page,
        filters.q,
        equal_to(Indicator.target_year, filters.target_year),
        equal_to(Indicator.window, filters.window.value if filters.window else None),
    )


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


def _catalogue_changed(session: Session, actor: Principal, plan: Plan) -> Record:
    """The audit of a change to one of the plan's indicators, which also tells the status
    side the measures changed; the request commits."""

    audit = INDICATORS.recorder(session, actor, plan)

    def record(*, action: str, row: Any, before: dict[str, Any] | None) -> None:
        audit(action=action, row=row, before=before)
        write_hooks.catalogue_changed(session)

    return record


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
    insert_record(session, indicator, _catalogue_changed(session, actor, plan))
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
    indicator = INDICATORS.writable(session, plan, code, actor, if_match)
    changes = patch_changes(payload)
    if payload.measure is not None:
        changes["measure"] = dump_measure(payload.measure)
        check_measure(session, changes["measure"])
    patch_record(session, indicator, changes, _catalogue_changed(session, actor, plan))
    return indicator


def delete_indicator(
    session: Session, *, plan: Plan, code: str, actor: Principal, if_match: str | None
) -> None:
    indicator = INDICATORS.writable(session, plan, code, actor, if_match)
    delete_record(session, indicator, _catalogue_changed(session, actor, plan))
