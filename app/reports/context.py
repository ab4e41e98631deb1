"""A report's context: plan, data window, deadline and the agencies expected to report."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.agencies.service import active_on_clause, group_population
from app.core.errors import InvalidInput
from app.core.service import invalid, local_today, or_not_found
from app.core.vocab import AgencyKind
from app.duties.models import Duty, DutyParty
from app.plans.models import Plan, Task, TaskParty
from app.plans.service import get_plan
from app.reports.models import ReportRequest, ReportRequestAgency
from app.reports.regime import (
    ReportWindow,
    ad_hoc_window,
    check_in_cycle,
    parse_regime_period,
    periodic_deadline,
    requested_deadline,
)

# Expected reporters never include these kinds: a community digital team reports through
# its commune (its records count in the commune's figures).
NOT_REPORTING_KINDS = (AgencyKind.community_digital_team.value,)


@dataclass(frozen=True)
class ReportContext:
    plan: Plan
    window: ReportWindow
    deadline: date
    request: ReportRequest | None = None


def in_plan(plan_id_column: Any, plan_code: str | None) -> Any:
    """The list filter "of the plan with this code", or None when no plan is asked for."""
    if plan_code is None:
        return None
    return col(plan_id_column).in_(select(Plan.id).where(Plan.code == plan_code))


def check_in_plan(plan: Plan, window: ReportWindow, loc: list[str | int]) -> None:
    if window.last_day < plan.start_on or window.first_day > plan.end_on:
        raise invalid(
            loc,
            f"the window {window.first_day} to {window.last_day} lies outside the plan "
            f"({plan.start_on} to {plan.end_on})",
            "range",
        )


def periodic_context(
    session: Session, plan: Plan, label: str, *, loc: list[str | int], in_cycle: bool = True
) -> ReportContext:
    """``in_cycle``: refuse a period the plan's reporting cycle does not ask for (a report
    filed before the cycle changed keeps its context: ``in_cycle=False``)."""
    try:
        window = parse_regime_period(label)
        if in_cycle:
            check_in_cycle(window, plan.report_cycle)
    except ValueError as exc:
        raise invalid(loc, str(exc), "period") from exc
    check_in_plan(plan, window, loc)
    return ReportContext(
        plan=plan,
        window=window,
        deadline=periodic_deadline(window, plan.report_deadline_working_days),
    )


def request_context(session: Session, request: ReportRequest) -> ReportContext:
    plan = session.get(Plan, request.plan_id)
    assert plan is not None  # a foreign key
    return ReportContext(
        plan=plan,
        window=ad_hoc_window(request.id or 0, request.window_start, request.window_end),
        deadline=requested_deadline(request.due_on),
        request=request,
    )


def get_request(session: Session, request_id: int) -> ReportRequest:
    return or_not_found(session.get(ReportRequest, request_id), f"No report request {request_id}.")


def query_context(
    session: Session, *, plan_code: str | None, period: str | None, request_id: int | None
) -> ReportContext:
    """The context named by query parameters: `plan` and `period`, or `request`."""
    if (period is None) == (request_id is None):
        raise InvalidInput(
            "Give either `period` (with `plan`) or `request`.",
            errors=[{"loc": ["query", "period"], "msg": "period or request", "type": "missing"}],
        )
    if request_id is not None:
        context = request_context(session, get_request(session, request_id))
        if plan_code is not None and plan_code != context.plan.code:
            raise invalid(
                ["query", "plan"],
                f"request {request_id} is not of plan {plan_code}",
                "unknown_request",
            )
        return context
    if plan_code is None:
        raise invalid(["query", "plan"], "plan is required with period", "missing")
    return periodic_context(
        session, get_plan(session, plan_code), period or "", loc=["query", "period"]
    )


def requested_agencies(session: Session, request_id: int) -> list[str]:
    return list(
        session.exec(
            select(ReportRequestAgency.agency_code)
            .where(ReportRequestAgency.request_id == request_id)
            .order_by(col(ReportRequestAgency.agency_code))
        ).all()
    )


def expected_reporters(session: Session, context: ReportContext) -> list[Agency]:
    """Who must file, sorted by code.

    Ad-hoc: the agencies the request names. Periodic: every agency that leads or
    coordinates one of the plan's tasks or section V duties (so the mass organisations of
    V.1, Sở Tài chính of V.4), directly or through a group, active on the
    cut-off day; less the coordinator (it compiles the reports), the issuer (it receives
    the consolidated one) and community digital teams (their commune reports)."""
    on = context.window.last_day
    if context.request is not None:
        codes = requested_agencies(session, context.request.id or 0)
        return list(
            session.exec(
                select(Agency).where(col(Agency.code).in_(codes)).order_by(col(Agency.code))
            ).all()
        )
    parties = [
        *session.exec(
            select(TaskParty.agency_code, TaskParty.group_code)
            .join(Task, col(Task.id) == col(TaskParty.task_id))
            .where(Task.plan_id == context.plan.id)
        ).all(),
        *session.exec(
            select(DutyParty.agency_code, DutyParty.group_code)
            .join(Duty, col(Duty.id) == col(DutyParty.duty_id))
            .where(Duty.plan_id == context.plan.id)
        ).all(),
    ]
    direct = {agency for agency, _ in parties if agency}
    found: dict[str, Agency] = {
        a.code: a
        for a in session.exec(
            select(Agency).where(col(Agency.code).in_(direct), active_on_clause(on))
        ).all()
    }
    for group in sorted({group for _, group in parties if group}):
        found.update(
            (a.code, a) for a in group_population(session, group, on, context.plan.province_code)
        )
    excluded = {context.plan.coordinator_code, context.plan.issuer_code}
    return [
        found[code]
        for code in sorted(found)
        if code not in excluded and found[code].kind not in NOT_REPORTING_KINDS
    ]


def period_has_begun(window: ReportWindow, loc: list[str | int]) -> None:
    if window.first_day > local_today():
        raise invalid(loc, f"the period {window.label} has not begun yet", "range")
