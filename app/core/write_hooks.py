"""How the write path tells the status side about writes without importing it.

Records and the catalogue sit below the status engine, so they cannot call it. They call
these functions instead, and the listeners are registered at startup by ``create_app()``
and the CLI (``app.listeners.register_listeners``), never at import time.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlmodel import Session

RowsWritten = Callable[[Session, str, Sequence[Mapping[str, Any]], int], None]
CatalogueChanged = Callable[[Session], int]

_rows_written: list[RowsWritten] = []
_catalogue_changed: list[CatalogueChanged] = []


def on_rows_written(listener: RowsWritten) -> None:
    if listener not in _rows_written:
        _rows_written.append(listener)


def on_catalogue_changed(listener: CatalogueChanged) -> None:
    if listener not in _catalogue_changed:
        _catalogue_changed.append(listener)


def rows_written(
    session: Session, record: str, rows: Sequence[Mapping[str, Any]], *, sign: int = +1
) -> None:
    """Rows of ``record`` inserted (``sign=+1``) or about to be deleted (``-1``) without the
    ORM, as their stored values: the ORM's own flushes reach the listeners by themselves."""
    for listener in _rows_written:
        listener(session, record, rows, sign)


def catalogue_changed(session: Session) -> int:
    """The indicators' measures changed: listeners bring what they derive from them up to
    date in the same transaction. Returns how many new things they started to follow."""
    return sum(listener(session) for listener in _catalogue_changed)
