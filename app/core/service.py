"""Small helpers the domain services share."""

from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import SQLModel

from app.core.errors import InvalidInput, NotFound
from app.core.local_time import local_today as local_today  # re-exported
from app.core.schemas import InputModel
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


def patch_changes(payload: InputModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """``changes_of``, refusing to clear what the contract says a PATCH may leave out but
    not set to null (the schema's ``contract_not_null``): the schema refuses it already,
    and the service stands alone whoever calls it."""
    changes = changes_of(payload, exclude=exclude)
    refuse_nulls(changes, payload.contract_not_null)
    return changes


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


def refuse_reversed(
    changes: dict[str, Any], row: SQLModel, start: str, end: str, *, detail: str | None = None
) -> None:
    """A PATCH may move either end of a range, not put its ``end`` before its ``start``
    (each as it will be: the change, else the stored value; an open end bounds nothing).
    ``detail``: the problem's detail, where a domain has always worded it otherwise."""
    first = changes.get(start, getattr(row, start))
    last = changes.get(end, getattr(row, end))
    if first is not None and last is not None and last < first:
        raise InvalidInput(
            detail or f"{end} must not be before {start}.",
            errors=[{"loc": ["body", end], "msg": f"before {start}", "type": "range"}],
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
