"""What the entry points register at startup: the listeners on writes.

- every ORM session's flushes: the search text of searchable rows
  (app/core/search_index.py), then the status tallies (app/status/tallies/maintenance.py);
- the write path's hooks (app/core/write_hooks.py): rows written with Core statements and
  catalogue changes reach the status tallies.

``create_app()``, the CLI, the benchmark and the tests call ``register_listeners()``;
calling it again changes nothing. Nothing registers itself at import time, so a script
that writes through ORM sessions without one of those entry points calls it first.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.core import search_index, write_hooks
from app.status.tallies import maintenance, registry


def _count_rows(
    session: Session, record: str, rows: Sequence[Mapping[str, Any]], sign: int
) -> None:
    # Looked up at each call, so that a profiler may wrap maintenance.count_rows.
    maintenance.count_rows(session, record, rows, sign=sign)


def _sync_filters(session: Session) -> int:
    return registry.sync_filters(session)


def _listen(event: str, listener: Callable[..., None]) -> None:
    if not sa.event.contains(OrmSession, event, listener):
        sa.event.listen(OrmSession, event, listener)


def register_listeners() -> None:
    # The search text first, the tallies after: the order they have always run in.
    _listen("before_flush", search_index.refresh_before_flush)
    for event, listener in maintenance.FLUSH_LISTENERS:
        _listen(event, listener)
    write_hooks.on_rows_written(_count_rows)
    write_hooks.on_catalogue_changed(_sync_filters)
