"""The consolidated report: indicator status, task board, compliance, activity, budget.

Indicator values come from the status engine (``plan_status``) for the calendar year of
the period's cut-off day, as of the end of that day: the Q1 2026 report shows the 2026
targets as they stood on 14/03/2026. Everything else is read over the regime window.
"""

from datetime import datetime

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.budget.service import budget_totals
from app.core.types import utcnow
from app.reports.compliance import compliance
from app.reports.consolidated_schemas import (
    AgencyNarrative,
    ConsolidatedReport,
    IndicatorRow,
    StatusReference,
)
from app.reports.context import ReportContext
from app.reports.duty_board import plan_board
from app.reports.figures import compile_figures
from app.reports.models import AgencyReport
from app.reports.regime import status_reference
from app.status.service import plan_status

INDICATOR_STATES_VI = {
    "achieved": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ không đạt",
    "off_track": "Chậm tiến độ",
    "no_data": "Chưa có số liệu",
}


def _agency_name(session: Session, code: str) -> str:
    return session.exec(select(Agency.name).where(Agency.code == code)).first() or code


def _narratives(session: Session, context: ReportContext) -> list[AgencyNarrative]:
    rows = session.exec(
        select(AgencyReport, Agency.name)
        .join(Agency, col(Agency.code) == col(AgencyReport.agency_code))
        .where(
            AgencyReport.plan_id == context.plan.id,
            AgencyReport.period == context.window.label,
            col(AgencyReport.status).in_(("submitted", "accepted")),
        )
        .order_by(col(AgencyReport.agency_code))
    ).all()
    return [
        AgencyNarrative.model_validate(
            {**report.model_dump(), "name": name, "report_id": report.id or 0}
        )
        for report, name in rows
    ]


def consolidated_report(
    session: Session, *, context: ReportContext, as_of: datetime | None = None
) -> ConsolidatedReport:
    plan, window = context.plan, context.window
    period, status_day = status_reference(window, plan.start_on, plan.end_on)
    status = plan_status(session, plan_code=plan.code, period=period, as_of=status_day)
    # A row is the indicator's status as it stands (bar its per-agency lists), with its
    # comparator's code, its state in Vietnamese and how many agencies do not count yet.
    indicators = [
        IndicatorRow.model_validate(
            {
                **s.model_dump(exclude={"breakdown", "gap_list"}),
                "comparator": s.comparator.value,
                "status_label_vi": INDICATOR_STATES_VI.get(s.status, s.status),
                "gaps": len(s.gap_list),
            }
        )
        for s in status.indicators
    ]
    now = utcnow()
    return ConsolidatedReport(
        plan_code=plan.code,
        document_number=plan.document_number,
        plan_title=plan.title,
        plan_issued_on=plan.issued_on,
        coordinator_name=_agency_name(session, plan.coordinator_code),
        issuer_name=_agency_name(session, plan.issuer_code),
        period=window.label,
        period_kind=window.kind,
        request_id=context.request.id if context.request else None,
        window_start=window.first_day,
        window_end=window.last_day,
        deadline=context.deadline,
        generated_at=now,
        status_reference=StatusReference(period=period, as_of=status_day),
        indicator_summary=status.summary,
        indicators=indicators,
        task_board=plan_board(session, context=context),
        compliance=compliance(session, context=context, as_of=as_of or now),
        activity=compile_figures(session, plan=plan, window=window, agency_codes=None),
        budget=budget_totals(session, plan_code=plan.code, year=window.year),
        agency_reports=_narratives(session, context),
    )
