"""Duty progress: an agency's update on a section V duty for a period, as for a task."""

from sqlmodel import Session, col, select

from app.agencies.access import authorize_agency
from app.agencies.service import require_agency
from app.audit.service import Trail, snapshot
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, NotFound
from app.core.filters import searched
from app.core.pagination import PageParams, paginate
from app.core.periods import Period
from app.core.principal import Principal
from app.core.service import apply_changes, changes_of, refuse_nulls
from app.duties.models import Duty, DutyProgress
from app.duties.schemas import DutyProgressRead
from app.plans.models import Plan
from app.plans.progress import check_evidence, check_period
from app.plans.schemas import EvidenceRead, ProgressCreate, ProgressUpdate

_TRAIL = Trail("duty_progress")


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
    row = session.get(DutyProgress, progress_id)
    if row is None or row.duty_id != duty.id:
        raise NotFound(f"Duty '{duty.code}' has no progress update {progress_id}.")
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
    statement = select(DutyProgress).where(DutyProgress.duty_id == duty.id)
    if agency_code is not None:
        statement = statement.where(DutyProgress.agency_code == agency_code)
    if period is not None:
        statement = statement.where(
            col(DutyProgress.period_start) >= period.start,
            col(DutyProgress.period_end) <= period.end,
        )
    if status is not None:
        statement = statement.where(DutyProgress.status == status)
    return paginate(
        session, searched(statement, DutyProgress.search_text, q), DutyProgress.id, page
    )


def _unique(session: Session, duty: Duty, agency_code: str, period: str) -> None:
    existing = session.exec(
        select(DutyProgress.id).where(
            DutyProgress.duty_id == duty.id,
            DutyProgress.agency_code == agency_code,
            DutyProgress.period == period,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"'{agency_code}' has an update for duty {duty.code} and period {period} "
            f"already (id {existing}); PATCH it instead."
        )


def create_duty_progress(
    session: Session, *, plan: Plan, duty: Duty, payload: ProgressCreate, actor: Principal
) -> DutyProgress:
    require_agency(session, payload.agency_code, loc=["body", "agency_code"])
    authorize_agency(session, actor, payload.agency_code)
    period = check_period(plan, payload.period)
    evidence = check_evidence(session, payload.evidence)
    _unique(session, duty, payload.agency_code, period.label)
    row = DutyProgress.model_validate(
        {
            **payload.model_dump(mode="python", exclude={"evidence"}),
            "duty_id": duty.id,
            "period": period.label,
            "period_start": period.start,
            "period_end": period.end,
            "evidence": evidence,
        }
    )
    session.add(row)
    _TRAIL.record(session, actor, "create", row, before=None)
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
    row = get_duty_progress(session, duty, progress_id)
    authorize_agency(session, actor, row.agency_code)
    check_if_match(if_match, row)
    changes = changes_of(payload)
    refuse_nulls(changes, ("agency_code", "period", "status"))
    if "agency_code" in changes and changes["agency_code"] != row.agency_code:
        require_agency(session, changes["agency_code"], loc=["body", "agency_code"])
        authorize_agency(session, actor, changes["agency_code"])
    if "period" in changes:
        period = check_period(plan, changes["period"])
        changes.update(period=period.label, period_start=period.start, period_end=period.end)
    if "evidence" in changes:
        changes["evidence"] = check_evidence(session, payload.evidence or [])
    agency_code = changes.get("agency_code", row.agency_code)
    label = changes.get("period", row.period)
    if (agency_code, label) != (row.agency_code, row.period):
        _unique(session, duty, agency_code, label)
    before = snapshot(row)
    if apply_changes(row, changes):
        session.add(row)
        _TRAIL.record(session, actor, "update", row, before=before)
    return row


def delete_duty_progress(
    session: Session, *, duty: Duty, progress_id: int, actor: Principal, if_match: str | None
) -> None:
    row = get_duty_progress(session, duty, progress_id)
    authorize_agency(session, actor, row.agency_code)
    check_if_match(if_match, row)
    before = snapshot(row)
    session.delete(row)
    _TRAIL.record(session, actor, "delete", row, before=before)
