"""SVG drawn on the server: an indicator's value month by month against its expected line,
a small progress bar, and the badge portals embed.

No script draws anything in the browser: the markup is complete when it leaves the
service, prints as it shows, and needs nothing from outside. Every number drawn is one the
status service answered (the chart's points are evaluations at each month's end).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from app.pages.format import number_vi

VALUE_COLOUR = "#1c5d99"
EXPECTED_COLOUR = "#8a4b00"
TARGET_COLOUR = "#1b6b2f"
INK = "#202124"
GRID = "#c4c7c5"


@dataclass(frozen=True)
class ChartPoint:
    """One evaluation: the indicator as of the end of ``day`` (local time)."""

    day: date
    value: float | None
    expected: float | None


@dataclass(frozen=True)
class Frame:
    """The chart's geometry: days along x, the unit's values up y."""

    first: date
    last: date
    top: float
    width: int = 640
    height: int = 260
    left: int = 52
    right: int = 16
    upper: int = 14
    lower: int = 34

    def x(self, day: date) -> float:
        span = max(1, (self.last - self.first).days + 1)
        elapsed = (day - self.first).days + 1
        return self.left + (self.width - self.left - self.right) * elapsed / span

    def y(self, value: float) -> float:
        plot = self.height - self.upper - self.lower
        return self.upper + plot * (1 - min(value, self.top) / self.top)


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first`` to ``last``: where the axis is labelled
    and where the status service is asked for the chart's points."""
    ends = []
    month = date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
        month = following
    return ends


def nice_top(highest: float) -> float:
    """The axis' top: the next of 10, 20, 25, 50, 100 … above the highest value."""
    if highest <= 0:
        return 10.0
    power = 10 ** math.floor(math.log10(highest))
    for step in (1, 2, 2.5, 5, 10):
        if highest <= step * power:
            return float(step * power)
    return float(10 * power)


def _polylines(frame: Frame, points: Sequence[tuple[date, float | None]]) -> list[str]:
    """Runs of known values as ``x,y`` lists: a month with no value breaks the line."""
    runs: list[list[str]] = [[]]
    for day, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{frame.x(day):.1f},{frame.y(value):.1f}")
    return [" ".join(run) for run in runs if run]


def _axes(frame: Frame, suffix: str, months: Sequence[date]) -> list[str]:
    parts = []
    for i in range(5):
        value = frame.top * i / 4
        y = frame.y(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{escape(number_vi(value, 0) + suffix)}</text>'
        )
    baseline = frame.height - frame.lower
    for month in months:
        parts.append(
            f'<text x="{frame.x(month):.1f}" y="{baseline + 16}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">T{month.month}</text>'
        )
    return parts


def trajectory_svg(
    points: Sequence[ChartPoint],
    *,
    first: date,
    last: date,
    target: float,
    suffix: str,
    title: str,
    description: str,
    ident: str = "chart",
) -> Markup:
    """The value (solid, with a dot per month) against the expected line (dashed) and the
    target (dotted), over the evaluated period ``first``..``last``."""
    highest = max([target, *(v for p in points for v in (p.value, p.expected) if v is not None)])
    frame = Frame(first=first, last=last, top=nice_top(highest))
    parts = _axes(frame, suffix, month_ends(first, last))
    ty = frame.y(target)
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{ty:.1f}" y2="{ty:.1f}" '
        f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="2 4"/>'
    )
    for run in _polylines(frame, [(p.day, p.expected) for p in points]):
        parts.append(
            f'<polyline points="{run}" fill="none" stroke="{EXPECTED_COLOUR}" '
            'stroke-width="2" stroke-dasharray="7 5"/>'
        )
    for run in _polylines(frame, [(p.day, p.value) for p in points]):
        parts.append(
            f'<polyline points="{run}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="3"/>'
        )
    for p in points:
        if p.value is not None:
            parts.append(
                f'<circle cx="{frame.x(p.day):.1f}" cy="{frame.y(p.value):.1f}" r="4" '
                f'fill="{VALUE_COLOUR}"><title>{p.day:%d/%m/%Y}: '
                f"{escape(number_vi(p.value) + suffix)}</title></circle>"
            )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def progress_svg(value: float | None, expected: float | None, target: float) -> Markup:
    """A bar for the value with ticks at the expected mark and the target. Decorative
    (``aria-hidden``): the same numbers are written beside it."""
    top = nice_top(max(v for v in (value, expected, target, 100.0) if v is not None))

    def at(v: float) -> float:
        return 100.0 * min(max(v, 0.0), top) / top

    bar = (
        f'<rect x="0" y="3" width="{at(value):.1f}" height="10" fill="{VALUE_COLOUR}"/>'
        if value is not None
        else ""
    )
    tick = '<rect x="{x:.1f}" y="0" width="0.8" height="16" fill="{fill}"/>'
    ticks = [tick.format(x=at(target) - 0.4, fill=TARGET_COLOUR)]
    if expected is not None:
        ticks.append(tick.format(x=at(expected) - 0.4, fill=EXPECTED_COLOUR))
    return Markup(
        '<svg class="bar" viewBox="0 0 100 16" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect x="0" y="3" width="100" height="10" fill="#e8eaed"/>'
        + bar
        + "".join(ticks)
        + "</svg>"
    )


def _text_width(text: str) -> int:
    """An estimate of the text's width at 11 px (Verdana-like): ``textLength`` then makes
    the browser fit the text to it, whatever font it has."""
    return int(sum(4 if ch in " .,:;|il!" else 7 for ch in text)) + 2


def badge_svg(label: str, message: str, colour: str, title: str) -> str:
    """A two-part badge (``T2026-5 | 75,0% · Đúng tiến độ``), white on dark fills for a
    contrast of at least 4.5:1; ``title`` is what a screen reader says."""
    left, right = _text_width(label), _text_width(message)
    pad = 8
    lw, rw = left + 2 * pad, right + 2 * pad
    width = lw + rw
    text = (
        '<text x="{x}" y="14" fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" '
        'font-size="11" text-anchor="middle" textLength="{length}" '
        'lengthAdjust="spacingAndGlyphs">{body}</text>'
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="20" viewBox="0 0 {width} 20" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{lw}" height="20" fill="#3c4043"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{escape(colour)}"/>'
        + text.format(x=lw / 2, length=left, body=escape(label))
        + text.format(x=lw + rw / 2, length=right, body=escape(message))
        + "</svg>"
    )
