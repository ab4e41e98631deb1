"""Columns that many tables share, as non-table bases their table models derive from.

SQLModel builds a table's columns from every field of its model, inherited ones included,
so each table deriving from a base gets its own copy of the base's columns (same names,
types, defaults and indexes) and the definition lives here once. Inherited fields come
first in a model: in its JSON form (the audit trail's snapshots) these columns lead and
the table's own follow.
"""

from datetime import datetime

from sqlmodel import Field

from app.core.base import SQLModel
from app.core.fields import created_at_field, id_field, long_text_field, text_field


class VersionedRecord(SQLModel):
    """A row the API edits: its id; its version, which every change bumps and the ETag
    carries (app/core/concurrency.py, app/core/service.py); when it was created and when
    it last changed."""

    id: int | None = id_field()
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class SearchableRecord(VersionedRecord):
    """A versioned row that ``q`` finds: ``search_text`` is the folded text of the model's
    ``__search_fields__``, kept in step on every write (app/core/search_index.py)."""

    search_text: str = long_text_field(default="")


class PushedColumns(SQLModel):
    """Where a row an agency's own system pushes comes from: that system's name and the
    row's id there, so that pushing the same row again updates it instead of adding one."""

    source: str | None = text_field(80, default=None)
    external_id: str | None = text_field(200, default=None)
