"""Small helpers the domain services share."""

from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import SQLModel

from app.core.errors import InvalidInput, NotFound
from app.core.local_time import local_today as local_today  # re-exported
from app.core.types import utcnow

FoundT = TypeVar("FoundT")


def or_not_found(row: FoundT | None, detail: str) -> FoundT:
    """The row a lookup found, or NotFound (404) with ``detail`` when it found none: the
    last step of every ``get_…`` of the services."""
    if row is None:
        raise NotFound(detail)
    return row


def apply_changes(row: SQLModel, changes: dict[str, Any]) -> bool:
    """Set the given fields; True when anything changed. Bumps version and updated_at."""
    changed = False
    for name, value in changes.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        touch(row)
    return changed


def touch(row: SQLModel) -> None:
    """Mark a row changed: a new version (and so a new ETag) and updated_at."""
    row.version += 1  # type: ignore[attr-defined]
    row.updated_at = utcnow()


def changes_of(payload: BaseModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The fields a PATCH body actually set, enums as their values."""
    return payload.model_dump(exclude_unset=True, exclude=exclude or set(), mode="python")


def refuse_nulls(
    changes: dict[str, Any], required: tuple[str, ...], *, detail: str = "{} may not be null."
) -> None:
    """A PATCH may leave a required field out, not clear it. ``detail``: the problem's
    detail, ``{}`` standing for the field (some domains have always worded it otherwise)."""
    for name in required:
        if name in changes and changes[name] is None:
            raise InvalidInput(
                detail.format(name),
                errors=[{"loc": ["body", name], "msg": "may not be null", "type": "null"}],
            )


def invalid(loc: list[str | int], msg: str, kind: str = "value_error") -> InvalidInput:
    return InvalidInput(
        msg[:1].upper() + msg[1:] + ".", errors=[{"loc": loc, "msg": msg, "type": kind}]
    )


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Body values as stored: enums as codes, tag lists sorted and unique, instants in UTC
    (so that comparing with a stored row tells whether the content changed)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, list):
            value = sorted({getattr(v, "value", v) for v in value})
        elif isinstance(value, datetime):
            value = value.astimezone(UTC)
        out[name] = value
    return out
