"""Calendar periods written as text: ``2026``, ``2026-H1``, ``2026-Q2``, ``2026-03``.

Pure functions, no database: a period is its canonical label and its first and last day
(local calendar days, Asia/Ho_Chi_Minh; a day carries no time zone).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

MIN_YEAR = 2000
MAX_YEAR = 2100
_PATTERN = re.compile(r"([0-9]{4})(?:-(?:(H[12])|(Q[1-4])|([0-9]{2})))?")
# The same forms for the contract (JSON Schema, ECMA-262): case and blanks as parse_period.
PERIOD_PATTERN = r"^\s*(20[0-9]{2}|2100)(-([Hh][12]|[Qq][1-4]|0[1-9]|1[0-2]))?\s*$"
_FORMS = "'2026' (year), '2026-H1' (half), '2026-Q2' (quarter) or '2026-03' (month)"


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    def __str__(self) -> str:
        return self.label

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """``"2026-q2"`` -> ``Period("2026-Q2", 2026-04-01, 2026-06-30)``; ValueError otherwise."""
    cleaned = text.strip().upper() if isinstance(text, str) else ""
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"period {text!r} is not one of {_FORMS}")
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"period year {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    half, quarter, month = match.group(2), match.group(3), match.group(4)
    if half:
        first = 1 if half == "H1" else 7
        return Period(f"{year}-{half}", date(year, first, 1), _month_end(year, first + 5))
    if quarter:
        first = 3 * (int(quarter[1]) - 1) + 1
        return Period(f"{year}-{quarter}", date(year, first, 1), _month_end(year, first + 2))
    if month:
        number = int(month)
        if not 1 <= number <= 12:
            raise ValueError(f"period {text!r} has no month {month}; months are 01..12")
        return Period(f"{year}-{month}", date(year, number, 1), _month_end(year, number))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))
