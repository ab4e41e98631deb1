"""Who has reported: each expected agency on time, late, missing or not yet due.

A report counts from its current submission: a report that was returned counts again only
when it is submitted again (a returned report is not a received report), and it is late
when that submission came after the deadline. Reports by agencies that were not expected
are listed too, with ``expected: false``. Looking back (``as_of`` in the past), a current
submission made after ``as_of`` is not seen yet.
"""

from collections import Counter
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.agencies.schemas import FocalPointRead
from app.reports.context import ReportContext, expected_reporters
from app.reports.models import AgencyReport
from app.reports.regime import deadline_end
from app.reports.view_schemas import ComplianceEntry, ComplianceRead

STATES = ("on_time", "late", "missing", "not_due")
STATE_LABELS_VI = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp (quá hạn)",
    "not_due": "Chưa đến hạn",
}


def state_of(report: AgencyReport | None, due_end: datetime, as_of: datetime) -> str:
    if (
        report is not None
        and report.status in ("submitted", "accepted")
        and report.submitted_at is not None
        and report.submitted_at <= as_of
    ):
        return "on_time" if report.submitted_at < due_end else "late"
    return "not_due" if as_of < due_end else "missing"


def _focal(agency: Agency) -> FocalPointRead:
    return FocalPointRead(
        name=agency.contact_name,
        title=agency.contact_title,
        email=agency.contact_email,
        phone=agency.contact_phone,
    )


def compliance(
    session: Session, *, context: ReportContext, as_of: datetime, state: str | None = None
) -> ComplianceRead:
    expected = expected_reporters(session, context)
    reports = {
        r.agency_code: r
        for r in session.exec(
            select(AgencyReport).where(
                AgencyReport.plan_id == context.plan.id,
                AgencyReport.period == context.window.label,
            )
        ).all()
    }
    extra_codes = sorted(set(reports) - {a.code for a in expected})
    extra = list(
        session.exec(
            select(Agency).where(col(Agency.code).in_(extra_codes)).order_by(col(Agency.code))
        ).all()
    )
    due_end = deadline_end(context.deadline)
    entries = []
    for agency, is_expected in [(a, True) for a in expected] + [(a, False) for a in extra]:
        report = reports.get(agency.code)
        current = state_of(report, due_end, as_of)
        entries.append(
            ComplianceEntry(
                agency_code=agency.code,
                name=agency.name,
                kind=agency.kind,
                expected=is_expected,
                state=current,
                state_label_vi=STATE_LABELS_VI[current],
                report_id=report.id if report else None,
                report_status=report.status if report else None,
                submitted_at=report.submitted_at if report else None,
                submission_count=report.submission_count if report else 0,
                focal_point=_focal(agency),
            )
        )
    counts = Counter(e.state for e in entries if e.expected)
    return ComplianceRead(
        plan_code=context.plan.code,
        period=context.window.label,
        period_kind=context.window.kind,
        request_id=context.request.id if context.request else None,
        window_start=context.window.first_day,
        window_end=context.window.last_day,
        deadline=context.deadline,
        as_of=as_of.astimezone(UTC),
        summary={s: counts.get(s, 0) for s in STATES},
        agencies=[e for e in entries if state is None or e.state == state],
    )
