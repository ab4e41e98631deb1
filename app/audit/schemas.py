from datetime import datetime
from typing import Any

from pydantic import Field

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
