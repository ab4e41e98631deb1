"""Agency reports: draft -> submitted -> accepted, or returned with a comment and
submitted again. An accepted report is locked.

A report's figures are compiled live while it is a draft or returned; submitting freezes
them, so the coordinator reviews exactly what the agency sent.
"""

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.agencies.agency_records import agency_record_kind
from app.agencies.models import Agency
from app.audit.service import snapshot
from app.core.errors import Conflict
from app.core.filters import search_clause
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import delete_record, equal_to, insert_record, where_all
from app.core.service import changes_of, invalid, touch
from app.core.types import utcnow
from app.plans.models import Plan
from app.plans.service import require_plan
from app.reports.context import (
    ReportContext,
    expected_reporters,
    in_plan,
    period_has_begun,
    periodic_context,
    request_context,
    requested_agencies,
)
from app.reports.figures import compile_figures, reporting_scope
from app.reports.models import AgencyReport, ReportRequest
from app.reports.regime import deadline_end
from app.reports.schemas import (
    ReportCreate,
    ReportFilters,
    ReportRead,
    ReportSummary,
    ReportUpdate,
)
from app.reports.view_schemas import CompiledFigures

KIND = agency_record_kind(AgencyReport, "report", "agency_report", missing="No report {id}.")
EDITABLE = ("draft", "returned")
# The coordinator's verdicts on a submitted report, and the audit action of each.
REVIEW_ACTIONS = {"accepted": "accept", "returned": "return"}


def context_of(session: Session, report: AgencyReport) -> ReportContext:
    if report.request_id is not None:
        request = session.get(ReportRequest, report.request_id)
        assert request is not None  # a foreign key
        return request_context(session, request)
    plan = session.get(Plan, report.plan_id)
    assert plan is not None  # a foreign key
    return periodic_context(session, plan, report.period, loc=["path", "report_id"], in_cycle=False)


def figures_of(session: Session, context: ReportContext, agency_code: str) -> CompiledFigures:
    reporters = {a.code for a in expected_reporters(session, context)}
    scope = reporting_scope(session, agency_code, reporters - {agency_code})
    return compile_figures(session, plan=context.plan, window=context.window, agency_codes=scope)


def is_on_time(report: AgencyReport, context: ReportContext) -> bool | None:
    if report.submitted_at is None or report.status not in ("submitted", "accepted"):
        return None
    return report.submitted_at < deadline_end(context.deadline)


def to_report_read(session: Session, report: AgencyReport) -> ReportRead:
    context = context_of(session, report)
    agency = session.exec(select(Agency).where(Agency.code == report.agency_code)).one()
    frozen = report.figures is not None and report.status not in EDITABLE
    figures = (
        CompiledFigures.model_validate(report.figures)
        if frozen
        else figures_of(session, context, report.agency_code)
    )
    return ReportRead.model_validate(
        {
            **report.model_dump(),
            "id": report.id or 0,
            "plan_code": context.plan.code,
            "agency_name": agency.name,
            "deadline": context.deadline,
            "figures": figures,
            "figures_frozen": frozen,
            "on_time": is_on_time(report, context),
        }
    )


def to_report_summary(plan_codes: dict[int, str], report: AgencyReport) -> ReportSummary:
    return ReportSummary.model_validate(
        {**report.model_dump(), "plan_code": plan_codes.get(report.plan_id, "")}
    )


def plan_codes(session: Session, reports: list[AgencyReport]) -> dict[int, str]:
    ids = {r.plan_id for r in reports}
    if not ids:
        return {}
    rows = session.exec(select(Plan.id, Plan.code).where(col(Plan.id).in_(ids))).all()
    return {plan_id or 0: code for plan_id, code in rows}


def get_report(session: Session, report_id: int) -> AgencyReport:
    return KIND.get(session, report_id)


def list_reports(
    session: Session, *, page: PageParams, filters: ReportFilters
) -> tuple[list[AgencyReport], str | None]:
    period = filters.period
    if period and not period.startswith("request"):
        period = period.strip().upper()
    statement = where_all(
        select(AgencyReport),
        in_plan(AgencyReport.plan_id, filters.plan),
        equal_to(AgencyReport.agency_code, filters.agency),
        equal_to(AgencyReport.period, period),
        equal_to(AgencyReport.request_id, filters.request),
        equal_to(AgencyReport.status, filters.status_),
        search_clause(AgencyReport.search_text, filters.q),
    )
    return paginate(session, statement, AgencyReport.id, page)


