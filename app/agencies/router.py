from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.agencies import service
from app.agencies.dependencies import ProvinceFilter
from app.agencies.schemas import (
    AgencyCreate,
    AgencyGroupCreate,
    AgencyGroupPage,
    AgencyGroupRead,
    AgencyGroupUpdate,
    AgencyPage,
    AgencyRead,
    AgencyUpdate,
)
from app.core.access import Admin, CatalogueReader
from app.core.concurrency import IfMatch
from app.core.db import SessionDep
from app.core.filters import IsoDate, SearchQuery
from app.core.openapi import seed_example
from app.core.pagination import PageDep
from app.core.routes import CREATED, DELETED, LIST, READ, UPDATE, no_content, tagged, values
from app.core.vocab import AgencyKind

router = APIRouter(prefix="/agencies", tags=["agencies"])
groups_router = APIRouter(prefix="/agency-groups", tags=["agency groups"])

AgencyCode = Annotated[
    str,
    Path(
        description="The agency's code.",
        openapi_examples=seed_example("xa-bao-lam", "UBND xã Bảo Lâm"),
    ),
]
GroupCode = Annotated[
    str,
    Path(
        description="The agency group's code.",
        openapi_examples=seed_example("bao-chi-tinh", "Cơ quan báo chí tỉnh"),
    ),
]


@router.get("", response_model=AgencyPage, summary="List agencies", **LIST)
def list_agencies(
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
    kind: Annotated[
        list[AgencyKind] | None,
        Query(description="One or more kinds, e.g. `kind=commune&kind=ward`.", max_length=20),
    ] = None,
    parent: Annotated[str | None, Query(max_length=80, description="Parent agency code.")] = None,
    group: Annotated[
        str | None,
        Query(max_length=80, description="Agency group code, e.g. `he-thong-ttcs`."),
    ] = None,
    active_on: Annotated[
        IsoDate | None, Query(description="Only agencies that existed on this day.")
    ] = None,
    q: SearchQuery = None,
    province: ProvinceFilter = None,
) -> AgencyPage:
    """Agencies of the province: departments, press, communes and wards, digital teams…"""
    rows, next_cursor = service.list_agencies(
        session,
        page=page,
        kinds=values(kind),
        parent_code=parent,
        group_code=group,
        province=province,
        active_on=active_on,
        q=q,
    )
    return AgencyPage(items=[service.to_agency_read(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "",
    response_model=AgencyRead,
    summary="Create an agency",
    **CREATED,
)
def create_agency(
    payload: AgencyCreate, session: SessionDep, actor: Admin, response: Response
) -> AgencyRead:
    """Add an agency (admin). Codes are slugs without diacritics and never change."""
    agency = service.create_agency(session, payload=payload, actor=actor)
    return tagged(
        response, agency, service.to_agency_read(agency), location=f"/api/v1/agencies/{agency.code}"
    )


@router.get("/{code}", response_model=AgencyRead, summary="Get an agency", **READ)
def get_agency(
    code: AgencyCode, session: SessionDep, _reader: CatalogueReader, response: Response
) -> AgencyRead:
    """One agency by its code, with its focal-point contact."""
    agency = service.get_agency(session, code)
    return tagged(response, agency, service.to_agency_read(agency))


@router.patch("/{code}", response_model=AgencyRead, summary="Update an agency", **UPDATE)
def update_agency(
    code: AgencyCode,
    payload: AgencyUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> AgencyRead:
    """Rename, re-parent, retire (set `valid_to`) or change the focal point (admin)."""
    agency = service.update_agency(
        session, code=code, payload=payload, actor=actor, if_match=if_match
    )
    return tagged(response, agency, service.to_agency_read(agency))


@router.delete(
    "/{code}",
    summary="Delete an agency",
    **DELETED,
)
def delete_agency(
    code: AgencyCode, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete an agency entered by mistake (admin). One with records is retired instead:
    set its `valid_to`."""
    service.delete_agency(session, code=code, actor=actor, if_match=if_match)
    return no_content()


@groups_router.get("", response_model=AgencyGroupPage, summary="List agency groups", **LIST)
def list_agency_groups(
    session: SessionDep, _reader: CatalogueReader, page: PageDep, q: SearchQuery = None
) -> AgencyGroupPage:
    """Named sets of agencies that tasks and indicators point at."""
    rows, next_cursor = service.list_groups(session, page=page, q=q)
    return AgencyGroupPage(
        items=[service.to_group_read(session, g) for g in rows], next_cursor=next_cursor
    )


@groups_router.post(
    "",
    response_model=AgencyGroupRead,
    summary="Create an agency group",
    **CREATED,
)
def create_agency_group(
    payload: AgencyGroupCreate, session: SessionDep, actor: Admin, response: Response
) -> AgencyGroupRead:
    """A group holds every agency of its `member_kinds` (for a plan, within the plan's
    province) plus its explicit `members`. Groups are shared by every province's plans:
    only a national administrator changes them."""
    group = service.create_group(session, payload=payload, actor=actor)
    return tagged(
        response,
        group,
        service.to_group_read(session, group),
        location=f"/api/v1/agency-groups/{group.code}",
    )


@groups_router.get("/{code}", response_model=AgencyGroupRead, summary="Get an agency group", **READ)
def get_agency_group(
    code: GroupCode, session: SessionDep, _reader: CatalogueReader, response: Response
) -> AgencyGroupRead:
    """One group by its code."""
    group = service.get_group(session, code)
    return tagged(response, group, service.to_group_read(session, group))


@groups_router.get(
    "/{code}/members",
    response_model=AgencyPage,
    summary="List the agencies of a group",
    **LIST,
)
def list_agency_group_members(
    code: GroupCode,
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
    active_on: Annotated[
        IsoDate | None, Query(description="Only agencies that existed on this day.")
    ] = None,
    q: SearchQuery = None,
) -> AgencyPage:
    """The group's agencies (by kind and explicit membership), optionally those active on a day."""
    rows, next_cursor = service.list_agencies(
        session, page=page, group_code=code, active_on=active_on, q=q
    )
    return AgencyPage(items=[service.to_agency_read(r) for r in rows], next_cursor=next_cursor)


@groups_router.patch(
    "/{code}",
    response_model=AgencyGroupRead,
    summary="Update an agency group",
    **UPDATE,
)
def update_agency_group(
    code: GroupCode,
    payload: AgencyGroupUpdate,
    session: SessionDep,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> AgencyGroupRead:
    """Rename a group or change its membership (admin); `members` replaces the list."""
    group = service.update_group(
        session, code=code, payload=payload, actor=actor, if_match=if_match
    )
    return tagged(response, group, service.to_group_read(session, group))


@groups_router.delete(
    "/{code}",
    summary="Delete an agency group",
    **DELETED,
)
def delete_agency_group(
    code: GroupCode, session: SessionDep, actor: Admin, if_match: IfMatch = None
) -> Response:
    """Delete a group no task uses (admin)."""
    service.delete_group(session, code=code, actor=actor, if_match=if_match)
    return no_content()
