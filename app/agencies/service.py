"""Agencies and agency groups."""

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, or_, select

from app.agencies.access import require_national, require_province
from app.agencies.models import Agency, AgencyGroup, AgencyGroupMember
from app.agencies.schemas import (
    AgencyCreate,
    AgencyFilters,
    AgencyGroupCreate,
    AgencyGroupFilters,
    AgencyGroupRead,
    AgencyGroupUpdate,
    AgencyRead,
    AgencyUpdate,
    GroupMemberFilters,
)
from app.audit.service import Trail, snapshot
from app.core.concurrency import check_if_match
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.filters import one_of, search_clause, searched
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import equal_to, in_list, insert_record, patch_record, replacing, where_all
from app.core.service import (
    changes_of,
    local_today,
    or_not_found,
    refuse_nulls,
    refuse_reversed,
)

_FOCAL_FIELDS = ("name", "title", "email", "phone")
_NULL_DETAIL = "{} cannot be null."  # the wording agencies have always answered with
# An agency is known by its code, and its events are its own.
_AGENCY_TRAIL = Trail("agency", entity_id=lambda row: row.code, agency_code=lambda row: row.code)
# A group's kinds select within each plan's province: one group serves every province.
_SHARED_GROUPS = "change agency groups (every province's plans share them)"


def is_active(agency: Agency, on: date) -> bool:
    return (agency.valid_from is None or agency.valid_from <= on) and (
        agency.valid_to is None or agency.valid_to >= on
    )


def active_on_clause(on: date) -> Any:
    return sa.and_(
        or_(col(Agency.valid_from).is_(None), col(Agency.valid_from) <= on),
        or_(col(Agency.valid_to).is_(None), col(Agency.valid_to) >= on),
    )


def to_agency_read(agency: Agency) -> AgencyRead:
    """The row as the API shows it: its contact columns as one focal point, and whether it
    exists today."""
    focal_point = {name: getattr(agency, f"contact_{name}") for name in _FOCAL_FIELDS}
    return AgencyRead.model_validate(
        {
            **agency.model_dump(),
            "id": agency.id or 0,
            "focal_point": focal_point,
            "active": is_active(agency, local_today()),
        }
    )


def _flatten(values: dict[str, Any]) -> dict[str, Any]:
    """API shape (nested focal_point) to columns (contact_*)."""
    if "focal_point" in values:
        focal = values.pop("focal_point") or {}
        for name in _FOCAL_FIELDS:
            values[f"contact_{name}"] = focal.get(name)
    return values


def _find_agency(session: Session, code: str) -> Agency | None:
    return session.exec(select(Agency).where(Agency.code == code)).first()


def get_agency(session: Session, code: str) -> Agency:
    return or_not_found(_find_agency(session, code), f"No agency with code '{code}'.")


def require_agency(session: Session, code: str, *, loc: list[str | int]) -> Agency:
    """Like get_agency, for a code given in a body: an unknown one is invalid input."""
    agency = _find_agency(session, code)
    if agency is None:
        raise InvalidInput(
            f"No agency with code '{code}'.",
            errors=[{"loc": loc, "msg": f"unknown agency '{code}'", "type": "unknown_agency"}],
        )
    return agency


def _check_parent(session: Session, code: str, parent_code: str | None) -> None:
    if parent_code is None:
        return
    require_agency(session, parent_code, loc=["body", "parent_code"])
    ancestor: str | None = parent_code
    seen: set[str] = set()
    while ancestor is not None and ancestor not in seen:
        if ancestor == code:
            raise InvalidInput(
                "An agency cannot be its own ancestor.",
                errors=[{"loc": ["body", "parent_code"], "msg": "cycle", "type": "cycle"}],
            )
        seen.add(ancestor)
        ancestor = session.exec(select(Agency.parent_code).where(Agency.code == ancestor)).first()


def list_agencies(
    session: Session, *, page: PageParams, filters: AgencyFilters
) -> tuple[list[Agency], str | None]:
    province, active_on = filters.province, filters.active_on
    in_group = None
    if filters.group is not None:
        in_group = group_membership_clause(session, get_group(session, filters.group), province)
    statement = where_all(
        select(Agency),
        equal_to(Agency.province_code, province),
        in_list(Agency.kind, filters.kind),
        equal_to(Agency.parent_code, filters.parent),
        in_group,
        None if active_on is None else active_on_clause(active_on),
        search_clause(Agency.search_text, filters.q),
    )
    return paginate(session, statement, Agency.id, page)


def list_group_members(
    session: Session, *, page: PageParams, code: str, filters: GroupMemberFilters
) -> tuple[list[Agency], str | None]:
    """The agencies of group ``code``: the agency list narrowed to the group."""
    narrowed = AgencyFilters.model_construct(group=code, active_on=filters.active_on, q=filters.q)
    return list_agencies(session, page=page, filters=narrowed)


