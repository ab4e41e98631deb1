"""What each page reads: the status service's evaluations and the compliance service.

Nothing here evaluates an indicator: the chart's monthly points are
``indicator_status`` called again with ``as_of`` at each month's end, the very evaluation
the API answers for that URL.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from app.core.errors import InvalidInput
from app.core.local_time import LOCAL_TZ
from app.core.periods import parse_period
from app.core.types import utcnow
from app.pages.charts import ChartPoint, month_ends
from app.plans.service import get_plan
from app.reports.compliance import compliance
from app.reports.context import query_context
from app.reports.regime import period_holding
from app.reports.view_schemas import ComplianceRead
from app.status.schemas import IndicatorStatus
from app.status.service import indicator_status
from app.status.windows import resolve_as_of


@dataclass(frozen=True)
class Series:
    first: date
    last: date
    points: list[ChartPoint]


def monthly_series(
    session: Session, *, plan_code: str, status: IndicatorStatus, period: str | None
) -> Series:
    """The indicator at the end of each month of the evaluated period up to ``as_of``,
    then at ``as_of`` itself (``status``, already evaluated). A month end outside the plan
    (before it began) has no evaluation and is left out."""
    evaluated = parse_period(status.window.period)
    end_day = (status.window.end - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date()
    points = []
    for day in month_ends(evaluated.start, evaluated.end):
        if day >= end_day:
            break
        try:
            at = indicator_status(
                session,
                plan_code=plan_code,
                code=status.code,
                period=period or status.window.period,
                as_of=day.isoformat(),
            )
        except InvalidInput:
            continue
        points.append(ChartPoint(day, at.value, at.expected))
    points.append(ChartPoint(end_day, status.value, status.expected))
    return Series(first=evaluated.start, last=evaluated.end, points=points)


def regime_quarter(day: date) -> str:
    """The reporting quarter (NĐ 09/2019) holding ``day``: a quarter runs from the 15th of
    the month before it to the 14th of its last month (15/12/2025 is in 2026-Q1)."""
    return period_holding(day, ["quarter"])


@dataclass(frozen=True)
class Board:
    compliance: ComplianceRead
    period: str
    as_of_instant: datetime  # what the compliance service judged deadlines at


def compliance_board(
    session: Session, *, plan_code: str, period: str | None, as_of: str | None
) -> Board:
    """Who has reported for a period, judged as of the end of ``as_of`` (a day, or an
    instant) as the API judges it for that instant; default period: the shortest report of
    the plan's cycle holding that day (its reporting quarter by default)."""
    now = utcnow()
    # resolve_as_of answers an exclusive end: the instant itself is a microsecond before.
    instant = resolve_as_of(as_of, now) - timedelta(microseconds=1) if as_of else now
    plan = get_plan(session, plan_code)
    chosen = period or period_holding(instant.astimezone(LOCAL_TZ).date(), plan.report_cycle)
    context = query_context(session, plan_code=plan_code, period=chosen, request_id=None)
    return Board(
        compliance=compliance(session, context=context, as_of=instant),
        period=context.window.label,
        as_of_instant=instant,
    )
