from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from sqlmodel import Session, col, or_, select

from app.audit.models import AuditEvent
from app.audit.schemas import AuditEventFilters, AuditEventPage, AuditEventRead
from app.core.access import Admin
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.filters import QueryModel, instant_range
from app.core.pagination import PageDep, PageParams, paginate
from app.core.principal import Principal

# The agency table by name: every domain audits through this package, so it sits below
# agencies and does not import their model (app.agencies.access has the same reach).
_AGENCY = sa.table("agency", sa.column("code"), sa.column("province_code"))


def _within_reach(admin: Principal) -> Any:
    """The events of the agencies a province administrator reaches; None: every event."""
    if admin.is_national_admin:
        return None
    in_province = sa.select(_AGENCY.c.code).where(_AGENCY.c.province_code == admin.province_code)
    return col(AuditEvent.agency_code).in_(in_province)


router = APIRouter(prefix="/audit-events", tags=["audit"])


def _page_audit_events(
    session: Session, *, page: PageParams, filters: AuditEventFilters, within: Any
) -> tuple[list[AuditEvent], str | None]:
    # A read-only query; app/audit/service.py keeps to writing events.
    statement = select(AuditEvent)
    if within is not None:
        statement = statement.where(within)
    equal = {
        "entity": filters.entity,
        "entity_id": filters.entity_id,
        "agency_code": filters.agency,
        "action": filters.action,
    }
    for name, value in equal.items():
        if value is not None:
            statement = statement.where(getattr(AuditEvent, name) == value)
    if (actor := filters.actor) is not None:
        statement = statement.where(
            or_(AuditEvent.actor == actor, AuditEvent.actor == f"key:{actor}")
        )
    for clause in instant_range(AuditEvent.occurred_at, filters.from_date, filters.to_date):
        statement = statement.where(clause)
    return paginate(session, statement, AuditEvent.id, page)


@router.get(
    "",
    response_model=AuditEventPage,
    summary="List audit events",
    responses=problem_responses(401, 403, 422, 429, 503),
)
def list_audit_events(
    filters: QueryModel[AuditEventFilters], session: SessionDep, admin: Admin, page: PageDep
) -> AuditEventPage:
    """Who changed what and when, with the entity before and after (admin), oldest first.
    `from`/`to` are local days (Asia/Ho_Chi_Minh) of `occurred_at`. A province
    administrator sees the events of its province's agencies."""
    rows, next_cursor = _page_audit_events(
        session, page=page, filters=filters, within=_within_reach(admin)
    )
    return AuditEventPage(
        items=[AuditEventRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )
