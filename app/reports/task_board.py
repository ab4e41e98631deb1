"""The plan's task board: each task's state for a report period, derived from its schedule
and its lead agencies' progress updates.

In order: a dated task ("Năm 2026, 2027") whose every lead has reported it done is
``done``; one past its last year and not done is ``overdue``; a task whose schedule has not
begun is ``not_due``; a task none of whose lead agencies filed progress for the period is
``lagging``; one with a lead reporting ``blocked`` is ``blocked``; otherwise ``on_track``.
Progress "for the period" is read as in the agency reports: updates whose calendar period
lies inside the period of the same name (``2026-Q1`` reads ``2026-Q1`` and its months).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.agencies.service import group_population
from app.core.vocab import LABELS_VI, ProgressStatus, ScheduleKind
from app.duties.models import Duty
from app.plans.models import Task
from app.plans.progress import TASK_PROGRESS, ProgressKind
from app.plans.schemas import PartyRead
from app.plans.service import to_task_reads
from app.reports.context import ReportContext
from app.reports.figures import key_counts, progress_clauses
from app.reports.regime import ReportWindow
from app.reports.view_schemas import TaskBoard, TaskBoardEntry

TASK_STATES = {
    "done": "Hoàn thành",
    "overdue": "Quá hạn",
    "lagging": "Chậm tiến độ (chưa có báo cáo tiến độ)",
    "blocked": "Vướng mắc",
    "on_track": "Đang triển khai",
    "not_due": "Chưa đến thời gian thực hiện",
}

# A task's own columns on the board, as its read model has them.
_TASK_COLUMNS = {"number", "title", "schedule_kind", "schedule_years", "deadline_text", "leads"}


def lead_agencies(
    session: Session, leads: list[PartyRead], on: date, province: str | None
) -> list[set[str]]:
    """Per lead party, its agencies: one for an agency, the active members for a group
    (kinds within ``province``, the plan's)."""
    parties = []
    for party in leads:
        if party.agency_code:
            parties.append({party.agency_code})
        else:
            parties.append(
                {a.code for a in group_population(session, party.group_code or "", on, province)}
            )
    return parties


@dataclass(frozen=True)
class LeadsProgress:
    """What the lead agencies of a task or duty reported: for the period (``reported``,
    ``statuses``) and, as of the cutoff, whether every lead party has one agency done."""

    leads: set[str]
    done: bool
    reported: list[str]
    statuses: list[str]


def leads_progress(
    session: Session,
    kind: ProgressKind[Any],
    owner: Any,
    parties: list[set[str]],
    window: ReportWindow,
) -> LeadsProgress:
    model, cutoff = kind.model, window.last_day
    leads = set().union(*parties) if parties else set()
    of_leads = (getattr(model, kind.owner_column) == owner.id, col(model.agency_code).in_(leads))
    updates = session.exec(
        select(model.agency_code, model.status).where(*of_leads, *progress_clauses(window, model))
    ).all()
    latest = dict(  # the last row per agency wins
        session.exec(
            select(model.agency_code, model.status)
            .where(*of_leads, col(model.period_start) <= cutoff)
            .order_by(col(model.period_end), col(model.id))
        ).all()
    )
    done = bool(parties) and all(
        any(latest.get(code) == ProgressStatus.done for code in party) for party in parties
    )
    return LeadsProgress(
        leads=leads,
        done=done,
        reported=sorted({code for code, _ in updates}),
        statuses=[status for _, status in updates],
    )


def board_state(
    task: Task | Duty,
    deadline_text: str,
    cutoff: date,
    done: bool,
    reported: list[str],
    statuses: list[str],
    label: str,
) -> tuple[str, str]:
    """A task's or a duty's state for a period (the rules of this module's docstring)."""
    years = sorted(task.schedule_years)
    dated = task.schedule_kind == ScheduleKind.years and years
    if dated and done:
        return "done", "Các đơn vị chủ trì đã báo cáo hoàn thành."
    if dated and cutoff > date(years[-1], 12, 31):
        return "overdue", f"Thời hạn {deadline_text} đã qua mà chưa hoàn thành."
    if years and task.schedule_kind != ScheduleKind.recurring and cutoff < date(years[0], 1, 1):
        return "not_due", f"Nhiệm vụ thực hiện từ năm {years[0]}."
    if not reported:
        return "lagging", f"Không đơn vị chủ trì nào báo cáo tiến độ kỳ {label}."
    if ProgressStatus.blocked in statuses:
        return "blocked", "Có đơn vị chủ trì báo cáo vướng mắc."
    return "on_track", f"{len(reported)} đơn vị chủ trì đã báo cáo tiến độ kỳ {label}."


def board_standing(
    session: Session,
    kind: ProgressKind[Any],
    owner: Task | Duty,
    leads: list[PartyRead],
    deadline_text: str,
    context: ReportContext,
) -> dict[str, Any]:
    """Where a task or a duty stands for the context's period: its state and why
    (``board_state``), and what its lead agencies reported. These are the fields a
    ``TaskBoardEntry`` and a ``DutyBoardEntry`` share, by name, so both boards judge a
    row the same way."""
    window, cutoff = context.window, context.window.last_day
    parties = lead_agencies(session, leads, cutoff, context.plan.province_code)
    progress = leads_progress(session, kind, owner, parties, window)
    state, reason = board_state(
        owner,
        deadline_text,
        cutoff,
        progress.done,
        progress.reported,
        progress.statuses,
        window.label,
    )
    return {
        "status": state,
        "status_label_vi": TASK_STATES[state],
        "reason": reason,
        "lead_agencies": len(progress.leads),
        "lead_agencies_reported": progress.reported,
        "updates_by_status": key_counts(
            list(Counter(progress.statuses).items()), LABELS_VI[ProgressStatus]
        ),
    }


def task_board(session: Session, *, context: ReportContext) -> TaskBoard:
    plan, window = context.plan, context.window
    cutoff = window.last_day
    tasks = list(
        session.exec(select(Task).where(Task.plan_id == plan.id).order_by(col(Task.number))).all()
    )
    entries = [
        TaskBoardEntry(
            **read.model_dump(include=_TASK_COLUMNS),
            **board_standing(session, TASK_PROGRESS, task, read.leads, task.deadline_text, context),
        )
        for task, read in zip(tasks, to_task_reads(session, plan, tasks), strict=True)
    ]
    summary = Counter(e.status for e in entries)
    return TaskBoard(
        plan_code=plan.code,
        period=window.label,
        window_start=window.first_day,
        window_end=cutoff,
        summary={s: summary.get(s, 0) for s in TASK_STATES},
        tasks=entries,
    )
