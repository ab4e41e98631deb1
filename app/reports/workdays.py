"""Vietnamese working days: Monday to Friday, less public holidays, plus make-up Saturdays.

Public holidays come from the ``holidays`` package (``holidays.Vietnam``), which follows
Bộ luật Lao động 2019, Điều 112 and the yearly announcements for the state sector:

* Tết Dương lịch (1/1);
* Tết Nguyên đán, five days: the last day of the lunar year and mùng 1 to mùng 4, on the
  Vietnamese lunar calendar (UTC+7: Tết 2026 is 17/02/2026, Tết 2027 is 06/02/2027, Tết
  2030 is 02/02/2030, a day before China's); a day that falls on a weekend is made up on a
  weekday next to the holiday;
* Giỗ Tổ Hùng Vương (10/3 âm lịch), 30/4, 1/5, Quốc khánh 2/9 and a day next to it;
* Ngày Văn hóa Việt Nam (24/11) from 2026 (Nghị quyết 80-NQ/TW);
* days off swapped with a working Saturday where the Government announced one (e.g.
  02/05/2025 off, Saturday 26/04/2025 worked).

Each year the Ministry of Home Affairs announces the exact days off of civil servants,
sometimes with swaps decided late. When an announcement differs from the package, an
operator adds the day to ``EXTRA_DAYS_OFF`` or ``EXTRA_WORKING_DAYS`` below (or upgrades the
package) — deadlines computed afterwards follow.
"""

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays

# Operator adjustments: announced days off the package does not know, and make-up working
# days (usually Saturdays) the Government announced.
EXTRA_DAYS_OFF: dict[date, str] = {}
EXTRA_WORKING_DAYS: dict[date, str] = {}

MAX_WORKING_DAYS = 366


@lru_cache(maxsize=32)
def _calendar(year: int) -> "holidays.HolidayBase":
    # Imported on first use: the package weighs on each worker's memory, and only report
    # deadlines need it.
    import holidays

    # Next year's too: a swap may cross the new year.
    return holidays.country_holidays("VN", years=(year, year + 1), language="vi")


def holiday_name(day: date) -> str | None:
    """The holiday on ``day`` (Vietnamese), or None."""
    if day in EXTRA_DAYS_OFF:
        return EXTRA_DAYS_OFF[day]
    name = _calendar(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    if day in EXTRA_WORKING_DAYS:
        return True
    if day in EXTRA_DAYS_OFF:
        return False
    return bool(_calendar(day.year).is_working_day(day))


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself when count is 0)."""
    if not 0 <= count <= MAX_WORKING_DAYS:
        raise ValueError(f"count must be 0..{MAX_WORKING_DAYS}")
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def on_or_next_working_day(day: date) -> date:
    """A time limit ending on a day off ends on the next working day (Bộ luật Dân sự
    2015, Điều 148)."""
    current = day
    while not is_working_day(current):
        current += timedelta(days=1)
    return current
