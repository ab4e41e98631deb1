"""Ad-hoc (đột xuất) report requests: the agencies asked, the data window, the deadline."""

from datetime import date
from functools import partial
from typing import Any

from sqlmodel import Session, col, delete, func, select

from app.agencies.access import require_plan_reach
from app.agencies.models import AgencyGroup
from app.agencies.service import group_population, require_agency
from app.audit.service import Trail, snapshot
from app.core.concurrency import check_if_match
from app.core.errors import Conflict
from app.core.filters import check_range, search_clause
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import patch_record, replacing, where_all
from app.core.service import invalid, patch_changes
from app.plans.models import Plan
from app.plans.service import require_plan
from app.reports.context import check_in_plan, get_request, in_plan, requested_agencies
from app.reports.models import AgencyReport, ReportRequest, ReportRequestAgency
from app.reports.regime import ad_hoc_window, requested_deadline
from app.reports.schemas import RequestCreate, RequestFilters, RequestRead, RequestUpdate


def to_request_read(session: Session, request: ReportRequest) -> RequestRead:
    plan = session.get(Plan, request.plan_id)
    return RequestRead.model_validate(
        {
            **request.model_dump(),
            "id": request.id or 0,
            "plan_code": plan.code if plan else "",
            "deadline": requested_deadline(request.due_on),
            "agency_codes": requested_agencies(session, request.id or 0),
        }
    )


def list_requests(
    session: Session, *, page: PageParams, filters: RequestFilters
) -> tuple[list[ReportRequest], str | None]:
    agency_code, due_from, due_to = filters.agency, filters.from_, filters.to
    check_range(due_from, due_to)
    asked = select(ReportRequestAgency.request_id).where(
        ReportRequestAgency.agency_code == agency_code
    )
    statement = where_all(
        select(ReportRequest),
        in_plan(ReportRequest.plan_id, filters.plan),
        None if agency_code is None else col(ReportRequest.id).in_(asked),
        None if due_from is None else col(ReportRequest.due_on) >= due_from,
        None if due_to is None else col(ReportRequest.due_on) <= due_to,
        search_clause(ReportRequest.search_text, filters.q),
    )
    return paginate(session, statement, ReportRequest.id, page)


def _agencies(
    session: Session,
    codes: list[str],
    groups: list[str],
    request: ReportRequest,
    province: str | None = None,
) -> list[str]:
    """``province``: the plan's; the groups' kinds select within it."""
    for index, code in enumerate(codes):
        require_agency(session, code, loc=["body", "agency_codes", index])
    asked = set(codes)
    for index, group in enumerate(groups):
        if session.exec(select(AgencyGroup.id).where(AgencyGroup.code == group)).first() is None:
            raise invalid(["body", "group_codes", index], f"unknown group '{group}'", "unknown")
        asked.update(a.code for a in group_population(session, group, request.window_end, province))
    if not asked:
        raise invalid(["body", "group_codes"], "the groups have no active agency", "empty")
    return sorted(asked)


def _set_agencies(session: Session, request: ReportRequest, codes: list[str]) -> None:
    session.exec(
        delete(ReportRequestAgency).where(col(ReportRequestAgency.request_id) == request.id)
    )
    for code in codes:
        session.add(ReportRequestAgency(request_id=request.id or 0, agency_code=code))


def _snapshot(session: Session, request: ReportRequest) -> dict[str, Any]:
    return {**snapshot(request), "agency_codes": requested_agencies(session, request.id or 0)}


# A request's state in the audit trail names the agencies it asks, which live in rows of
# their own.
_TRAIL = Trail("report_request", after=_snapshot)


def _require_reach(session: Session, actor: Principal, request: ReportRequest) -> None:
    plan = session.get(Plan, request.plan_id)
    assert plan is not None
    require_plan_reach(actor, plan)


def _check_window(plan: Plan, request_id: int, start: date, end: date) -> None:
    check_in_plan(plan, ad_hoc_window(request_id, start, end), ["body", "window_start"])


def create_request(session: Session, *, payload: RequestCreate, actor: Principal) -> ReportRequest:
    plan = require_plan(session, payload.plan_code, loc=["body", "plan_code"])
    require_plan_reach(actor, plan)
    request = ReportRequest.model_validate(
        {
            **payload.model_dump(mode="python", exclude={"agency_codes", "group_codes"}),
            "plan_id": plan.id,
        }
    )
    _check_window(plan, request.id or 0, request.window_start, request.window_end)
    codes = _agencies(
        session, payload.agency_codes, payload.group_codes, request, plan.province_code
    )
    session.add(request)
    session.flush()
    _set_agencies(session, request, codes)
    _TRAIL.record(session, actor, "create", request, before=None)
    return request


def _filed(session: Session, request: ReportRequest) -> list[str]:
    return list(
        session.exec(
            select(AgencyReport.agency_code).where(AgencyReport.request_id == request.id)
        ).all()
    )


def update_request(
    session: Session,
    *,
    request_id: int,
    payload: RequestUpdate,
    actor: Principal,
    if_match: str | None,
) -> ReportRequest:
    request = get_request(session, request_id)
    _require_reach(session, actor, request)
    check_if_match(if_match, request)
    changes = patch_changes(payload, exclude={"agency_codes"})
    if payload.agency_codes is None and "agency_codes" in payload.model_fields_set:
        raise invalid(["body", "agency_codes"], "agency_codes may not be null", "null")
    before = _snapshot(session, request)
    filed = _filed(session, request)
    start = changes.get("window_start", request.window_start)
    end = changes.get("window_end", request.window_end)
    due = changes.get("due_on", request.due_on)
    if filed and (start, end) != (request.window_start, request.window_end):
        raise Conflict(
            f"{len(filed)} agencies have filed for request {request_id}; its window can no "
            "longer change."
        )
    if start > end or due < end:
        raise invalid(["body", "window_end"], "needs window_start <= window_end <= due_on", "range")
    plan = session.get(Plan, request.plan_id)
    assert plan is not None
    _check_window(plan, request.id or 0, start, end)
    codes = None
    if payload.agency_codes is not None:
        codes = _agencies(session, payload.agency_codes, [], request)
        dropped = sorted(set(filed) - set(codes))
        if dropped:
            raise Conflict(f"{', '.join(dropped)} filed for this request; keep them asked.")
    asked = replacing(codes, before["agency_codes"], partial(_set_agencies, session, request))
    record = _TRAIL.recorder(session, actor)
    patch_record(session, request, changes, record, before=before, replace_parts=asked)
    return request


def delete_request(
    session: Session, *, request_id: int, actor: Principal, if_match: str | None
) -> None:
    request = get_request(session, request_id)
    _require_reach(session, actor, request)
    check_if_match(if_match, request)
    filed = session.exec(select(func.count()).where(AgencyReport.request_id == request.id)).one()
    if filed:
        raise Conflict(f"{filed} report(s) answer request {request_id}; it cannot be deleted.")
    before = _snapshot(session, request)
    session.exec(
        delete(ReportRequestAgency).where(col(ReportRequestAgency.request_id) == request.id)
    )
    session.delete(request)
    _TRAIL.record(session, actor, "delete", request, before=before)
