from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from app.core.filters import AgencyFilter
from app.core.schemas import InputModel, Page, ReadModel, slug_field, with_examples
from app.core.types import utcnow
from app.core.vocab import Scope


class ApiKeyCreate(InputModel):
    agency_code: Annotated[
        str,
        slug_field(
            "The agency the key is bound to: it writes that agency's records "
            "and those of agencies under it."
        ),
    ]
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=3,
        description="`read` lists and reads records, `write` also writes them, `admin` "
        "does anything (catalogue, keys, audit).",
    )
    name: str = Field(min_length=1, max_length=200, description="What the key is for.")
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the key stops working; never when absent."
    )

    model_config = with_examples(
        {
            "agency_code": "xa-bao-lam",
            "scopes": ["read", "write"],
            "name": "Phần mềm truyền thanh thông minh xã Bảo Lâm",
            "expires_at": "2030-12-31T16:59:59Z",
        },
        {
            "agency_code": "cong-ttdt-tinh",
            "scopes": ["read", "write"],
            "name": "Cổng TTĐT tỉnh Cao Bằng: đẩy tin bài NQ57",
        },
    )

    @field_validator("scopes")
    @classmethod
    def _distinct(cls, scopes: list[Scope]) -> list[Scope]:
        return sorted(set(scopes))

    @field_validator("expires_at")
    @classmethod
    def _in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= utcnow():
            raise PydanticCustomError("past", "expires_at must be in the future")
        return value


class ApiKeyRead(ReadModel):
    """A key's public fields: never its secret nor its hash."""

    id: int
    prefix: str = Field(description="Public part of the key (`nq57_<prefix>_…`); its id.")
    name: str
    agency_code: str
    scopes: list[Scope]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="Recorded to the minute.")
    created_at: datetime


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(
        description="The secret key, shown this once and never stored: keep it safe. "
        "Send it as `Authorization: Bearer <key>`."
    )


ApiKeyPage = Page[ApiKeyRead]


class ApiKeyFilters(BaseModel):
    """The query parameters of the API key list."""

    agency: AgencyFilter = None
    revoked: Annotated[
        bool | None, Query(description="`true`: only revoked keys; `false`: only the others.")
    ] = None
    scope: Annotated[Scope | None, Query(description="Only keys with this scope.")] = None
