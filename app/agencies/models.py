from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import code_field, enum_field, fk_id, long_text_field, tags_field, text_field
from app.core.record_columns import SearchableRecord


class Agency(SearchableRecord, table=True):
    """A cơ quan / đơn vị. ``code`` is a stable slug and never changes once issued."""

    __search_fields__ = ("code", "name", "short_name", "admin_code")
    __tablename__ = "agency"

    code: str = code_field(unique=True)
    name: str = text_field(300)
    short_name: str | None = text_field(120, default=None)
    kind: str = enum_field(index=True)
    parent_code: str | None = Field(
        default=None, sa_type=sa.String(80), foreign_key="agency.code", index=True
    )
    admin_code: str | None = text_field(20, default=None)
    # The province (slug, e.g. ``cao-bang``) the agency belongs to; None for a national
    # body. A child inherits its parent's. Kinds of a group select within a plan's province.
    province_code: str | None = Field(default=None, sa_type=sa.String(80), index=True)
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Last day the agency existed.")
    contact_name: str | None = text_field(200, default=None)
    contact_title: str | None = text_field(200, default=None)
    contact_email: str | None = text_field(254, default=None)
    contact_phone: str | None = text_field(40, default=None)


class AgencyGroup(SearchableRecord, table=True):
    """A named set of agencies the plan uses ("hệ thống thông tin cơ sở" …).

    Membership is every agency whose kind is in ``member_kinds`` (for a plan, of the
    plan's province) plus the explicit members, so an agency added later joins its groups
    without an edit and one group serves every province's plans.
    """

    __search_fields__ = ("code", "name", "description")
    __tablename__ = "agency_group"

    code: str = code_field(unique=True)
    name: str = text_field(300)
    description: str | None = long_text_field(default=None)
    member_kinds: list[str] = tags_field()


class AgencyGroupMember(SQLModel, table=True):
    __tablename__ = "agency_group_member"

    group_id: int = fk_id("agency_group.id", ondelete="CASCADE", primary_key=True)
    agency_code: str = Field(
        sa_type=sa.String(80), foreign_key="agency.code", primary_key=True, ondelete="CASCADE"
    )
