from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import created_at_field, id_field, text_field


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, and how (before and after)."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_entity_entity_id", "entity", "entity_id"),)

    id: int | None = id_field()
    occurred_at: datetime = created_at_field()
    actor_key_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    actor: str = text_field(120, description="Key prefix, 'bootstrap-admin', or 'system'.")
    agency_code: str | None = text_field(80, default=None, index=True)
    action: str = text_field(20)
    entity: str = text_field(40)
    entity_id: str = text_field(120)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    request_id: str | None = text_field(80, default=None)
