"""Cells as people fill them in Vietnam, read into the values a push takes.

Dates are day first (``20/03/2026``, ``20/03/2026 07:30``, ``20-3-26 7h30``), Excel date
cells and Excel serial numbers included, all read in Asia/Ho_Chi_Minh. Numbers take the
Vietnamese separators (``1.234`` is a thousand and more, ``1,5`` one and a half). A cell
that cannot be read raises ``CellError`` with the reason in both languages; what a value
may be (ranges, lengths) is left to the push rules, as an API call would meet them.
"""

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from openpyxl.utils.datetime import from_excel

from app.core.local_time import LOCAL_TZ
from app.core.text import fold
from app.core.vocab import LABELS_VI
from app.imports.messages import say

_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})"
_TIME = r"(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{1,2})?(?:\s*(?::|p|phút)\s*(\d{1,2})?)?"
_DATE_TIME = re.compile(rf"(?:ngày\s*)?{_DATE}(?:[\sT,]+(?:lúc\s*)?{_TIME})?", re.IGNORECASE)
_TIME_DATE = re.compile(rf"{_TIME}[\s,]+(?:ngày\s*)?{_DATE}", re.IGNORECASE)
# Excel serial days of 2000-01-01 and 2100-12-31: a number outside is not a date.
_SERIAL_RANGE = (36526.0, 73415.0)


class CellError(Exception):
    def __init__(self, kind: str, en: str, vi: str) -> None:
        super().__init__(en)
        self.kind = kind
        self.en = en
        self.vi = vi

    @property
    def reason(self) -> str:
        return say(self.en, self.vi)


def display(value: Any) -> str:
    """A cell as the spreadsheet shows it (dates day first), for messages and matching."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() != time() else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def text_of(value: Any) -> str | None:
    """Text as typed (NFC: a file saved on macOS may hold decomposed letters); None when
    the cell is empty."""
    shown = display(value)
    return unicodedata.normalize("NFC", shown) if shown else None


def _calendar_day(day: int, month: int, year: int, shown: str) -> date:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            "date",
            f"{shown} is not a day of the calendar (day/month/year)",
            f"{shown} không phải là một ngày có thật (ngày/tháng/năm)",
        ) from None


def _time_of_day(hour: str | None, minute: str | None, second: str | None, shown: str) -> time:
    try:
        return time(int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise CellError(
            "time", f"{shown}: no such time of day", f"{shown}: giờ không hợp lệ"
        ) from None


def _from_text(text: str) -> tuple[date, time | None]:
    """``20/03/2026 07:30`` -> (day, time); ISO 8601 (``2026-03-20T07:30``) as well."""
    match = _DATE_TIME.fullmatch(text)
    if match is not None:
        day, month, year, hour, minute, second = match.groups()
        when = _time_of_day(hour, minute, second, text) if hour else None
        return _calendar_day(int(day), int(month), int(year), text), when
    match = _TIME_DATE.fullmatch(text)
    if match is not None:
        hour, minute, second, day, month, year = match.groups()
        return _calendar_day(int(day), int(month), int(year), text), _time_of_day(
            hour, minute, second, text
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(
            "date",
            f"'{text}' is not a date: write it day first, e.g. 20/03/2026 or 20/03/2026 07:30",
            f"'{text}' không phải là ngày: ghi ngày/tháng/năm, ví dụ 20/03/2026 hoặc "
            "20/03/2026 07:30",
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(LOCAL_TZ)
    has_time = "T" in text or ":" in text
    return parsed.date(), parsed.time() if has_time else None


def _day_and_time(value: Any) -> tuple[date, time | None]:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return value.date(), value.time() if value.time() != time() else None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            raise CellError(
                "date", f"{display(value)} is not a date", f"{display(value)} không phải là ngày"
            )
        return _day_and_time(from_excel(value))
    return _from_text(str(value).strip())


def instant(value: Any, *, time_required: bool) -> datetime:
    """A local day and time of day as an aware instant; a day alone is 00:00 local time
    unless ``time_required`` (an airing needs its time: two of a day differ by it)."""
    day, when = _day_and_time(value)
    if when is None and time_required:
        raise CellError(
            "time_missing",
            f"{display(value)} has no time of day: write e.g. 20/03/2026 07:30",
            f"{display(value)} thiếu giờ: ghi ví dụ 20/03/2026 07:30",
        )
    return datetime.combine(day, when or time(), tzinfo=LOCAL_TZ)


def day_of(value: Any) -> date:
    return _day_and_time(value)[0]


_UNITS = {
    "gio": 3600,
    "g": 3600,
    "h": 3600,
    "tieng": 3600,
    "phut": 60,
    "p": 60,
    "ph": 60,
    "m": 60,
    "min": 60,
    "giay": 1,
    "s": 1,
}
# Folding turns punctuation into blanks: a decimal mark is kept as "d" ("1,5" -> "1d5").
_DURATION_PART = re.compile(r"(\d+(?:d\d+)?)\s*([a-z]*)")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})")


def _duration_text(text: str) -> float:
    """``15``, ``15 phút``, ``15'``, ``1 giờ 30 phút``, ``1h30``, ``90 giây``, ``0:15:00``."""
    clock = _CLOCK.fullmatch(text.strip())
    if clock is not None:
        hours, minutes, seconds = (int(part) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    if ":" in text:  # 15:00 reads as minutes to some and as hours to Excel: neither is taken
        raise ValueError(text)
    folded = fold(re.sub(r"(\d)[.,](\d)", r"\1d\2", text.replace("'", " phut ")))
    parts = _DURATION_PART.findall(folded)
    if not parts or _DURATION_PART.sub("", folded).strip():
        raise ValueError(text)
    total, last_unit = 0.0, 0
    for amount, unit in parts:
        # "1h30": the number after hours is minutes (and after minutes, seconds).
        found = _UNITS.get(unit) if unit else (last_unit // 60 or 60)
        if found is None:
            raise ValueError(text)
        seconds = found
        total += float(amount.replace("d", ".")) * seconds
        last_unit = seconds
    return total


def duration_seconds(value: Any) -> int:
    """Seconds on air from a cell in minutes (the column says minutes)."""
    try:
        if isinstance(value, timedelta):
            seconds = value.total_seconds()
        elif isinstance(value, time):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
        elif isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value) * 60
        else:
            seconds = _duration_text(str(value))
    except ValueError:
        raise CellError(
            "duration",
            f"'{display(value)}' is not a duration: write the minutes (15), or 15 phút, "
            "1 giờ 30 phút, 0:15:00",
            f"'{display(value)}' không phải là thời lượng: ghi số phút (15), hoặc 15 phút, "
            "1 giờ 30 phút, 0:15:00",
        ) from None
    return round(seconds)


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[. ]\d{3})+")