def create_report(session: Session, *, payload: ReportCreate, actor: Principal) -> AgencyReport:
    plan = require_plan(session, payload.plan_code, loc=["body", "plan_code"])
    KIND.check_agency(session, actor, payload.agency_code)
    if payload.request_id is not None:
        request = session.get(ReportRequest, payload.request_id)
        if request is None or request.plan_id != plan.id:
            raise invalid(
                ["body", "request_id"],
                f"no report request {payload.request_id} in plan {plan.code}",
                "unknown_request",
            )
        if payload.agency_code not in requested_agencies(session, request.id or 0):
            raise invalid(
                ["body", "agency_code"],
                f"request {request.id} does not ask '{payload.agency_code}' for a report",
                "not_requested",
            )
        context = request_context(session, request)
    else:
        context = periodic_context(session, plan, payload.period or "", loc=["body", "period"])
        period_has_begun(context.window, ["body", "period"])
    existing = session.exec(
        select(AgencyReport.id).where(
            AgencyReport.plan_id == plan.id,
            AgencyReport.agency_code == payload.agency_code,
            AgencyReport.period == context.window.label,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"'{payload.agency_code}' has a report for {context.window.label} already "
            f"(id {existing})."
        )
    report = AgencyReport.model_validate(
        {
            "plan_id": plan.id,
            "agency_code": payload.agency_code,
            "period": context.window.label,
            "period_kind": context.window.kind,
            "request_id": payload.request_id,
            "window_start": context.window.first_day,
            "window_end": context.window.last_day,
            "status": "draft",
            "results": payload.results,
            "difficulties": payload.difficulties,
            "proposals": payload.proposals,
        }
    )
    insert_record(session, report, KIND.recorder(session, actor))
    return report


def _locked(report: AgencyReport, doing: str) -> Conflict:
    reason = {
        "accepted": "it has been accepted and is locked",
        "submitted": "it is awaiting review (the coordinator may return it)",
    }.get(report.status, f"it is {report.status}")
    return Conflict(f"Report {report.id} cannot be {doing}: {reason}.")


def _writable(
    session: Session,
    report_id: int,
    actor: Principal,
    if_match: str | None,
    allowed: tuple[str, ...],
    doing: str,
) -> AgencyReport:
    """The report an agency's write is about: one of its own, at the version the client
    holds, in a status that allows ``doing``."""
    report = KIND.writable(session, report_id, actor, if_match)
    if report.status not in allowed:
        raise _locked(report, doing)
    return report


def update_report(
    session: Session,
    *,
    report_id: int,
    payload: ReportUpdate,
    actor: Principal,
    if_match: str | None,
) -> AgencyReport:
    report = _writable(session, report_id, actor, if_match, EDITABLE, "edited")
    KIND.patch(session, report, changes_of(payload), actor)
    return report


def delete_report(
    session: Session, *, report_id: int, actor: Principal, if_match: str | None
) -> None:
    report = _writable(
        session, report_id, actor, if_match, ("draft",), "deleted (only a draft can)"
    )
    delete_record(session, report, KIND.recorder(session, actor))


def submit_report(
    session: Session, *, report_id: int, actor: Principal, if_match: str | None
) -> AgencyReport:
    report = _writable(session, report_id, actor, if_match, EDITABLE, "submitted")
    if not (report.results or "").strip():
        raise invalid(
            ["report", "results"],
            "a report needs its results section (kết quả thực hiện) before it is submitted",
            "missing",
        )
    before = snapshot(report)
    now: datetime = utcnow().astimezone(UTC)
    context = context_of(session, report)
    report.figures = figures_of(session, context, report.agency_code).model_dump(mode="json")
    report.status = "submitted"
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.submission_count += 1
    touch(report)
    session.add(report)
    KIND.recorder(session, actor)(action="submit", row=report, before=before)
    return report


def review_report(
    session: Session,
    *,
    report_id: int,
    actor: Principal,
    if_match: str | None,
    status: str,
    comment: str | None,
) -> AgencyReport:
    report = KIND.writable(session, report_id, actor, if_match)  # an admin: its province's
    if report.status != "submitted":
        raise _locked(report, "accepted or returned")
    before = snapshot(report)
    report.status = status
    report.reviewed_at = utcnow().astimezone(UTC)
    report.reviewed_by = actor.actor
    report.review_comment = comment
    touch(report)
    session.add(report)
    KIND.recorder(session, actor)(action=REVIEW_ACTIONS[status], row=report, before=before)
    return report
