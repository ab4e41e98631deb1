"""Progress updates: an agency's update on a task, or on a section V duty, for a period (a
record, not catalogue). ``ProgressKind`` holds what the two share; the tasks' functions are
below, the duties' in app/duties/progress.py."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.agencies.access import authorize_agency
from app.agencies.service import require_agency
from app.audit.service import Trail
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, NotFound
from app.core.filters import search_clause
from app.core.pagination import PageParams, paginate
from app.core.periods import Period, parse_period
from app.core.principal import Principal
from app.core.records import delete_record, equal_to, insert_record, patch_record, where_all
from app.core.service import invalid, patch_changes
from app.plans.models import Plan, Task, TaskProgress
from app.plans.schemas import (
    Evidence,
    ProgressCreate,
    ProgressFilters,
    ProgressRead,
    ProgressUpdate,
)

# The records an evidence item of each kind points at, by their table: plans sit below the
# records in the layers, so they name the tables rather than import the records' models.
_EVIDENCE_TABLES = {
    kind: sa.table(kind, sa.column("id")) for kind in ("media_product", "training_session")
}


ReadT = TypeVar("ReadT", bound=BaseModel)


def progress_read(read_model: type[ReadT], plan: Plan, row: Any, **subject: str | int) -> ReadT:
    """An update as the API shows it, on a task or a duty: its columns, the plan's code, and
    what it is an update on (``task_number=3``, ``duty_code="V.1"``)."""
    return read_model.model_validate(
        {**row.model_dump(), "id": row.id or 0, "plan_code": plan.code, **subject}
    )


def to_progress_read(plan: Plan, task: Task, row: TaskProgress) -> ProgressRead:
    return progress_read(ProgressRead, plan, row, task_number=task.number)


def query_period(text: str | None) -> Period | None:
    """A period given in the query string; a malformed one is invalid input."""
    if text is None:
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        raise invalid(["query", "period"], str(exc), "period") from exc


def check_period(plan: Plan, label: str) -> Period:
    period = parse_period(label)
    if period.end < plan.start_on or period.start > plan.end_on:
        raise invalid(
            ["body", "period"],
            f"period {label} lies outside the plan ({plan.start_on} to {plan.end_on})",
            "range",
        )
    return period


def _exists(session: Session, table: sa.TableClause, row_id: int) -> bool:
    found = session.execute(sa.select(table.c.id).where(table.c.id == row_id)).first()
    return found is not None


def check_evidence(session: Session, evidence: list[Evidence]) -> list[dict[str, Any]]:
    for index, item in enumerate(evidence):
        table = _EVIDENCE_TABLES.get(item.kind)
        if table is not None and not _exists(session, table, int(item.ref)):
            raise invalid(
                ["body", "evidence", index, "ref"],
                f"no {item.kind} with id {item.ref}",
                "unknown_reference",
            )
    return [item.model_dump(mode="json") for item in evidence]


Row = TypeVar("Row", bound=Any)


@dataclass(frozen=True)
class ProgressKind(Generic[Row]):
    """What differs between the updates on a task and on a duty: the table, the column naming
    what is updated, the audit trail, and how messages name it (``named``: "Task 3",
    ``short``: "task 3")."""

    model: type[Row]
    owner_column: str
    trail: Trail
    named: Callable[[Any], str]
    short: Callable[[Any], str]

    def _of(self, owner: Any) -> Any:
        return getattr(self.model, self.owner_column) == owner.id

    def get(self, session: Session, owner: Any, progress_id: int) -> Row:
        row = session.get(self.model, progress_id)
        if row is None or getattr(row, self.owner_column) != owner.id:
            raise NotFound(f"{self.named(owner)} has no progress update {progress_id}.")
        return row

    def writable(
        self, session: Session, owner: Any, progress_id: int, actor: Principal, if_match: str | None
    ) -> Row:
        """The update a PATCH or DELETE is about: of an agency the key may write, at the
        version the client holds."""
        row = self.get(session, owner, progress_id)
        authorize_agency(session, actor, row.agency_code)
        check_if_match(if_match, row)
        return row

    def list(
        self,
        session: Session,
        *,
        owner: Any,
        page: PageParams,
        filters: ProgressFilters,
    ) -> tuple[list[Row], str | None]:
        model: Any = self.model
        period = query_period(filters.period)
        statement = where_all(
            select(model).where(self._of(owner)),
            equal_to(model.agency_code, filters.agency),
            None if period is None else col(model.period_start) >= period.start,
            None if period is None else col(model.period_end) <= period.end,
            equal_to(model.status, filters.status),
            search_clause(model.search_text, filters.q),
        )
        return paginate(session, statement, model.id, page)

    def _unique(self, session: Session, owner: Any, agency_code: str, period: str) -> None:
        model: Any = self.model
        existing = session.exec(
            select(model.id).where(
                self._of(owner), model.agency_code == agency_code, model.period == period
            )
        ).first()
        if existing is not None:
            raise Conflict(
                f"'{agency_code}' has an update for {self.short(owner)} and period {period} "
                f"already (id {existing}); PATCH it instead."
            )

    def create(
        self, session: Session, *, plan: Plan, owner: Any, payload: ProgressCreate, actor: Principal
    ) -> Row:
        require_agency(session, payload.agency_code, loc=["body", "agency_code"])
        authorize_agency(session, actor, payload.agency_code)
        period = check_period(plan, payload.period)
        evidence = check_evidence(session, payload.evidence)
        self._unique(session, owner, payload.agency_code, period.label)
        row: Row = self.model.model_validate(
            {
                **payload.model_dump(mode="python", exclude={"evidence"}),
                self.owner_column: owner.id,
                "period": period.label,
                "period_start": period.start,
                "period_end": period.end,
                "evidence": evidence,
            }
        )
        insert_record(session, row, self.trail.recorder(session, actor))
        return row

    def update(
        self,
        session: Session,
        *,
        plan: Plan,
        owner: Any,
        progress_id: int,
        payload: ProgressUpdate,
        actor: Principal,
        if_match: str | None,
    ) -> Row:
        row = self.writable(session, owner, progress_id, actor, if_match)
        changes = patch_changes(payload)
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
            self._unique(session, owner, agency_code, label)
        patch_record(session, row, changes, self.trail.recorder(session, actor))
        return row

    def delete(
        self,
        session: Session,
        *,
        owner: Any,
        progress_id: int,
        actor: Principal,
        if_match: str | None,
    ) -> None:
        row = self.writable(session, owner, progress_id, actor, if_match)
        delete_record(session, row, self.trail.recorder(session, actor))


TASK_PROGRESS: ProgressKind[TaskProgress] = ProgressKind(
    model=TaskProgress,
    owner_column="task_id",
    trail=Trail("task_progress"),
    named=lambda task: f"Task {task.number}",
    short=lambda task: f"task {task.number}",
)