def number(value: Any) -> float:
    """``1.234`` and ``1 234`` are 1234 (Vietnamese thousands), ``1,5`` and ``1.5`` 1.5."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(" ", "")
    elif "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CellError(
            "number", f"'{text}' is not a number", f"'{text}' không phải là một số"
        ) from None


def integer(value: Any) -> int:
    amount = number(value)
    if not amount.is_integer():
        raise CellError(
            "integer",
            f"{display(value)} is not a whole number",
            f"{display(value)} không phải là số nguyên",
        )
    return int(amount)


_YES = {"co", "x", "1", "true", "dung", "yes", "y"}
_NO = {"khong", "0", "false", "sai", "no", "n"}


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(display(value))
    if folded in _YES or folded in _NO:
        return folded in _YES
    raise CellError(
        "flag", f"'{display(value)}': write Có or Không", f"'{display(value)}': ghi Có hoặc Không"
    )


@functools.cache  # read for every cell of a vocabulary column
def choice_names(vocab: type[StrEnum]) -> dict[str, str]:
    """Every spelling a vocabulary's value is known by (folded): its code, its Vietnamese
    label, the label without its parenthesis (``Trung ương``)."""
    names: dict[str, str] = {}
    for code, label in LABELS_VI[vocab].items():
        for name in (code, label, re.sub(r"\([^)]*\)", " ", label)):
            names.setdefault(fold(name.replace("_", " ")), code)
    return names


def choice(value: Any, vocab: type[StrEnum]) -> str:
    code = choice_names(vocab).get(fold(display(value)))
    if code is None:
        labels = "; ".join(LABELS_VI[vocab].values())
        raise CellError(
            "unknown_choice",
            f"'{display(value)}' is not in the list: {labels}",
            f"'{display(value)}' không có trong danh sách: {labels}",
        )
    return code


def choices(value: Any, vocab: type[StrEnum]) -> list[str]:
    """Several values separated by ``;`` (or new lines); a part that is not a value is
    tried as a list separated by commas (labels hold commas: "Cán bộ, công chức")."""
    codes: list[str] = []
    for part in re.split(r"[;\n]+", display(value)):
        if not part.strip():
            continue
        try:
            codes.append(choice(part, vocab))
        except CellError:
            codes.extend(choice(piece, vocab) for piece in part.split(",") if piece.strip())
    return sorted(set(codes))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIODS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"(?:nam )?(\d{4})"), lambda m: m.group(1)),
    (re.compile(r"(\d{4}) ([hq]) ?(\d)"), lambda m: f"{m.group(1)}-{m.group(2)}{m.group(3)}"),
    (re.compile(r"(?:quy|q) ?(i{1,3}|iv|\d)(?: nam)? (\d{4})"), lambda m: _quarter(m)),
    (re.compile(r"6 thang (?:dau )?(?:nam )?(\d{4})"), lambda m: f"{m.group(1)}-H1"),
    (re.compile(r"6 thang cuoi (?:nam )?(\d{4})"), lambda m: f"{m.group(1)}-H2"),
    (re.compile(r"(?:thang )?(\d{1,2})(?: nam)? (\d{4})"), lambda m: _month(m)),
    (re.compile(r"(\d{4}) (\d{2})"), lambda m: f"{m.group(1)}-{m.group(2)}"),
]


def _quarter(match: re.Match[str]) -> str:
    number_text = match.group(1)
    quarter = _ROMAN.get(number_text) or int(number_text)
    return f"{match.group(2)}-Q{quarter}"


def _month(match: re.Match[str]) -> str:
    return f"{match.group(2)}-{int(match.group(1)):02d}"


def period(value: Any) -> str:
    """``Quý 1/2026`` -> ``2026-Q1``; the figure's own rules then check it."""
    folded = fold(display(value))
    for pattern, label in _PERIODS:
        match = pattern.fullmatch(folded)
        if match is not None:
            return str(label(match)).upper()
    raise CellError(
        "period",
        f"'{display(value)}' is not a period: write Năm 2026, Quý 1/2026, "
        "6 tháng đầu năm 2026 or Tháng 3/2026",
        f"'{display(value)}' không phải là kỳ báo cáo: ghi Năm 2026, Quý 1/2026, "
        "6 tháng đầu năm 2026 hoặc Tháng 3/2026",
    )
