from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from app.core.filters import AgencyFilter, FromDate, ToDate
from app.core.schemas import Page, ReadModel


class AuditEventRead(ReadModel):
    id: int
    occurred_at: datetime
    actor: str = Field(
        description="`key:<prefix>` for an API key, `bootstrap-admin`, or `system` (CLI, seed)."
    )
    actor_key_id: int | None = Field(description="The `id` of the API key, if one was used.")
    agency_code: str | None = Field(description="The agency whose data changed.")
    action: str = Field(examples=["create", "update", "delete", "revoke"])
    entity: str = Field(examples=["broadcast", "agency", "api_key"])
    entity_id: str = Field(description="The entity's id or code, as text.")
    before: dict[str, Any] | None = Field(description="The entity before the change.")
    after: dict[str, Any] | None = Field(description="The entity after the change.")
    request_id: str | None = Field(description="The `X-Request-ID` of the request.")


AuditEventPage = Page[AuditEventRead]


class AuditEventFilters(BaseModel):
    """The query parameters of the audit event list."""

    entity: Annotated[
        str | None,
        Query(max_length=40, description="Entity type, e.g. `broadcast`, `agency`, `api_key`."),
    ] = None
    entity_id: Annotated[
        str | None, Query(max_length=120, description="The entity's id or code.")
    ] = None
    agency: AgencyFilter = None
    actor: Annotated[
        str | None,
        Query(
            max_length=120,
            description="`key:<prefix>` or just the prefix, `bootstrap-admin`, `system`.",
        ),
    ] = None
    action: Annotated[
        str | None, Query(max_length=20, description="`create`, `update`, `delete`, `revoke`…")
    ] = None
    from_date: FromDate = None
    to_date: ToDate = None
