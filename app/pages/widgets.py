"""Widgets for portals: the plan's progress and one indicator as small HTML for an iframe,
and an SVG badge per indicator. No script, no cookie, nothing from outside the service;
the routes add the ETag and ``Cache-Control: public, max-age=300``."""

from sqlmodel import Session

from app.pages import rendering
from app.pages.charts import badge_svg
from app.pages.format import evaluated_day
from app.pages.links import View
from app.pages.pages import plan_evaluated_day
from app.pages.views import card, group_by_target_year, summary_items
from app.plans.service import get_plan
from app.status.service import indicator_status, plan_status


def plan_widget_body(session: Session, view: View) -> tuple[bytes, str]:
    status = plan_status(session, plan_code=view.plan, period=view.period, as_of=view.as_of)
    cards = [card(view, s) for s in status.indicators]
    body = rendering.render(
        "embed_plan.html",
        view=view,
        plan=get_plan(session, view.plan),
        groups=group_by_target_year(cards),
        summary=summary_items(status),
        period=status.period,
        evaluated=plan_evaluated_day(status),
        full_href=view.plan_page(),
    )
    return body, rendering.HTML


def indicator_widget_body(session: Session, view: View, code: str) -> tuple[bytes, str]:
    status = indicator_status(
        session, plan_code=view.plan, code=code, period=view.period, as_of=view.as_of
    )
    c = card(view, status)
    body = rendering.render(
        "embed_indicator.html",
        view=view,
        plan=get_plan(session, view.plan),
        c=c,
        period=status.window.period,
        evaluated=evaluated_day(status.window.end),
        full_href=c.href,
    )
    return body, rendering.HTML


def badge_body(session: Session, view: View, code: str) -> tuple[bytes, str]:
    status = indicator_status(
        session, plan_code=view.plan, code=code, period=view.period, as_of=view.as_of
    )
    c = card(view, status)
    title = (
        f"Chỉ tiêu {c.code}: {c.value_text}, {c.look.label} (mục tiêu {c.target_text}; "
        f"kỳ {status.window.period}, đến hết ngày {evaluated_day(status.window.end)})"
    )
    body = badge_svg(c.code, f"{c.value_text} · {c.look.label}", c.look.colour, title)
    return body.encode(), rendering.SVG
