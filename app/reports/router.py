"""Agency reports (/reports), compliance, the task board and the consolidated report.

Agencies file their own reports (a write key, for its agency and those under it); the
coordinator (an admin key) accepts or returns them and downloads the consolidated report.
Compliance and the task board are readable by any key: who is late is no secret among
the agencies, and seeing it helps them catch up.
"""

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime
from sqlmodel import Session

from app.agencies.access import require_plan_reach
from app.core.access import Admin, Reader, Writer
from app.core.concurrency import IfMatch, set_etag
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS, WRITE_ERRORS, problem_responses
from app.core.item_routes import ItemRoutes, Key, from_session_row, path_key
from app.core.openapi import seed_example
from app.core.principal import Principal
from app.core.routes import id_path
from app.core.types import utcnow
from app.reports import schemas, workflow
from app.reports.compliance import STATES, compliance
from app.reports.consolidated import consolidated_report
from app.reports.consolidated_schemas import ConsolidatedReport
from app.reports.context import ReportContext, query_context
from app.reports.duty_board import plan_board
from app.reports.models import AgencyReport
from app.reports.regime import PERIOD_PATTERN
from app.reports.view_schemas import ComplianceRead, TaskBoard

router = APIRouter(prefix="/reports", tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ReportId = Annotated[int, id_path("The report's id.")]
PeriodQuery = Annotated[
    str | None,
    Query(
        max_length=12,
        pattern=PERIOD_PATTERN,
        description="Reporting period (NĐ 09/2019/NĐ-CP windows): `2026-Q1`, `2026-H1`, `2026` "
        "(no second half: the year report covers it).",
        openapi_examples=seed_example("2026-Q1", "First quarter of 2026"),
    ),
]
AsOfQuery = Annotated[
    AwareDatetime | None,
    Query(description="Judge deadlines as of this instant (default: now)."),
]


def _context(
    session: Session, plan: str | None, period: str | None, request: int | None
) -> ReportContext:
    return query_context(session, plan_code=plan, period=period, request_id=request)


def _consolidated(
    session: SessionDep,
    admin: Admin,
    plan: schemas.PlanQuery = None,
    period: PeriodQuery = None,
    request: schemas.RequestQuery = None,
    as_of: AsOfQuery = None,
) -> ConsolidatedReport:
    """The consolidated report the query names: the JSON and both files answer it; a
    province administrator's of its own plans only."""
    context = _context(session, plan, period, request)
    require_plan_reach(admin, context.plan)
    return consolidated_report(session, context=context, as_of=as_of)


# After the key check in each route's parameters: a caller who may not read it gets 403 first.
Consolidated = Annotated[ConsolidatedReport, Depends(_consolidated)]


def _report_summaries(session: Session, reports: list[AgencyReport], _key: Key) -> list[Any]:
    """A page of reports without their figures, each with its plan's code."""
    codes = workflow.plan_codes(session, reports)
    return [workflow.to_report_summary(codes, report) for report in reports]


ROUTES = ItemRoutes(
    router,
    "/{report_id:int}",
    path_key(report_id=ReportId),
    schemas.ReportRead,
    present=from_session_row(workflow.to_report_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_reports",
    "List agency reports",
    "Agencies' periodic and ad-hoc reports (figures left out: GET one report for them).",
    schemas.ReportFilters,
    workflow.list_reports,
    schemas.ReportPage,
    present_page=_report_summaries,
)


@router.get(
    "/compliance",
    response_model=ComplianceRead,
    summary="Who has reported for a period",
    responses=READ_ERRORS,
)
def get_report_compliance(
    session: SessionDep,
    _reader: Reader,
    plan: schemas.PlanQuery = None,
    period: PeriodQuery = None,
    request: schemas.RequestQuery = None,
    as_of: AsOfQuery = None,
    state: Annotated[
        str | None, Query(pattern="^(" + "|".join(STATES) + ")$", description="Only this state.")
    ] = None,
) -> ComplianceRead:
    """Each expected agency as `on_time`, `late`, `missing` or `not_due`, with its focal
    point. Periodic: the agencies that lead or coordinate a task (groups expanded), less the
    coordinator, the issuer and community digital teams; ad-hoc: those the request names."""
    context = _context(session, plan, period, request)
    return compliance(session, context=context, as_of=as_of or utcnow(), state=state)


@router.get(
    "/task-board",
    response_model=TaskBoard,
    summary="The plan's task board for a period",
    responses=READ_ERRORS,
)
def get_task_board(
    session: SessionDep,
    _reader: Reader,
    plan: schemas.PlanQuery = None,
    period: PeriodQuery = None,
    request: schemas.RequestQuery = None,
) -> TaskBoard:
    """Every task with its leads and its state at the period's cut-off: done, overdue,
    lagging (no lead filed progress for the period), blocked, on track or not yet due; and
    beside them the plan's section V duties, by the same rules (`duties`)."""
    return plan_board(session, context=_context(session, plan, period, request))


@router.get(
    "/consolidated",
    response_model=ConsolidatedReport,
    summary="The consolidated report (JSON)",
    responses=READ_ERRORS | problem_responses(403),
)
def get_consolidated_report(_admin: Admin, report: Consolidated) -> ConsolidatedReport:
    """Indicator status table, task board, compliance, totals of activity and budget for a
    period (admin). Indicators are the status engine's for the calendar year of the cut-off
    day, as of the end of that day."""
    return report


def _download(report: ConsolidatedReport, content: bytes, media_type: str, ext: str) -> Response:
    ascii_name = f"bao-cao-{report.plan_code}-{report.period}.{ext}"
    utf8_name = f"Báo cáo {report.document_number.replace('/', '-')} {report.period}.{ext}"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(utf8_name)}"
        },
    )


