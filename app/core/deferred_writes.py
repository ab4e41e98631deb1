"""Writes that must land, retried in the background while the database is away.

When PostgreSQL crashes under a request, the request answers 503 and the client retries.
What the request had to undo on its way out (an Idempotency-Key's claim) cannot be undone
at that moment: the database is gone. Left alone, the claim would block the client's
retries until its lease ends. Such writes are kept here and tried again, with a short
back-off, until they land or no longer matter.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from app.core.db_deadline import deadline_in

log = logging.getLogger("app.deferred_writes")

# Seconds between attempts: doubling from the first to the last, then the last.
BACKOFF = (0.25, 0.5, 1.0, 2.0)
# Each attempt's time for the database, so that a frozen database cannot hold the thread.
ATTEMPT_SECONDS = 5.0


@dataclass
class _Pending:
    write: Callable[[], None]
    what: str
    give_up_at: float
    attempts: int = 0


class DeferredWrites:
    """Thread-safe; one background thread at most, alive while writes are pending."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def run_or_defer(self, write: Callable[[], None], *, what: str, give_up_after: float) -> None:
        """Run ``write`` now; if the database fails it, retry in the background for up to
        ``give_up_after`` seconds."""
        try:
            write()
        except SQLAlchemyError as exc:
            log.warning("%s failed, retrying in the background: %s", what, exc)
            self._defer(_Pending(write, what, time.monotonic() + give_up_after))

    def defer(self, write: Callable[[], None], *, what: str, give_up_after: float) -> None:
        """Retry ``write`` in the background (its first attempt failed elsewhere)."""
        self._defer(_Pending(write, what, time.monotonic() + give_up_after))

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _defer(self, item: _Pending) -> None:
        with self._lock:
            self._pending.append(item)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._drain, name="deferred-writes", daemon=True
                )
                self._thread.start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                batch, self._pending = self._pending, []
            waits = [self._attempt(item) for item in batch]
            time.sleep(min((w for w in waits if w is not None), default=0.0))

    def _attempt(self, item: _Pending) -> float | None:
        """Try once; the seconds until this item's next attempt, None when it is done."""
        if time.monotonic() >= item.give_up_at:
            log.error("%s: gave up; the lease ends it", item.what)
            return None
        try:
            with deadline_in(ATTEMPT_SECONDS):
                item.write()
        except SQLAlchemyError:
            wait = BACKOFF[min(item.attempts, len(BACKOFF) - 1)]
            item.attempts += 1
            with self._lock:
                self._pending.append(item)
            return wait
        log.info("%s: done after %d retries", item.what, item.attempts + 1)
        return None
