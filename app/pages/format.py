"""Vietnamese wording and number formats shared by the pages, the widgets and the badge."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.local_time import LOCAL_TZ
from app.core.vocab import LABELS_VI, AgencyKind


@dataclass(frozen=True)
class StatusLook:
    """How a status reads: words, a symbol and a colour class, so that colour is never the
    only sign (WCAG 1.4.1)."""

    code: str
    label: str
    symbol: str
    css: str
    colour: str  # the badge's fill: white text on it has a contrast of at least 4.5:1


# The API's status codes, in the order a reader scans them (best first).
STATUS_LOOKS: dict[str, StatusLook] = {
    look.code: look
    for look in (
        StatusLook("achieved", "Đạt", "✔", "st-achieved", "#1b6b2f"),
        StatusLook("on_track", "Đúng tiến độ", "➜", "st-on-track", "#1c5d99"),
        StatusLook("at_risk", "Có nguy cơ", "!", "st-at-risk", "#8a4b00"),
        StatusLook("off_track", "Chậm", "✘", "st-off-track", "#b3261e"),
        StatusLook("no_data", "Chưa có dữ liệu", "–", "st-no-data", "#5f6368"),
    )
}

WINDOW_LABELS = {
    "year": "trong kỳ",
    "cumulative": "lũy kế từ đầu kế hoạch",
    "point_in_time": "tại thời điểm",
}

COUNTED_BY_LABELS = {
    "roster": "theo danh sách",
    "attendance": "theo số lượt dự",
    "figure": "theo số liệu báo cáo",
    "mixed": "kết hợp",
}


def status_look(code: str) -> StatusLook:
    return STATUS_LOOKS.get(code, STATUS_LOOKS["no_data"])


def number_vi(value: float | None, digits: int = 1) -> str:
    """``1234.5`` -> ``1.234,5``: Vietnamese groups thousands with dots and writes a
    decimal comma. ``None`` (no denominator) reads as a dash."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def count_vi(value: float) -> str:
    """Counts (numerators, denominators) are whole numbers except capped figure ratios."""
    return number_vi(value, 0 if float(value).is_integer() else 1)


def percent_vi(value: float | None) -> str:
    return "–" if value is None else f"{number_vi(value)}%"


def local_day(instant: datetime) -> str:
    """The local calendar day an instant falls on, as ``30/06/2026``."""
    return instant.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def local_time(instant: datetime) -> str:
    """``08:30 ngày 30/06/2026`` in local time."""
    return instant.astimezone(LOCAL_TZ).strftime("%H:%M ngày %d/%m/%Y")


def evaluated_day(window_end: datetime) -> str:
    """Window ends are exclusive: the end of 30 June is 1 July, 00:00 local time."""
    return local_day(window_end - timedelta(microseconds=1))


def agency_kind_vi(kind: str) -> str:
    return LABELS_VI[AgencyKind].get(kind, kind)
