"""Indicator status: the engine's evaluation turned into what the coordinator reads.

``plan_status`` and ``indicator_status`` prepare one counting from the tallies, evaluate
each indicator and shape its status; ``status_document`` turns a status into the JSON the
routes send.
"""

from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from app.agencies.service import Member
from app.core import metrics
from app.core.db import without_parallel_plans
from app.core.errors import NotFound
from app.core.types import utcnow
from app.core.vocab import Comparator, IndicatorWindow
from app.indicators.models import Indicator
from app.plans.models import Plan
from app.plans.service import get_plan
from app.status.counting import CountingFromTallies
from app.status.evaluation import AgencyResult, Evaluation, evaluate, prepare
from app.status.schemas import IndicatorStatus, PlanStatus, StatusWindow
from app.status.windows import Window, build_window, expected_value, resolve_as_of

AT_RISK_FRACTION = 0.8


def classify(value: float | None, target: float, expected: float, comparator: str) -> str:
    if value is None:
        return "no_data"
    if comparator == Comparator.at_most:
        if value <= target:
            return "achieved"
        return "at_risk" if value <= target / AT_RISK_FRACTION else "off_track"
    if value >= target:
        return "achieved"
    if value >= expected:
        return "on_track"
    return "at_risk" if value >= AT_RISK_FRACTION * expected else "off_track"


def _window(plan: Plan, indicator: Indicator, period: str | None, as_of_end: datetime) -> Window:
    return build_window(plan, IndicatorWindow(indicator.window), period, as_of_end)


def _status(
    session: Session,
    plan: Plan,
    indicator: Indicator,
    period: str | None,
    as_of_end: datetime,
    computed_at: datetime,
    counting: CountingFromTallies,
) -> IndicatorStatus:
    window = _window(plan, indicator, period, as_of_end)
    metrics.count_evaluation(str(indicator.measure.get("kind", "")))
    result: Evaluation = evaluate(
        session,
        indicator.measure,
        window,
        list(plan.on_topic_topics),
        indicator.target_value,
        counting,
    )
    exact = 100.0 * result.numerator / result.denominator if result.denominator else None
    expected = expected_value(
        plan=plan,
        window=window,
        target_year=indicator.target_year,
        target=indicator.target_value,
        baseline=indicator.baseline_value,
        straight_line=indicator.measure.get("kind") != "record_share",
    )
    # JSON-ready dicts where the model declares models (see BreakdownEntry).
    breakdown: list[Any] = [_breakdown_entry(r) for r in result.breakdown]
    gap_list: list[Any] = [_gap_entry(a) for a in result.gaps]
    return IndicatorStatus.model_construct(
        plan_code=plan.code,
        code=indicator.code,
        title=indicator.title,
        unit=indicator.unit,
        comparator=Comparator(indicator.comparator),
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        window=_status_window(window),
        value=round(exact, 1) if exact is not None else None,
        numerator=result.numerator,
        denominator=result.denominator,
        expected=round(expected, 1),
        status=classify(exact, indicator.target_value, expected, indicator.comparator),
        counting=result.counting,
        secondary=asdict(result.secondary) if result.secondary is not None else None,
        breakdown=breakdown,
        gap_list=gap_list,
        computed_at=computed_at,
    )


def _status_window(window: Window) -> StatusWindow:
    return StatusWindow(
        kind=window.kind,
        period=window.period,
        start=window.start.astimezone(UTC),
        end=window.end.astimezone(UTC),
    )


# A province's breakdowns and gap lists hold thousands of entries, made here from the
# engine's values rather than from input: they are kept as JSON-ready dicts in the shapes
# of AgencyBreakdown and GapEntry (status_document serializes them), since building and
# validating a model for each costs more than the evaluation.


class BreakdownEntry(TypedDict):
    """An ``AgencyBreakdown`` as JSON-ready data."""

    agency_code: str
    name: str
    numerator: float
    denominator: float
    counts: bool
    conditions_met: list[bool] | None
    counted_by: str | None


class FocalPointEntry(TypedDict):
    name: str | None
    title: str | None
    email: str | None
    phone: str | None


class GapEntryData(TypedDict):
    """A ``GapEntry`` as JSON-ready data."""

    agency_code: str
    name: str
    kind: str
    focal_point: FocalPointEntry


def _breakdown_entry(result: AgencyResult) -> BreakdownEntry:
    return {
        "agency_code": result.agency.code,
        "name": result.agency.name,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "counts": result.counts,
        "conditions_met": result.conditions_met,
        "counted_by": result.counted_by,
    }


def _gap_entry(agency: Member) -> GapEntryData:
    return {
        "agency_code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "focal_point": {
            "name": agency.contact_name,
            "title": agency.contact_title,
            "email": agency.contact_email,
            "phone": agency.contact_phone,
        },
    }


def indicator_status(
    session: Session, *, plan_code: str, code: str, period: str | None, as_of: str | None
) -> IndicatorStatus:
    without_parallel_plans(session)
    plan = get_plan(session, plan_code)
    indicator = session.exec(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code)
    ).first()
    if indicator is None:
        raise NotFound(f"No indicator '{code}' in plan '{plan_code}'.")
    now = utcnow()
    as_of_end = resolve_as_of(as_of, now)
    counting = CountingFromTallies()
    # One read for all of the indicator's tallies (a coverage's alternatives, say).
    prepare(
        session,
        [
            (
                indicator.measure,
                _window(plan, indicator, period, as_of_end),
                list(plan.on_topic_topics),
            )
        ],
        counting,
    )
    return _status(session, plan, indicator, period, as_of_end, now, counting)


def plan_status(
    session: Session, *, plan_code: str, period: str | None, as_of: str | None
) -> PlanStatus:
    without_parallel_plans(session)
    plan = get_plan(session, plan_code)
    now = utcnow()
    as_of_end = resolve_as_of(as_of, now)
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.plan_id == plan.id)
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    # One counting for the whole plan: what the indicators read is read once, up front.
    counting = CountingFromTallies()
    on_topic = list(plan.on_topic_topics)
    prepare(
        session,
        [(ind.measure, _window(plan, ind, period, as_of_end), on_topic) for ind in indicators],
        counting,
    )
    statuses = [_status(session, plan, ind, period, as_of_end, now, counting) for ind in indicators]
    return PlanStatus(
        plan_code=plan.code,
        period=statuses[0].window.period if statuses else (period or ""),
        as_of=as_of_end.astimezone(UTC),
        computed_at=now,
        summary=dict(Counter(s.status for s in statuses)),
        indicators=statuses,
    )


_ENTRY_LISTS = {"breakdown", "gap_list"}


def status_document(status: PlanStatus | IndicatorStatus) -> dict[str, Any]:
    """The status as JSON-ready data, in the declared models' shapes and field order."""
    if isinstance(status, PlanStatus):
        document = status.model_dump(mode="json", exclude={"indicators"})
        document["indicators"] = [status_document(s) for s in status.indicators]
        return {name: document[name] for name in PlanStatus.model_fields}
    document = status.model_dump(mode="json", exclude=_ENTRY_LISTS)
    document.update({name: getattr(status, name) for name in _ENTRY_LISTS})
    return {name: document[name] for name in IndicatorStatus.model_fields}
