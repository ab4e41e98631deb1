"""The pages' bodies: the plan, one indicator, communes × indicators, report compliance.

Each takes the evaluation the route obtained from the status service (or asks the
compliance service) and renders it; none computes a figure of its own.
"""

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlmodel import Session

from app.pages import rendering
from app.pages.charts import trajectory_svg
from app.pages.format import COUNTED_BY_LABELS, StatusLook, evaluated_day, local_day, local_time
from app.pages.grid import GRID_SORTS, commune_grid
from app.pages.links import View, compliance_api
from app.pages.service import compliance_board, monthly_series
from app.pages.views import (
    DEFAULT_SORT,
    SORT_COLUMNS,
    breakdown_rows,
    card,
    gap_rows,
    group_by_target_year,
    parse_sort,
    secondary_text,
    sort_headers,
    summary_items,
    unit_suffix,
    with_unit,
)
from app.plans.service import get_plan
from app.reports.compliance import STATE_LABELS_VI
from app.status.schemas import IndicatorStatus, PlanStatus


def plan_evaluated_day(status: PlanStatus) -> str:
    """The day the figures stand at: ``as_of`` clipped to the period (the windows' end)."""
    end = status.indicators[0].window.end if status.indicators else status.as_of
    return evaluated_day(end)


def _absolute(request: Request, path: str) -> str:
    """For the snippets a portal copies: the service's own address, as the browser used it."""
    return f"{request.url.scheme}://{request.url.netloc}{path}"


def _render(
    template: str, session: Session, view: View, *, active: str, api_href: str, **context: Any
) -> bytes:
    """A page of the plan: its template with the view, the plan, the tab it is on and the
    API read it mirrors."""
    return rendering.render(
        template,
        view=view,
        plan=get_plan(session, view.plan),
        active=active,
        api_href=api_href,
        **context,
    )


def _plan_page(
    template: str, session: Session, view: View, status: PlanStatus, **context: Any
) -> bytes:
    """A page of the whole plan's evaluation (the plan, the communes): its tab is named
    after the template and it mirrors the plan's status read."""
    return _render(
        template,
        session,
        view,
        active=template.removesuffix(".html"),
        api_href=view.plan_api(),
        status=status,
        evaluated=plan_evaluated_day(status),
        **context,
    )


def plan_body(session: Session, request: Request, view: View, status: PlanStatus) -> bytes:
    cards = [card(view, s) for s in status.indicators]
    return _plan_page(
        "plan.html",
        session,
        view,
        status,
        total=len(cards),
        groups=group_by_target_year(cards),
        summary=summary_items(status),
        embed_src=_absolute(request, view.plan_embed()),
    )


def _sort_param(sort: str | None, key: str, descending: bool) -> str | None:
    """The sort to keep in the form (only one the reader chose)."""
    return None if sort is None else ("-" if descending else "") + key


def indicator_body(
    session: Session, request: Request, view: View, status: IndicatorStatus, sort: str | None
) -> bytes:
    c = card(view, status)
    series = monthly_series(session, plan_code=view.plan, status=status, period=view.period)
    suffix = unit_suffix(status.unit)
    chart = trajectory_svg(
        series.points,
        first=series.first,
        last=series.last,
        target=status.target_value,
        suffix=suffix,
        title=f"{status.code}: giá trị theo tháng so với mốc kỳ vọng",
        description=f"Kỳ {status.window.period}: giá trị {c.value_text} đến hết ngày "
        f"{evaluated_day(status.window.end)}, mốc kỳ vọng {c.expected_text}, "
        f"mục tiêu {c.target_text}. Số liệu từng tháng ở bảng dưới.",
    )
    key, descending = parse_sort(sort, SORT_COLUMNS, DEFAULT_SORT)
    return _render(
        "indicator.html",
        session,
        view,
        active="indicator",
        api_href=view.indicator_api(status.code),
        status=status,
        c=c,
        evaluated=evaluated_day(status.window.end),
        counting=COUNTED_BY_LABELS.get(status.counting or "", status.counting),
        secondary=secondary_text(status),
        series=series,
        chart=chart,
        with_unit=lambda v: with_unit(v, status.unit),
        rows=breakdown_rows(status, key, descending),
        headers=sort_headers(
            SORT_COLUMNS, key, descending, lambda s: view.indicator_page(status.code, s)
        ),
        sort_param=_sort_param(sort, key, descending),
        gaps=gap_rows(status),
        badge_src=_absolute(request, view.badge(status.code)),
        embed_src=_absolute(request, view.indicator_embed(status.code)),
    )


def communes_body(session: Session, view: View, status: PlanStatus, sort: str | None) -> bytes:
    key = sort if sort in GRID_SORTS else "lag"
    columns, rows = commune_grid(session, view, status, key)
    return _plan_page(
        "communes.html",
        session,
        view,
        status,
        columns=columns,
        rows=rows,
        sorts=GRID_SORTS,
        sort=key,
        sort_param=key if sort in GRID_SORTS else None,
    )


# Report states in words, symbol and colour (the words are the compliance service's).
STATE_LOOKS = {
    "on_time": StatusLook("on_time", STATE_LABELS_VI["on_time"], "✔", "st-achieved", ""),
    "late": StatusLook("late", STATE_LABELS_VI["late"], "!", "st-at-risk", ""),
    "missing": StatusLook("missing", STATE_LABELS_VI["missing"], "✘", "st-off-track", ""),
    "not_due": StatusLook("not_due", STATE_LABELS_VI["not_due"], "–", "st-no-data", ""),
}
STATE_ORDER = ("missing", "late", "not_due", "on_time")


@dataclass(frozen=True)
class ReportRow:
    code: str
    name: str
    expected: bool
    state: str
    look: StatusLook
    submitted: str | None
    submissions: int
    focal: str | None


@dataclass(frozen=True)
class StateCount:
    code: str
    label: str
    symbol: str
    css: str
    count: int


def reports_body(session: Session, view: View) -> bytes:
    board = compliance_board(session, plan_code=view.plan, period=view.period, as_of=view.as_of)
    result = board.compliance
    rows = [
        ReportRow(
            code=e.agency_code,
            name=e.name,
            expected=e.expected,
            state=e.state,
            look=STATE_LOOKS[e.state],
            submitted=local_day(e.submitted_at) if e.submitted_at else None,
            submissions=e.submission_count,
            focal=", ".join(
                p for p in (e.focal_point.name, e.focal_point.email, e.focal_point.phone) if p
            )
            or None,
        )
        for e in result.agencies
    ]
    # Who has not reported first: the coordinator's list to chase.
    rows.sort(key=lambda r: (STATE_ORDER.index(r.state), not r.expected))
    summary = [
        StateCount(s, STATE_LOOKS[s].label, STATE_LOOKS[s].symbol, STATE_LOOKS[s].css, n)
        for s, n in result.summary.items()
    ]
    as_of_text = board.as_of_instant.isoformat() if view.as_of else None
    return _render(
        "reports.html",
        session,
        # The other pages' periods are calendar periods: the links there carry only as_of.
        View(view.root, view.plan, None, view.as_of),
        active="reports",
        api_href=compliance_api(view.root, view.plan, board.period, as_of_text),
        board=board,
        c=result,
        judged=f"hết ngày {local_day(board.as_of_instant)}"
        if view.as_of and len(view.as_of) == 10
        else local_time(board.as_of_instant),
        summary=summary,
        rows=rows,
    )
