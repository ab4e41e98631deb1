"""The records an agency owns (broadcasts, channels, media products, training sessions,
figures, budget lines, reports): each row has an ``agency_code``, keys write the rows of
the agencies they may write, and every change goes into the audit trail."""

from dataclasses import replace
from typing import TypeVar

from sqlmodel import SQLModel

from app.agencies.access import authorize_agency
from app.agencies.service import require_agency
from app.audit.service import record_change
from app.core.records import RecordKind

RowT = TypeVar("RowT", bound=SQLModel)


def agency_record_kind(
    model: type[RowT], what: str, entity: str, *, missing: str | None = None
) -> RecordKind[RowT]:
    """The record type ``model`` (its errors name it ``what``, its audit events
    ``entity``), checked and audited as every agency's record is. ``missing``: how a
    missing row is worded, where it has always been otherwise than "No {what} with id
    {id}."."""
    kind = RecordKind(model, what, entity, authorize_agency, record_change, require_agency)
    return kind if missing is None else replace(kind, missing=missing)
