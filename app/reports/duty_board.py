"""Section V duties on the plan's board, beside the appendix's tasks: each duty's state for
a report period by the tasks' rules (app/reports/task_board.py), its owners as leads."""

from collections import Counter
from datetime import date

from sqlmodel import Session, col, select

from app.core.vocab import LABELS_VI, ProgressStatus, ScheduleKind
from app.duties.models import Duty, DutyProgress
from app.duties.service import plan_duties, to_duty_reads
from app.reports.context import ReportContext
from app.reports.figures import key_counts, progress_clauses
from app.reports.task_board import TASK_STATES, board_state, lead_agencies, task_board
from app.reports.view_schemas import DutyBoardEntry, TaskBoard

RECURRING_TEXT = LABELS_VI[ScheduleKind][ScheduleKind.recurring]


def _latest(session: Session, duty: Duty, agencies: set[str], cutoff: date) -> dict[str, str]:
    rows = session.exec(
        select(DutyProgress.agency_code, DutyProgress.status)
        .where(
            DutyProgress.duty_id == duty.id,
            col(DutyProgress.agency_code).in_(agencies),
            col(DutyProgress.period_start) <= cutoff,
        )
        .order_by(col(DutyProgress.period_end), col(DutyProgress.id))
    ).all()
    return dict(rows)  # the last row per agency wins


def duty_entries(session: Session, *, context: ReportContext) -> list[DutyBoardEntry]:
    window, cutoff = context.window, context.window.last_day
    duties = plan_duties(session, context.plan)
    entries = []
    for duty, read in zip(duties, to_duty_reads(session, context.plan, duties), strict=True):
        parties = lead_agencies(session, read.leads, cutoff, context.plan.province_code)
        leads = set().union(*parties) if parties else set()
        updates = session.exec(
            select(DutyProgress.agency_code, DutyProgress.status).where(
                DutyProgress.duty_id == duty.id,
                col(DutyProgress.agency_code).in_(leads),
                *progress_clauses(window, DutyProgress),
            )
        ).all()
        latest = _latest(session, duty, leads, cutoff)
        done = bool(parties) and all(
            any(latest.get(code) == ProgressStatus.done for code in party) for party in parties
        )
        reported = sorted({code for code, _ in updates})
        statuses = [status for _, status in updates]
        years_text = ", ".join(str(y) for y in duty.schedule_years) or RECURRING_TEXT
        state, reason = board_state(
            duty, f"năm {years_text}", cutoff, done, reported, statuses, window.label
        )
        entries.append(
            DutyBoardEntry(
                **read.model_dump(
                    include={"code", "section", "owner_text", "text", "schedule_kind", "leads"}
                ),
                schedule_years=duty.schedule_years,
                status=state,
                status_label_vi=TASK_STATES[state],
                reason=reason,
                lead_agencies=len(leads),
                lead_agencies_reported=reported,
                updates_by_status=key_counts(
                    list(Counter(statuses).items()), LABELS_VI[ProgressStatus]
                ),
            )
        )
    return entries


def plan_board(session: Session, *, context: ReportContext) -> TaskBoard:
    """The task board with the section V duties beside the tasks."""
    board = task_board(session, context=context)
    duties = duty_entries(session, context=context)
    counts = Counter(e.status for e in duties)
    return board.model_copy(
        update={"duties": duties, "duty_summary": {s: counts.get(s, 0) for s in TASK_STATES}}
    )