def create_agency(session: Session, *, payload: AgencyCreate, actor: Principal) -> Agency:
    if session.exec(select(Agency.id).where(Agency.code == payload.code)).first() is not None:
        raise Conflict(f"An agency with code '{payload.code}' exists already.")
    _check_parent(session, payload.code, payload.parent_code)
    values = _flatten(payload.model_dump(mode="python"))
    if payload.province_code is None and payload.parent_code is not None:
        values["province_code"] = get_agency(session, payload.parent_code).province_code
    elif payload.province_code is None and actor.is_admin:
        values["province_code"] = actor.province_code  # a province admin's are its own
    require_province(actor, values["province_code"], f"Agency '{payload.code}'")
    agency = Agency.model_validate(values)
    insert_record(session, agency, _AGENCY_TRAIL.recorder(session, actor))
    return agency


def update_agency(
    session: Session, *, code: str, payload: AgencyUpdate, actor: Principal, if_match: str | None
) -> Agency:
    agency = get_agency(session, code)
    require_province(actor, agency.province_code, f"Agency '{code}'")
    check_if_match(if_match, agency)
    changes = _flatten(changes_of(payload))
    if "province_code" in changes:
        require_province(actor, changes["province_code"], f"Agency '{code}'")
    if "parent_code" in changes:
        _check_parent(session, code, changes["parent_code"])
    refuse_nulls(changes, ("name", "kind"), detail=_NULL_DETAIL)
    refuse_reversed(
        changes, agency, "valid_from", "valid_to", detail="valid_from must not be after valid_to."
    )
    patch_record(session, agency, changes, _AGENCY_TRAIL.recorder(session, actor))
    return agency


def _delete_with_memberships(
    session: Session, row: Agency | AgencyGroup, memberships: Any, *, still_used: str
) -> None:
    """Delete ``row`` and its group memberships (``memberships``: which ones) in a
    savepoint; a row still referenced elsewhere is kept, and the answer is 409."""
    try:
        with session.begin_nested():
            session.exec(delete(AgencyGroupMember).where(memberships))
            session.delete(row)
    except sa.exc.IntegrityError as exc:
        raise Conflict(still_used) from exc


def delete_agency(session: Session, *, code: str, actor: Principal, if_match: str | None) -> None:
    agency = get_agency(session, code)
    require_province(actor, agency.province_code, f"Agency '{code}'")
    check_if_match(if_match, agency)
    before = snapshot(agency)
    _delete_with_memberships(
        session,
        agency,
        col(AgencyGroupMember.agency_code) == code,
        still_used=f"Agency '{code}' is still referenced by records, keys, tasks or other "
        "agencies; set valid_to to retire it instead.",
    )
    _AGENCY_TRAIL.record(session, actor, "delete", agency, before=before)


# --- groups -------------------------------------------------------------------------


def get_group(session: Session, code: str) -> AgencyGroup:
    group = session.exec(select(AgencyGroup).where(AgencyGroup.code == code)).first()
    return or_not_found(group, f"No agency group with code '{code}'.")


def explicit_members(session: Session, group: AgencyGroup) -> list[str]:
    return list(
        session.exec(
            select(AgencyGroupMember.agency_code)
            .where(AgencyGroupMember.group_id == group.id)
            .order_by(col(AgencyGroupMember.agency_code))
        ).all()
    )


def group_membership_clause(
    session: Session, group: AgencyGroup, province: str | None = None
) -> Any:
    """``province``: the plan's; its kinds then select that province's agencies alone
    (explicit members are taken as listed)."""
    members = select(AgencyGroupMember.agency_code).where(AgencyGroupMember.group_id == group.id)
    clauses = [col(Agency.code).in_(members)]
    if group.member_kinds:
        clauses.append(_kinds_clause(group.member_kinds, province))
    return or_(*clauses)


def _kinds_clause(kinds: list[str], province: str | None) -> Any:
    clause = col(Agency.kind).in_(kinds)
    return clause if province is None else sa.and_(clause, col(Agency.province_code) == province)


@dataclass(frozen=True)
class Member:
    """What indicator status shows of an agency: who it is and whom to call."""

    code: str
    name: str
    kind: str
    contact_name: str | None
    contact_title: str | None
    contact_email: str | None
    contact_phone: str | None


_MEMBER_COLUMNS = (
    col(Agency.code),
    col(Agency.name),
    col(Agency.kind),
    col(Agency.contact_name),
    col(Agency.contact_title),
    col(Agency.contact_email),
    col(Agency.contact_phone),
)


