"""What the plan and indicator pages show, taken from the status the API answers.

Every figure here is read off ``PlanStatus``/``IndicatorStatus`` as
``app.status.service`` returns them; this module only words, formats and
orders them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.text import fold
from app.pages.format import (
    COUNTED_BY_LABELS,
    STATUS_LOOKS,
    WINDOW_LABELS,
    StatusLook,
    agency_kind_vi,
    count_vi,
    evaluated_day,
    local_day,
    number_vi,
    status_look,
)
from app.pages.links import View
from app.status.schemas import IndicatorStatus, PlanStatus


def entry(item: object) -> dict[str, Any]:
    """A breakdown or gap entry as a dict: the status service keeps them as JSON-ready
    dicts (in the declared models' shapes) for speed; a model is dumped to the same."""
    if isinstance(item, dict):
        return item
    dump = getattr(item, "model_dump", None)
    return dump() if dump else {}


def unit_suffix(unit: str) -> str:
    return "%" if unit == "percent" else f" {unit}"


def with_unit(value: float | None, unit: str) -> str:
    return "–" if value is None else number_vi(value) + unit_suffix(unit)


def target_text(status: IndicatorStatus) -> str:
    sign = "≤" if status.comparator == "at_most" else "≥"
    return f"{sign} {with_unit(status.target_value, status.unit)}"


@dataclass(frozen=True)
class IndicatorCard:
    """One indicator as the plan page, the grid and the widgets show it."""

    code: str
    title: str
    look: StatusLook
    value: float | None
    expected: float | None
    target: float
    value_text: str
    expected_text: str
    target_text: str
    fraction_text: str
    window_text: str
    target_year: int
    href: str
    api_href: str


def card(view: View, status: IndicatorStatus) -> IndicatorCard:
    window = status.window
    return IndicatorCard(
        code=status.code,
        title=status.title,
        look=status_look(status.status),
        value=status.value,
        expected=status.expected,
        target=status.target_value,
        value_text=with_unit(status.value, status.unit),
        expected_text=with_unit(status.expected, status.unit),
        target_text=target_text(status),
        fraction_text=f"{count_vi(status.numerator)} / {count_vi(status.denominator)}",
        window_text=f"{WINDOW_LABELS.get(window.kind, window.kind)}, "
        f"{local_day(window.start)}–{evaluated_day(window.end)}"
        if window.kind != "point_in_time"
        else f"{WINDOW_LABELS['point_in_time']} {evaluated_day(window.end)}",
        target_year=status.target_year,
        href=view.indicator_page(status.code),
        api_href=view.indicator_api(status.code),
    )


@dataclass(frozen=True)
class CardGroup:
    heading: str
    cards: list[IndicatorCard]


@dataclass(frozen=True)
class SummaryItem:
    look: StatusLook
    count: int


def group_by_target_year(cards: Iterable[IndicatorCard]) -> list[CardGroup]:
    """The plan's targets for 2026 and for 2030 (any other year gets its own group)."""
    years: dict[int, list[IndicatorCard]] = {}
    for item in cards:
        years.setdefault(item.target_year, []).append(item)
    return [CardGroup(f"Chỉ tiêu đến năm {year}", years[year]) for year in sorted(years)]


def summary_items(plan_status: PlanStatus) -> list[SummaryItem]:
    return [
        SummaryItem(look, plan_status.summary.get(code, 0)) for code, look in STATUS_LOOKS.items()
    ]


# --- the per-agency breakdown, sortable by a query parameter ----------------------------

SORT_COLUMNS = {
    "name": "Cơ quan, đơn vị",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "ratio": "Tỷ lệ",
    "counts": "Tính vào chỉ tiêu",
}
DEFAULT_SORT = "counts"


@dataclass(frozen=True)
class BreakdownRow:
    agency_code: str
    name: str
    numerator: float
    denominator: float
    numerator_text: str
    denominator_text: str
    ratio: float | None
    ratio_text: str
    counts: bool
    detail: str


@dataclass(frozen=True)
class SortHeader:
    key: str
    label: str
    href: str
    aria_sort: str | None  # "ascending"/"descending" on the column the table is sorted by


def parse_sort(sort: str | None, columns: Iterable[str], default: str) -> tuple[str, bool]:
    """``"-ratio"`` -> ``("ratio", True)``; an unknown column falls back to the default."""
    text = (sort or "").strip()
    descending = text.startswith("-")
    key = text.lstrip("-")
    if key not in set(columns):
        return default, False
    return key, descending


def sort_headers(
    columns: dict[str, str], key: str, descending: bool, href_for: Any
) -> list[SortHeader]:
    """Each column links to the table sorted by it, ascending first, the other way when it
    is already sorted so: plain links that work without scripts."""
    headers = []
    for column, label in columns.items():
        current = column == key
        next_sort = f"-{column}" if current and not descending else column
        aria = ("descending" if descending else "ascending") if current else None
        headers.append(SortHeader(column, label, href_for(next_sort), aria))
    return headers


def _detail(row: dict[str, Any]) -> str:
    parts = []
    met = row.get("conditions_met")
    if met and len(met) > 1:
        parts.append(f"đạt {sum(1 for m in met if m)}/{len(met)} điều kiện")
    counted_by = row.get("counted_by")
    if counted_by:
        parts.append(COUNTED_BY_LABELS.get(counted_by, counted_by))
    return "; ".join(parts)


def breakdown_rows(status: IndicatorStatus, key: str, descending: bool) -> list[BreakdownRow]:
    rows = []
    for item in status.breakdown:
        row = entry(item)
        numerator, denominator = float(row["numerator"]), float(row["denominator"])
        ratio = 100.0 * numerator / denominator if denominator else None
        rows.append(
            BreakdownRow(
                agency_code=row["agency_code"],
                name=row["name"],
                numerator=numerator,
                denominator=denominator,
                numerator_text=count_vi(numerator),
                denominator_text=count_vi(denominator),
                ratio=ratio,
                ratio_text=number_vi(ratio) + "%" if ratio is not None else "–",
                counts=bool(row["counts"]),
                detail=_detail(row),
            )
        )
    by_name = sorted(rows, key=lambda r: (fold(r.name), r.name, r.agency_code))
    order: dict[str, Any] = {
        "name": lambda r: (fold(r.name), r.name),
        "numerator": lambda r: r.numerator,
        "denominator": lambda r: r.denominator,
        # No denominator sorts below every ratio, whichever way.
        "ratio": lambda r: -1.0 if r.ratio is None else r.ratio,
        "counts": lambda r: r.counts,
    }
    # Python's sort is stable: ties stay in name order.
    return sorted(by_name, key=order[key], reverse=descending)


@dataclass(frozen=True)
class GapRow:
    agency_code: str
    name: str
    kind: str
    focal_name: str | None
    focal_title: str | None
    email: str | None
    phone: str | None


def gap_rows(status: IndicatorStatus) -> list[GapRow]:
    rows = []
    for item in status.gap_list:
        gap = entry(item)
        focal = entry(gap.get("focal_point") or {})
        rows.append(
            GapRow(
                agency_code=gap["agency_code"],
                name=gap["name"],
                kind=agency_kind_vi(str(gap["kind"])),
                focal_name=focal.get("name"),
                focal_title=focal.get("title"),
                email=focal.get("email"),
                phone=focal.get("phone"),
            )
        )
    return sorted(rows, key=lambda r: (fold(r.name), r.name))


def secondary_text(status: IndicatorStatus) -> str | None:
    """T2026-4's second reading (products made with a partner press agency)."""
    secondary = status.secondary
    if not secondary or "count" not in secondary:
        return None
    share = secondary.get("share")
    share_text = f" ({number_vi(float(share))}%)" if share is not None else ""
    return (
        f"Thực hiện cùng cơ quan báo chí ngoài tỉnh: {count_vi(float(secondary['count']))} / "
        f"{count_vi(float(secondary.get('of', 0)))} sản phẩm{share_text}."
    )
