"""Keeps ``search_text`` of every searchable row in step with its fields.

A table model lists the fields that ``q`` searches in ``__search_fields__``; before each
flush the folded text is recomputed for new and changed rows, so no service (or seed,
or batch) can forget it. ``refresh_before_flush`` is that listener: the entry points
install it (``app.listeners.register_listeners``), nothing does at import time.
"""

from typing import Any

from sqlalchemy.orm import Session as OrmSession

from app.core.text import search_text


def refresh_search_text(row: Any) -> None:
    fields = getattr(type(row), "__search_fields__", None)
    if fields:
        row.search_text = search_text(*(_as_text(getattr(row, name)) for name in fields))


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def refresh_before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    """The ``before_flush`` listener: new and changed rows get their search text."""
    for row in list(session.new) + list(session.dirty):
        refresh_search_text(row)


def search_text_of(model: type[Any], values: dict[str, Any]) -> str:
    """The search text a row of ``model`` with ``values`` gets (for bulk inserts)."""
    fields = getattr(model, "__search_fields__", ())
    return search_text(*(_as_text(values.get(name)) for name in fields))