def groups_members(
    session: Session, group_codes: list[str], on: date, province: str | None = None
) -> dict[str, list[Member]]:
    """The agencies of each of ``group_codes`` active on ``on`` (kinds within
    ``province`` when given), ordered by code, as ``Member`` facts (the columns status
    needs, not whole rows): three queries (groups, explicit members, agencies) however
    many groups a plan's indicators name."""
    groups = session.exec(select(AgencyGroup).where(col(AgencyGroup.code).in_(group_codes))).all()
    missing = sorted(set(group_codes) - {group.code for group in groups})
    if missing:
        raise NotFound(f"No agency group with code '{missing[0]}'.")
    explicit: dict[int, set[str]] = {group.id or 0: set() for group in groups}
    listed = sa.select(col(AgencyGroupMember.group_id), col(AgencyGroupMember.agency_code)).where(
        col(AgencyGroupMember.group_id).in_(list(explicit))
    )
    for group_id, agency_code in session.execute(listed):
        explicit[group_id].add(agency_code)
    codes = sorted(set().union(*explicit.values()))
    kinds = sorted({kind for group in groups for kind in group.member_kinds})
    dialect = session.get_bind().dialect.name
    statement = (
        sa.select(*_MEMBER_COLUMNS, col(Agency.province_code))
        .where(or_(one_of(dialect, col(Agency.code), codes), _kinds_clause(kinds, province)))
        .where(active_on_clause(on))
        .order_by(col(Agency.code))
    )
    rows = [
        (Member(*row[:-1]), province is None or row[-1] == province)
        for row in session.execute(statement)
    ]
    return {
        group.code: [
            agency
            for agency, in_province in rows
            if agency.code in explicit[group.id or 0]
            or (in_province and agency.kind in group.member_kinds)
        ]
        for group in groups
    }


def members_by_code(session: Session, codes: list[str]) -> dict[str, Member]:
    dialect = session.get_bind().dialect.name
    statement = sa.select(*_MEMBER_COLUMNS).where(one_of(dialect, col(Agency.code), codes))
    return {row[0]: Member(*row) for row in session.execute(statement)}


def group_population(
    session: Session, group_code: str, on: date, province: str | None = None
) -> list[Agency]:
    """The group's agencies active on ``on`` (kinds within ``province``), ordered by code."""
    group = get_group(session, group_code)
    statement = (
        select(Agency)
        .where(group_membership_clause(session, group, province))
        .where(active_on_clause(on))
        .order_by(col(Agency.code))
    )
    return list(session.exec(statement).all())


def to_group_read(session: Session, group: AgencyGroup) -> AgencyGroupRead:
    return AgencyGroupRead.model_validate(
        {**group.model_dump(), "id": group.id or 0, "members": explicit_members(session, group)}
    )


def list_groups(
    session: Session, *, page: PageParams, filters: AgencyGroupFilters
) -> tuple[list[AgencyGroup], str | None]:
    statement = searched(select(AgencyGroup), AgencyGroup.search_text, filters.q)
    return paginate(session, statement, AgencyGroup.id, page)


def _checked_members(session: Session, members: list[str]) -> list[str]:
    """The members a body lists, each an agency (422 at its place), sorted, once each."""
    for index, code in enumerate(members):
        require_agency(session, code, loc=["body", "members", index])
    return sorted(set(members))


def _set_members(session: Session, group: AgencyGroup, members: list[str]) -> None:
    session.exec(delete(AgencyGroupMember).where(col(AgencyGroupMember.group_id) == group.id))
    for code in members:
        session.add(AgencyGroupMember(group_id=group.id or 0, agency_code=code))


def _group_snapshot(session: Session, group: AgencyGroup) -> dict[str, Any]:
    return {**snapshot(group), "members": explicit_members(session, group)}


# A group's state in the audit trail holds its explicit members.
_GROUP_TRAIL = Trail("agency_group", entity_id=lambda row: row.code, after=_group_snapshot)


def create_group(session: Session, *, payload: AgencyGroupCreate, actor: Principal) -> AgencyGroup:
    require_national(actor, _SHARED_GROUPS)
    if session.exec(select(AgencyGroup.id).where(AgencyGroup.code == payload.code)).first():
        raise Conflict(f"An agency group with code '{payload.code}' exists already.")
    group = AgencyGroup.model_validate(payload.model_dump(exclude={"members"}, mode="python"))
    session.add(group)
    session.flush()
    _set_members(session, group, _checked_members(session, payload.members))
    insert_record(session, group, _GROUP_TRAIL.recorder(session, actor))
    return group


def update_group(
    session: Session,
    *,
    code: str,
    payload: AgencyGroupUpdate,
    actor: Principal,
    if_match: str | None,
) -> AgencyGroup:
    require_national(actor, _SHARED_GROUPS)
    group = get_group(session, code)
    check_if_match(if_match, group)
    before = _group_snapshot(session, group)
    changes = changes_of(payload, exclude={"members"})
    refuse_nulls(changes, ("name",), detail=_NULL_DETAIL)
    if changes.get("member_kinds", 1) is None:
        changes["member_kinds"] = []
    members = None if payload.members is None else _checked_members(session, payload.members)
    listed = replacing(members, before["members"], partial(_set_members, session, group))
    record = _GROUP_TRAIL.recorder(session, actor)
    patch_record(session, group, changes, record, before=before, replace_parts=listed)
    return group


def delete_group(session: Session, *, code: str, actor: Principal, if_match: str | None) -> None:
    require_national(actor, _SHARED_GROUPS)
    group = get_group(session, code)
    check_if_match(if_match, group)
    before = _group_snapshot(session, group)
    _delete_with_memberships(
        session,
        group,
        col(AgencyGroupMember.group_id) == group.id,
        still_used=f"Agency group '{code}' is still used by tasks or indicators.",
    )
    _GROUP_TRAIL.record(session, actor, "delete", group, before=before)
