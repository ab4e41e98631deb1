"""Duty progress: an agency's update on a section V duty for a period, as for a task."""

from app.audit.service import Trail
from app.duties.models import Duty, DutyProgress
from app.duties.schemas import DutyProgressRead
from app.plans.models import Plan
from app.plans.progress import ProgressKind, progress_read

# Updates on a duty work as those on a task (app.plans.progress.ProgressKind).
DUTY_PROGRESS: ProgressKind[DutyProgress] = ProgressKind(
    model=DutyProgress,
    owner_column="duty_id",
    trail=Trail("duty_progress"),
    named=lambda duty: f"Duty '{duty.code}'",
    short=lambda duty: f"duty {duty.code}",
)


def to_duty_progress_read(plan: Plan, duty: Duty, row: DutyProgress) -> DutyProgressRead:
    return progress_read(DutyProgressRead, plan, row, duty_code=duty.code)