def _file_responses(media_type: str) -> dict[int | str, dict[str, Any]]:
    """A download's answers: the file, or the problems of an admin's read."""
    return {
        200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}},
        **READ_ERRORS,
        **problem_responses(403),
    }


@router.get(
    "/consolidated.xlsx",
    summary="The consolidated report as an Excel workbook",
    response_class=Response,
    responses=_file_responses(XLSX),
)
def export_consolidated_report_xlsx(_admin: Admin, report: Consolidated) -> Response:
    """One sheet per part (overview, indicators, tasks, compliance, activity, budget, agency
    reports), Vietnamese headers, numbers as numbers and dates as dates (admin)."""
    # Imported here: openpyxl weighs on every worker's memory for a rarely used download.
    from app.reports.export_xlsx import build_workbook

    return _download(report, build_workbook(report), XLSX, "xlsx")


@router.get(
    "/consolidated.docx",
    summary="The consolidated report as a Word draft",
    response_class=Response,
    responses=_file_responses(DOCX),
)
def export_consolidated_report_docx(_admin: Admin, report: Consolidated) -> Response:
    """ "Báo cáo kết quả thực hiện Kế hoạch 209/KH-UBND": a draft an official edits, numbers
    and signs (admin)."""
    # Imported here: python-docx weighs on every worker's memory for a rarely used download.
    from app.reports.export_docx import build_document

    return _download(report, build_document(report), DOCX, "docx")


def _answer(session: Session, response: Response, report: AgencyReport) -> schemas.ReportRead:
    """A report as the write and read routes answer it, with its ETag."""
    set_etag(response, report)
    return workflow.to_report_read(session, report)


ROUTES.create(
    "create_report",
    "Create a draft report",
    """An agency starts its report for a period (or an ad-hoc request); one per agency,
    plan and period. The figures compile themselves from the agency's records.""",
    schemas.ReportCreate,
    workflow.create_report,
    "/api/v1/reports/{row.id}",
)

ROUTES.read(
    "get_report",
    "Get a report",
    """One report with its figures: compiled now for a draft or a returned report, as
    submitted otherwise.""",
    workflow.get_report,
)

ROUTES.change(
    "update_report",
    "Edit a report",
    "Edit the narrative of a draft or returned report (409 once submitted or accepted).",
    schemas.ReportUpdate,
    workflow.update_report,
)

ROUTES.delete(
    "delete_report",
    "Delete a draft report",
    "Only a draft can be deleted.",
    workflow.delete_report,
)


@router.post(
    "/{report_id:int}/submit",
    response_model=schemas.ReportRead,
    summary="Submit a report",
    responses=WRITE_ERRORS,
)
def submit_report(
    report_id: ReportId,
    session: SessionDep,
    actor: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.ReportRead:
    """Send a draft or returned report to the coordinator; its figures are frozen as
    compiled now and the submission time decides whether it is on time."""
    report = workflow.submit_report(session, report_id=report_id, actor=actor, if_match=if_match)
    return _answer(session, response, report)


def _review(status: str) -> Callable[..., AgencyReport]:
    """The review that gives a submitted report ``status`` with the payload's comment."""

    def review(
        session: Session,
        *,
        report_id: int,
        payload: schemas.ReportAccept | schemas.ReportReturn,
        actor: Principal,
        if_match: str | None,
    ) -> AgencyReport:
        return workflow.review_report(
            session,
            report_id=report_id,
            actor=actor,
            if_match=if_match,
            status=status,
            comment=payload.comment,
        )

    return review


ROUTES.change(
    "accept_report",
    "Accept a report",
    """Accept a submitted report (admin); it is locked from then on.""",
    schemas.ReportAccept,
    _review("accepted"),
    method="POST",
    suffix="/accept",
    writer=Admin,
)

ROUTES.change(
    "return_report",
    "Return a report for correction",
    """Send a submitted report back with a comment (admin); the agency edits and submits
    again, and counts as reported only then.""",
    schemas.ReportReturn,
    _review("returned"),
    method="POST",
    suffix="/return",
    writer=Admin,
)
