"""What the entry points register at startup: the status side's listeners on writes.

``create_app()``, the CLI, the benchmark and the tests call ``register_listeners()``;
calling it again changes nothing.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from app.core import write_hooks
from app.status import tallies


def _count_rows(
    session: Session, record: str, rows: Sequence[Mapping[str, Any]], sign: int
) -> None:
    tallies.count_rows(session, record, rows, sign=sign)


def register_listeners() -> None:
    write_hooks.on_rows_written(_count_rows)
    write_hooks.on_catalogue_changed(tallies.sync_filters)
