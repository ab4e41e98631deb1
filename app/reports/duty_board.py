"""Section V duties on the plan's board, beside the appendix's tasks: each duty's state for
a report period by the tasks' rules (app/reports/task_board.py), its owners as leads."""

from collections import Counter

from sqlmodel import Session

from app.core.vocab import LABELS_VI, ScheduleKind
from app.duties.progress import DUTY_PROGRESS
from app.duties.service import plan_duties, to_duty_reads
from app.reports.context import ReportContext
from app.reports.task_board import TASK_STATES, board_standing, task_board
from app.reports.view_schemas import DutyBoardEntry, TaskBoard

RECURRING_TEXT = LABELS_VI[ScheduleKind][ScheduleKind.recurring]


def duty_entries(session: Session, *, context: ReportContext) -> list[DutyBoardEntry]:
    duties = plan_duties(session, context.plan)
    entries = []
    for duty, read in zip(duties, to_duty_reads(session, context.plan, duties), strict=True):
        years_text = ", ".join(str(y) for y in duty.schedule_years) or RECURRING_TEXT
        entries.append(
            DutyBoardEntry(
                **read.model_dump(
                    include={"code", "section", "owner_text", "text", "schedule_kind", "leads"}
                ),
                schedule_years=duty.schedule_years,
                **board_standing(
                    session, DUTY_PROGRESS, duty, read.leads, f"năm {years_text}", context
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
