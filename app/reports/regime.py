"""Reporting periods of the government reporting regime (Nghị định 09/2019/NĐ-CP, Điều 12).

The data of a periodic report does not follow the calendar:

* a quarter (``2026-Q1``) runs from the 15th of the month before the quarter to the 14th
  of its last month: Q1 2026 is 15/12/2025 – 14/03/2026;
* the half-year (``2026-H1``) runs from 15/12 of the year before to 14/06;
* the year (``2026``) runs from 15/12 of the year before to 14/12.

The regime has no second-half report (the year report covers it). Ad-hoc (đột xuất)
reports carry the window their request names. Days are cut in Asia/Ho_Chi_Minh: a window
holds the instants from local midnight of its first day to local midnight after its last.

Which of these an agency files is the plan's ``report_cycle`` (default all three: Plan 209
asks for periodic reports "theo quy định" without naming them).

The deadline is the plan's ``report_deadline_working_days`` (default 5) working days after
the cut-off day, skipping weekends and public holidays (see ``workdays``); a report is on
time when it arrives before the end of that day, local time. Ad-hoc requests name their
deadline; one that falls on a day off moves to the next working day.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.local_time import local_midnight
from app.core.periods import MAX_YEAR, MIN_YEAR
from app.reports.workdays import add_working_days, on_or_next_working_day

QUARTER, HALF_YEAR, YEAR, AD_HOC = "quarter", "half_year", "year", "ad_hoc"
_PATTERN = re.compile(r"([0-9]{4})(?:-(H[12]|Q[1-4]))?")
FORMS = "'2026-Q1' (quarter), '2026-H1' (half-year) or '2026' (year)"
CYCLE_LABELS = {QUARTER: "quarter", HALF_YEAR: "half-year", YEAR: "year"}
# What the contract promises (the year range and the plan are checked after).
PERIOD_PATTERN = r"^\s*(200[1-9]|20[1-9][0-9]|2100)(-([Hh]1|[Qq][1-4]))?\s*$"


@dataclass(frozen=True)
class ReportWindow:
    """A report's data window: ``first_day`` to ``last_day`` (the cut-off), inclusive."""

    label: str
    kind: str
    first_day: date
    last_day: date

    @property
    def start_at(self) -> datetime:
        """First instant in the window (local midnight of the first day)."""
        return local_midnight(self.first_day)

    @property
    def end_at(self) -> datetime:
        """First instant after the window (local midnight after the cut-off day)."""
        return local_midnight(self.last_day + timedelta(days=1))

    def contains(self, instant: datetime) -> bool:
        return self.start_at <= instant < self.end_at

    @property
    def year(self) -> int:
        """The year the report is about: the calendar year of its cut-off day."""
        return self.last_day.year

    @property
    def calendar_label(self) -> str | None:
        """The calendar period of the same name (task progress is filed by calendar
        period: a Q1 report reads the updates for ``2026-Q1`` and its months)."""
        return None if self.kind == AD_HOC else self.label


def parse_regime_period(text: str) -> ReportWindow:
    """``"2026-q1"`` -> ``ReportWindow("2026-Q1", quarter, 2025-12-15, 2026-03-14)``;
    ValueError with a message a person can act on otherwise."""
    cleaned = text.strip().upper() if isinstance(text, str) else ""
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"period {text!r} is not one of {FORMS}")
    year = int(match.group(1))
    if not MIN_YEAR < year <= MAX_YEAR:
        raise ValueError(f"period year {year} is outside {MIN_YEAR + 1}..{MAX_YEAR}")
    part = match.group(2)
    before = date(year - 1, 12, 15)
    if part is None:
        return ReportWindow(str(year), YEAR, before, date(year, 12, 14))
    if part == "H2":
        raise ValueError(
            "the reporting regime (NĐ 09/2019/NĐ-CP) has no second-half report: the year "
            f"report '{year}' covers it; use {FORMS}"
        )
    if part == "H1":
        return ReportWindow(f"{year}-H1", HALF_YEAR, before, date(year, 6, 14))
    last_month = 3 * int(part[1])
    first = before if last_month == 3 else date(year, last_month - 3, 15)
    return ReportWindow(f"{year}-{part}", QUARTER, first, date(year, last_month, 14))


def check_in_cycle(window: ReportWindow, cycle: list[str]) -> None:
    """ValueError when a plan's reporting cycle has no report of the window's kind."""
    if window.kind != AD_HOC and window.kind not in cycle:
        asked = ", ".join(CYCLE_LABELS[k] for k in cycle if k in CYCLE_LABELS) or "none"
        raise ValueError(
            f"the plan's reporting cycle has no {CYCLE_LABELS[window.kind]} report "
            f"({window.label}); it asks for: {asked}"
        )


def period_holding(day: date, cycle: list[str]) -> str:
    """The shortest report of the cycle whose window holds ``day`` (the year report's,
    15/12 to 14/12, when the cycle has nothing shorter that does)."""
    year = day.year + 1 if (day.month, day.day) >= (12, 15) else day.year
    if QUARTER in cycle:
        month = day.month + 1 if day.day >= 15 else day.month
        return f"{year}-Q{(month - 1) % 12 // 3 + 1}"
    if HALF_YEAR in cycle and parse_regime_period(f"{year}-H1").last_day >= day:
        return f"{year}-H1"
    return str(year)


def ad_hoc_window(request_id: int, first_day: date, last_day: date) -> ReportWindow:
    return ReportWindow(request_label(request_id), AD_HOC, first_day, last_day)


def request_label(request_id: int) -> str:
    """The period key of the reports answering an ad-hoc request."""
    return f"request-{request_id}"


def periodic_deadline(window: ReportWindow, working_days: int) -> date:
    """The last day to submit: ``working_days`` working days after the cut-off day."""
    return add_working_days(window.last_day, working_days)


def requested_deadline(named: date) -> date:
    """A deadline a request names; one on a day off moves to the next working day."""
    return on_or_next_working_day(named)


def deadline_end(deadline: date) -> datetime:
    """The first instant that is late: local midnight after the deadline day."""
    return local_midnight(deadline + timedelta(days=1))


def status_reference(window: ReportWindow, plan_start: date, plan_end: date) -> tuple[str, str]:
    """How a report window reads the indicator status engine: the calendar year of the
    cut-off day, as of the end of the cut-off day (clipped to the plan)."""
    as_of = min(max(window.last_day, plan_start), plan_end)
    return str(as_of.year), as_of.isoformat()
