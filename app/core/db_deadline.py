"""A time limit on a request's database waits, which holds even when PostgreSQL freezes.

The server's ``statement_timeout`` bounds a statement only while PostgreSQL runs. A
database that stops answering (a frozen host, a SIGSTOPped server, a network path that
drops packets without resetting) leaves a client waiting on its socket for as long as the
outage lasts, and TCP keepalives do not help: the kernel of a stopped server still
acknowledges them. So the client bounds its own waits:

* each request gets a budget (``NQ57_REQUEST_TIMEOUT_SECONDS``) that starts when it
  first opens a session, after its body has been read (a slow upload over a commune's weak
  link does not eat it); the pool's wait for a free connection is bounded by the same
  number. The budget is kept in a context variable that follows the request into worker
  threads;
* every wait of a psycopg connection (a statement, its results, a commit, the pool's
  ping) is given the time that remains; when it runs out, the connection is closed and
  the wait fails as a lost connection (503 with ``Retry-After``, and SQLAlchemy drops the
  connection from the pool);
* a new connection's ``connect_timeout`` is cut to what remains (libpq's minimum is 2 s).

Work outside a request (the CLI, migrations, maintenance) has no deadline unless it sets
one with :func:`deadline_in`.
"""

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.asgi import HttpMiddleware

_budget: ContextVar["_Budget | None"] = ContextVar("nq57_db_budget", default=None)
LIBPQ_MIN_CONNECT_TIMEOUT = 2


class DeadlineExceeded(psycopg.OperationalError):
    """The request's time for the database ran out (a DBAPI error: SQLAlchemy wraps it as
    OperationalError, which the service answers with 503)."""


class _Budget:
    """Seconds for the database, counted from the first wait (or from ``start``)."""

    def __init__(self, seconds: float, *, start: float | None = None) -> None:
        self.seconds = seconds
        self.deadline = None if start is None else start + seconds

    def remaining(self) -> float:
        now = time.monotonic()
        if self.deadline is None:
            # Threads of one request may race here; either start is as good.
            self.deadline = now + self.seconds
        return self.deadline - now


def start_budget() -> None:
    """Start the current request's budget now, if it has not started (a session opens)."""
    budget = _budget.get()
    if budget is not None and budget.deadline is None:
        budget.remaining()


def remaining() -> float | None:
    """Seconds left to the current deadline; None when there is none."""
    budget = _budget.get()
    return None if budget is None else budget.remaining()


@contextmanager
def deadline_in(seconds: float, *, from_now: bool = True) -> Iterator[None]:
    """Bound the database waits of the enclosed work (and of the threads it starts with a
    copy of its context) to ``seconds``: from now, or from its first database wait. An
    enclosing budget that ends sooner still applies."""
    outer = remaining()
    if outer is not None:
        seconds = min(seconds, outer)
        from_now = True
    token = _budget.set(_Budget(seconds, start=time.monotonic() if from_now else None))
    try:
        yield
    finally:
        _budget.reset(token)


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose waits end at the current deadline."""

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        left = remaining()
        if left is None:
            return super().wait(gen, interval=interval, timeout=timeout)
        if left <= 0:
            # Nothing was sent yet: the connection stays usable; the request ends here.
            gen.close()
            raise DeadlineExceeded("the request's time for the database ran out")
        try:
            return super().wait(gen, interval=interval, timeout=left)
        except pg_errors._WaitTimeout as exc:
            # The protocol stopped mid-exchange: the connection cannot be reused. Closing
            # it makes SQLAlchemy see a disconnect and drop it from the pool.
            self.close()
            raise DeadlineExceeded(
                "the database did not answer within the request's time limit"
            ) from exc


def connect(*cargs: Any, **cparams: Any) -> DeadlineConnection:
    """The engine's ``do_connect``: a :class:`DeadlineConnection`, whose connect timeout
    is cut to the time the current request has left."""
    left = remaining()
    if left is not None:
        if left <= 0:
            raise DeadlineExceeded("the request's time for the database ran out")
        configured = int(cparams.get("connect_timeout") or 0) or math.inf
        cparams["connect_timeout"] = max(
            LIBPQ_MIN_CONNECT_TIMEOUT, min(configured, math.ceil(left))
        )
    return DeadlineConnection.connect(*cargs, **cparams)


class RequestDeadlineMiddleware(HttpMiddleware):
    """Gives every HTTP request its budget for the database."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        super().__init__(app)
        self.seconds = seconds

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        with deadline_in(self.seconds, from_now=False):
            await self.app(scope, receive, send)
