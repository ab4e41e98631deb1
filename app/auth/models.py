from datetime import datetime

from app.core.base import SQLModel
from app.core.fields import (
    created_at_field,
    fk_agency,
    id_field,
    instant_field,
    tags_field,
    text_field,
)


class ApiKey(SQLModel, table=True):
    """An API key: only its SHA-256 hash is kept; the secret is shown once."""

    __tablename__ = "api_key"

    id: int | None = id_field()
    prefix: str = text_field(16, unique=True, description="Public part of the key, for lookup.")
    secret_hash: str = text_field(64)
    name: str = text_field(200)
    agency_code: str = fk_agency()
    scopes: list[str] = tags_field()
    expires_at: datetime | None = instant_field(default=None)
    revoked_at: datetime | None = instant_field(default=None)
    last_used_at: datetime | None = instant_field(default=None)
    created_at: datetime = created_at_field()
