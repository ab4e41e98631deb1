"""A row as the audit trail keeps it: its columns in JSON form, without the derived ones."""

from typing import Any

from sqlmodel import SQLModel

# Derived columns: recomputed from the audited ones, never edited.
_NOT_AUDITED = {"search_text", "channel_kinds"}


def snapshot(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json", exclude=_NOT_AUDITED)
