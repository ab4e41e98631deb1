"""When an indicator looks: the evaluation window and the expected trajectory.

Everything is cut in local time (Asia/Ho_Chi_Minh). Window ends are exclusive instants.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.errors import InvalidInput
from app.core.local_time import LOCAL_TZ, local_midnight
from app.core.periods import Period, parse_period
from app.core.vocab import IndicatorWindow
from app.plans.models import Plan


@dataclass(frozen=True)
class Window:
    kind: IndicatorWindow
    period: str
    start: datetime  # inclusive
    end: datetime  # exclusive: the evaluated instant (as_of clipped to the period)
    period_start: datetime
    period_end: datetime  # exclusive end of the evaluated period
    province: str | None = None  # the plan's: its groups' kinds select within it

    @property
    def as_of_day(self) -> date:
        """The local day of the evaluated instant (the state of agencies and channels)."""
        return (self.end - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date()

    @property
    def counts_from(self) -> datetime | None:
        """First instant whose records count; None for a point in time (all up to as_of)."""
        return None if self.kind == IndicatorWindow.point_in_time else self.start

    @property
    def counts_from_day(self) -> date | None:
        return self.counts_from.astimezone(LOCAL_TZ).date() if self.counts_from else None


def _invalid(field: str, message: str, kind: str | None = None) -> InvalidInput:
    """``kind``: the error's type, when it is not the field's format (``outside_plan``,
    ``range``: what only the plan's dates decide)."""
    return InvalidInput(
        message, errors=[{"loc": ["query", field], "msg": message, "type": kind or field}]
    )


def resolve_as_of(as_of: str | None, now: datetime) -> datetime:
    """``as_of``: an instant (RFC 3339 with offset) or a day meaning the end of that day
    in local time. Returns the exclusive end instant it stands for."""
    if as_of is None:
        return now
    text = as_of.strip()
    try:
        if len(text) == 10:
            return local_midnight(date.fromisoformat(text) + timedelta(days=1))
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _invalid(
            "as_of", "as_of must be a date (YYYY-MM-DD) or an instant with offset"
        ) from exc
    if instant.tzinfo is None:
        raise _invalid("as_of", "as_of needs a UTC offset, e.g. 2026-06-30T17:00:00+07:00")
    return instant + timedelta(microseconds=1)


def parse_period_query(period: str) -> Period:
    """The ``period`` query parameter; a malformed one is the request's fault (422)."""
    try:
        return parse_period(period)
    except ValueError as exc:
        raise _invalid("period", str(exc)) from exc


def plan_bounds(plan: Plan) -> tuple[datetime, datetime]:
    return local_midnight(plan.start_on), local_midnight(plan.end_on + timedelta(days=1))


def build_window(
    plan: Plan, kind: IndicatorWindow, period: str | None, as_of_end: datetime
) -> Window:
    plan_start, plan_end = plan_bounds(plan)
    if not plan_start < as_of_end <= plan_end:
        raise _invalid(
            "as_of",
            f"as_of lies outside the plan ({plan.start_on.isoformat()} to "
            f"{plan.end_on.isoformat()})",
            "outside_plan",
        )
    if period is None:
        period = str(as_of_end.astimezone(LOCAL_TZ).year)
    parsed = parse_period_query(period)
    period_start = local_midnight(parsed.start)
    period_end = local_midnight(parsed.end + timedelta(days=1))
    if period_end <= plan_start or period_start >= plan_end:
        raise _invalid("period", f"period {period} lies outside the plan", "outside_plan")
    if as_of_end <= period_start:
        raise _invalid("as_of", f"as_of is before the period {period} begins", "range")
    end = min(as_of_end, period_end)
    # A year window is the calendar period itself (what the year's targets are about); a
    # cumulative one runs from the plan's start; a point-in-time one is the instant.
    start = {
        IndicatorWindow.year: period_start,
        IndicatorWindow.cumulative: plan_start,
        IndicatorWindow.point_in_time: end,
    }[kind]
    return Window(
        kind=kind,
        period=parsed.label,
        start=start,
        end=end,
        period_start=period_start,
        period_end=period_end,
        province=plan.province_code,
    )


def expected_value(
    *,
    plan: Plan,
    window: Window,
    target_year: int,
    target: float,
    baseline: float,
    straight_line: bool,
) -> float:
    """Where the trajectory stands at the window's end.

    A target in the evaluated year ramps across the window (a 2026 target seen in 2026);
    a later target ramps from the plan's start to the end of its year (a 2030 target seen
    in 2026 expects about a fifth). ``record_share`` targets are shares: expected = target.
    """
    if not straight_line:
        return target
    evaluated_year = window.period_start.astimezone(LOCAL_TZ).year
    if target_year == evaluated_year and window.kind == IndicatorWindow.year:
        line_start, line_end = window.period_start, window.period_end
    else:
        line_start = plan_bounds(plan)[0]
        line_end = local_midnight(date(target_year + 1, 1, 1))
    if window.end >= line_end:
        return target
    if window.end <= line_start:
        return baseline
    # Whole local days elapsed: an as_of of 30 June counts through the end of that day.
    elapsed = (window.end - line_start).total_seconds()
    total = (line_end - line_start).total_seconds()
    return baseline + (target - baseline) * elapsed / total
