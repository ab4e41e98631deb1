from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import created_at_field, enum_field, id_field, text_field


class SpreadsheetImport(SQLModel, table=True):
    """One upload of a spreadsheet (kept whatever came of it): who, when, which file
    (name and SHA-256), the record type, whether it was a dry run, and each row's outcome.

    The records themselves are written by the record domains' push services; this row is
    the intake's own trail. ``agency_code`` is the uploading key's agency, kept as text
    (as the audit trail does) so that an upload outlives a retired agency.
    """

    __tablename__ = "spreadsheet_import"
    __table_args__ = (
        # A key's own uploads, keyset on id (GET /imports for a non-admin key).
        sa.Index("ix_spreadsheet_import_agency_id", "agency_code", "id"),
    )

    id: int | None = id_field()
    record_type: str = enum_field()
    file_name: str = text_field(255)
    file_sha256: str = text_field(64, index=True)
    file_size: int = Field(sa_type=sa.BigInteger)
    file_format: str | None = text_field(10, default=None)
    dry_run: bool = Field(default=False)
    uploaded_at: datetime = created_at_field()
    actor: str = text_field(120)
    actor_key_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    agency_code: str | None = text_field(80, default=None)
    outcome: str = text_field(20)
    problem: str | None = Field(default=None, sa_type=sa.Text)
    language: str = text_field(10, default="en")
    rows_total: int = Field(default=0)
    created: int = Field(default=0)
    updated: int = Field(default=0)
    unchanged: int = Field(default=0)
    rejected: int = Field(default=0)
    notes: list[str] | None = Field(default=None, sa_type=sa.JSON)
    # Each row's outcome (RowResult as JSON), in the texts of the uploader's language.
    results: list[dict[str, Any]] | None = Field(default=None, sa_type=sa.JSON)
    request_id: str | None = text_field(80, default=None)
