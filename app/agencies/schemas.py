from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from app.agencies.dependencies import ProvinceFilter
from app.core.field_rules import FieldOrder
from app.core.filters import IsoDate, SearchQuery
from app.core.schemas import InputModel, Page, ReadModel, slug_field, with_examples
from app.core.vocab import AgencyKind

Code = Annotated[str, slug_field("Stable slug without diacritics; never changes once issued.")]

ProvinceCode = Annotated[
    str,
    slug_field("The province, as a slug without diacritics (`cao-bang`).", examples=["cao-bang"]),
]
_PROVINCE = (
    "The province the agency belongs to (`cao-bang`). Omitted: its parent's; an agency "
    "with neither is a national body. A province administrator's agencies are its own "
    "province's."
)


class FocalPoint(InputModel):
    """The person an agency names for the plan (đầu mối)."""

    name: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    email: str | None = Field(
        default=None,
        max_length=254,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        examples=["vanhoa@caobang.gov.vn"],
    )
    phone: str | None = Field(
        default=None, max_length=40, pattern=r"^[0-9+(][0-9 +().-]{1,38}[0-9)]$"
    )


class AgencyFields(InputModel):
    ordered_fields = (
        FieldOrder("valid_from", "valid_to", "valid_from must not be after valid_to"),
    )

    name: str = Field(min_length=1, max_length=300)
    short_name: str | None = Field(default=None, max_length=120)
    kind: AgencyKind
    parent_code: Code | None = None
    province_code: ProvinceCode | None = Field(default=None, description=_PROVINCE)
    admin_code: str | None = Field(
        default=None, pattern=r"^[0-9]{2,10}$", description="National administrative-unit code."
    )
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Last day the agency existed.")
    focal_point: FocalPoint | None = None


class AgencyCreate(AgencyFields):
    code: Code

    model_config = with_examples(
        {
            # The seed holds the five socio-political organisations; a mass association
            # the province also involves is one more row.
            "code": "hoi-chu-thap-do-tinh",
            "name": "Hội Chữ thập đỏ tỉnh Cao Bằng",
            "short_name": "Hội Chữ thập đỏ tỉnh",
            "kind": "front_or_mass_org",
            "parent_code": "ubmttq-tinh",
            "focal_point": {
                "name": "Nông Văn Minh",
                "title": "Chánh Văn phòng Hội",
                "email": "vanphong.hctd@caobang.gov.vn",
                "phone": "0206 3850 123",
            },
        }
    )


class AgencyUpdate(InputModel):
    """Every field optional; ``code`` cannot change. Send null to clear an optional field."""

    contract_not_null = ("name", "kind")

    name: str | None = Field(default=None, min_length=1, max_length=300)
    short_name: str | None = Field(default=None, max_length=120)
    kind: AgencyKind | None = None
    parent_code: Code | None = None
    province_code: ProvinceCode | None = Field(
        default=None, description="Moves the agency to another province (null: national)."
    )
    admin_code: str | None = Field(default=None, pattern=r"^[0-9]{2,10}$")
    valid_from: date | None = None
    valid_to: date | None = None
    focal_point: FocalPoint | None = None

    model_config = with_examples(
        {
            "focal_point": {
                "name": "Hoàng Thị Lan",
                "title": "Phó Chủ tịch UBND xã",
                "email": "ubnd.baolam@caobang.gov.vn",
            }
        }
    )


class FocalPointRead(ReadModel):
    name: str | None
    title: str | None
    email: str | None
    phone: str | None


class AgencyRead(ReadModel):
    id: int
    code: str
    name: str
    short_name: str | None
    kind: AgencyKind
    parent_code: str | None
    province_code: str | None = Field(description="Its province; null for a national body.")
    admin_code: str | None
    valid_from: date | None
    valid_to: date | None
    focal_point: FocalPointRead
    active: bool = Field(description="Whether the agency exists today (local time).")
    created_at: datetime
    updated_at: datetime


AgencyPage = Page[AgencyRead]


class AgencyGroupFields(InputModel):
    name: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    member_kinds: list[AgencyKind] = Field(
        default_factory=list,
        max_length=20,
        description="Every agency of these kinds belongs to the group; for a plan, those of "
        "the plan's province.",
    )
    members: list[Code] = Field(
        default_factory=list, max_length=5000, description="Agencies that belong explicitly."
    )


class AgencyGroupCreate(AgencyGroupFields):
    code: Code

    model_config = with_examples(
        {
            "code": "nhom-bien-tap-nq57",
            "name": "Nhóm biên tập tin, bài về Nghị quyết 57-NQ/TW",
            "member_kinds": [],
            "members": ["so-vhttdl", "so-khcn", "bao-ptth-cb", "cong-ttdt-tinh"],
        }
    )


class AgencyGroupUpdate(InputModel):
    contract_not_null = ("name",)

    name: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    member_kinds: list[AgencyKind] | None = Field(default=None, max_length=20)
    members: list[Code] | None = Field(default=None, max_length=5000)

    model_config = with_examples({"members": ["cong-ttdt-tinh"], "member_kinds": ["press"]})


class AgencyGroupRead(ReadModel):
    id: int
    code: str
    name: str
    description: str | None
    member_kinds: list[AgencyKind]
    members: list[str]
    created_at: datetime
    updated_at: datetime


AgencyGroupPage = Page[AgencyGroupRead]


class AgencyFilters(BaseModel):
    """The query parameters of the agency list."""

    kind: Annotated[
        list[AgencyKind] | None,
        Query(description="One or more kinds, e.g. `kind=commune&kind=ward`.", max_length=20),
    ] = None
    parent: Annotated[str | None, Query(max_length=80, description="Parent agency code.")] = None
    group: Annotated[
        str | None,
        Query(max_length=80, description="Agency group code, e.g. `he-thong-ttcs`."),
    ] = None
    active_on: Annotated[
        IsoDate | None, Query(description="Only agencies that existed on this day.")
    ] = None
    q: SearchQuery = None
    province: ProvinceFilter = None


class AgencyGroupFilters(BaseModel):
    """The query parameters of the agency group list."""

    q: SearchQuery = None


class GroupMemberFilters(BaseModel):
    """The query parameters of the list of a group's agencies."""

    active_on: Annotated[
        IsoDate | None, Query(description="Only agencies that existed on this day.")
    ] = None
    q: SearchQuery = None
