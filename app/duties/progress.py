"""Duty progress: an agency's update on a section V duty for a period, as for a task."""

from sqlmodel import Session

from app.audit.service import Trail
from app.core.pagination import PageParams
from app.core.periods import Period
from app.core.principal import Principal
from app.duties.models import Duty, DutyProgress
from app.duties.schemas import DutyProgressRead
from app.plans.models import Plan
from app.plans.progress import ProgressKind
from app.plans.schemas import EvidenceRead, ProgressCreate, ProgressUpdate

# Updates on a duty work as those on a task (app.plans.progress.ProgressKind).
DUTY_PROGRESS = ProgressKind(
    model=DutyProgress,
    owner_column="duty_id",
    trail=Trail("duty_progress"),
    named=lambda duty: f"Duty '{duty.code}'",
    short=lambda duty: f"duty {duty.code}",
)


def to_duty_progress_read(plan: Plan, duty: Duty, row: DutyProgress) -> DutyProgressRead:
    return DutyProgressRead(
        id=row.id or 0,
        plan_code=plan.code,
        duty_code=duty.code,
        agency_code=row.agency_code,
        period=row.period,
        period_start=row.period_start,
        period_end=row.period_end,
        status=row.status,
        narrative=row.narrative,
        evidence=[EvidenceRead(**item) for item in row.evidence],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def get_duty_progress(session: Session, duty: Duty, progress_id: int) -> DutyProgress:
    row: DutyProgress = DUTY_PROGRESS.get(session, duty, progress_id)
    return row


def list_duty_progress(
    session: Session,
    *,
    duty: Duty,
    page: PageParams,
    agency_code: str | None = None,
    period: Period | None = None,
    status: str | None = None,
    q: str | None = None,
) -> tuple[list[DutyProgress], str | None]:
    """``period`` keeps the updates whose period lies inside it."""
    return DUTY_PROGRESS.list(
        session, owner=duty, page=page, agency_code=agency_code, period=period, status=status, q=q
    )


def create_duty_progress(
    session: Session, *, plan: Plan, duty: Duty, payload: ProgressCreate, actor: Principal
) -> DutyProgress:
    row: DutyProgress = DUTY_PROGRESS.create(
        session, plan=plan, owner=duty, payload=payload, actor=actor
    )
    return row


def update_duty_progress(
    session: Session,
    *,
    plan: Plan,
    duty: Duty,
    progress_id: int,
    payload: ProgressUpdate,
    actor: Principal,
    if_match: str | None,
) -> DutyProgress:
    row: DutyProgress = DUTY_PROGRESS.update(
        session,
        plan=plan,
        owner=duty,
        progress_id=progress_id,
        payload=payload,
        actor=actor,
        if_match=if_match,
    )
    return row


def delete_duty_progress(
    session: Session, *, duty: Duty, progress_id: int, actor: Principal, if_match: str | None
) -> None:
    DUTY_PROGRESS.delete(
        session, owner=duty, progress_id=progress_id, actor=actor, if_match=if_match
    )
