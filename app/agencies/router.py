from typing import Annotated

from fastapi import APIRouter

from app.agencies import schemas, service
from app.core.access import Admin, CatalogueReader
from app.core.db import SessionDep
from app.core.filters import QueryModel
from app.core.item_routes import ItemRoutes, from_row, from_session_row, path_key
from app.core.pagination import PageDep
from app.core.routes import LIST
from app.core.seeded_params import seeded_path

router = APIRouter(prefix="/agencies", tags=["agencies"])
groups_router = APIRouter(prefix="/agency-groups", tags=["agency groups"])

AgencyCode = Annotated[str, seeded_path("The agency's code.", "xa-bao-lam", "UBND xã Bảo Lâm")]
GroupCode = Annotated[
    str, seeded_path("The agency group's code.", "bao-chi-tinh", "Cơ quan báo chí tỉnh")
]


AGENCY_ROUTES = ItemRoutes(
    router,
    "/{code}",
    path_key(code=AgencyCode),
    schemas.AgencyRead,
    present=from_row(service.to_agency_read),
    reader=CatalogueReader,
    writer=Admin,
)

AGENCY_ROUTES.list(
    "list_agencies",
    "List agencies",
    "Agencies of the province: departments, press, communes and wards, digital teams…",
    schemas.AgencyFilters,
    service.list_agencies,
    schemas.AgencyPage,
)

AGENCY_ROUTES.create(
    "create_agency",
    "Create an agency",
    "Add an agency (admin). Codes are slugs without diacritics and never change.",
    schemas.AgencyCreate,
    service.create_agency,
    "/api/v1/agencies/{row.code}",
)

AGENCY_ROUTES.read(
    "get_agency",
    "Get an agency",
    "One agency by its code, with its focal-point contact.",
    service.get_agency,
)

AGENCY_ROUTES.change(
    "update_agency",
    "Update an agency",
    "Rename, re-parent, retire (set `valid_to`) or change the focal point (admin).",
    schemas.AgencyUpdate,
    service.update_agency,
)

AGENCY_ROUTES.delete(
    "delete_agency",
    "Delete an agency",
    """Delete an agency entered by mistake (admin). One with records is retired instead:
    set its `valid_to`.""",
    service.delete_agency,
)


GROUP_ROUTES = ItemRoutes(
    groups_router,
    "/{code}",
    path_key(code=GroupCode),
    schemas.AgencyGroupRead,
    present=from_session_row(service.to_group_read),
    reader=CatalogueReader,
    writer=Admin,
)

GROUP_ROUTES.list(
    "list_agency_groups",
    "List agency groups",
    "Named sets of agencies that tasks and indicators point at.",
    schemas.AgencyGroupFilters,
    service.list_groups,
    schemas.AgencyGroupPage,
)

GROUP_ROUTES.create(
    "create_agency_group",
    "Create an agency group",
    """A group holds every agency of its `member_kinds` (for a plan, within the plan's
    province) plus its explicit `members`. Groups are shared by every province's plans:
    only a national administrator changes them.""",
    schemas.AgencyGroupCreate,
    service.create_group,
    "/api/v1/agency-groups/{row.code}",
)

GROUP_ROUTES.read(
    "get_agency_group",
    "Get an agency group",
    "One group by its code.",
    service.get_group,
)

GROUP_ROUTES.change(
    "update_agency_group",
    "Update an agency group",
    "Rename a group or change its membership (admin); `members` replaces the list.",
    schemas.AgencyGroupUpdate,
    service.update_group,
)

GROUP_ROUTES.delete(
    "delete_agency_group",
    "Delete an agency group",
    "Delete a group no task uses (admin).",
    service.delete_group,
)


@groups_router.get(
    "/{code}/members",
    response_model=schemas.AgencyPage,
    summary="List the agencies of a group",
    **LIST,
)
def list_agency_group_members(
    code: GroupCode,
    filters: QueryModel[schemas.GroupMemberFilters],
    session: SessionDep,
    _reader: CatalogueReader,
    page: PageDep,
) -> schemas.AgencyPage:
    """The group's agencies (by kind and explicit membership), optionally those active on a day."""
    rows, next_cursor = service.list_group_members(session, page=page, code=code, filters=filters)
    return schemas.AgencyPage(
        items=[service.to_agency_read(r) for r in rows], next_cursor=next_cursor
    )
