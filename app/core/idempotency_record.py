"""The table behind ``Idempotency-Key``: the stored first response to a POST, per client."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import created_at_field, id_field, instant_field, text_field


class IdempotencyRecord(SQLModel, table=True):
    """The stored first response to a POST carrying an ``Idempotency-Key``."""

    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("client", "key"),)

    id: int | None = id_field()
    client: str = text_field(80)
    key: str = text_field(200)
    request_hash: str = text_field(64)
    method: str = text_field(10)
    path: str = text_field(500)
    completed: bool = Field(default=False)
    response_status: int | None = None
    response_headers: dict[str, str] | None = Field(default=None, sa_type=sa.JSON)
    response_body: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    created_at: datetime = created_at_field()
    expires_at: datetime = instant_field(index=True)
