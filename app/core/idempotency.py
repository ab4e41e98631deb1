"""``Idempotency-Key`` on POST: the first successful response is stored and replayed.

A client that retries a POST (a commune's loudspeaker software on a weak link) sends the
same ``Idempotency-Key``. Per client (the API key's prefix or ``bootstrap-admin``) and
key:

* the first request is claimed in ``idempotency_record`` before the route runs; a 2xx
  answer (status, headers, body) is stored and replayed for 24 h with
  ``Idempotent-Replayed: true``;
* the same key with another payload (method, path, query and body) is 422;
* the same key while the first request is still running is 409;
* a 4xx or 5xx is not stored: the claim is dropped so that the client can fix the
  request and retry with the same key. When the database is down at that moment (a 503
  from a crash), the drop is retried in the background until it lands, so a retry after
  the restart finds its key free within a second or two;
* a request without valid credentials is not claimed: the route answers 401 first;
* a 2xx marked ``Cache-Control: no-store`` (a new API key's secret) is not stored either —
  a secret is shown once — but the key is spent: a retry gets a 409 saying so.

Why ASGI middleware rather than a dependency: it needs the exact bytes of the finished
response (including headers set by the route, such as ``Location`` and ``ETag``) and must
answer a replay without running the route at all. A dependency sees neither.

Its database work goes through the application's ``get_session`` dependency, looked up in
``app.dependency_overrides`` first, so a test's transactional session serves it too.
Expired records (and claims of requests that died) are purged at most once a minute.
"""

import functools
import hashlib
import inspect
import json
import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

import anyio
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, delete, select, update
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.db import get_session, writing_session
from app.core.deferred_writes import DeferredWrites
from app.core.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, Unauthorized
from app.core.i18n import EN, language_headers, language_of_scope, localise_problem
from app.core.idempotency_record import IdempotencyRecord
from app.core.request_context import current_request_id
from app.core.types import utcnow

log = logging.getLogger("app.idempotency")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
# How long a claim blocks its key while the request runs; a claim whose worker died
# frees the key after this. A request's database waits end within its time limit
# (app/core/db_deadline.py); the margin covers the work between them.
IN_FLIGHT_MARGIN = timedelta(seconds=30)
PURGE_INTERVAL_SECONDS = 60.0
MAX_KEY_LENGTH = 200
_VALID_KEY = re.compile(r"^[\x20-\x7e]{1,200}$")
# Per-response or hop-by-hop headers: everything else the route set is replayed.
_NOT_STORED = {"connection", "content-length", "date", "retry-after", "server", "set-cookie"}
_NOT_STORED |= {"transfer-encoding", "x-request-id"}


def request_fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What "the same payload" means: method, path, query string and body bytes."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


_BOUNDARY = re.compile(rb'boundary="?([^";,\s]+)"?', re.IGNORECASE)


def without_multipart_boundary(body: bytes, content_type: bytes) -> bytes:
    """A multipart body with its boundary replaced by a fixed one: clients draw a new
    random boundary for every send, so a retried upload would otherwise never be "the
    same payload" and its Idempotency-Key would answer 422."""
    if not content_type.lower().startswith(b"multipart/"):
        return body
    found = _BOUNDARY.search(content_type)
    if found is None:
        return body
    return body.replace(b"--" + found.group(1), b"--nq57-boundary")


@contextmanager
def open_session(app: Any) -> Iterator[Session]:
    """A session from ``get_session``, honouring the app's dependency overrides."""
    overrides: dict[Any, Any] = getattr(app, "dependency_overrides", {})
    override = overrides.get(get_session)
    provided: Any = override() if override is not None else writing_session()
    if not inspect.isgenerator(provided):
        yield provided
        return
    generator = cast("Generator[Session]", provided)
    try:
        yield next(generator)
    finally:
        generator.close()


@dataclass(frozen=True)
class _Decision:
    kind: str  # pass, claimed, replay, mismatch, in_flight, or a problem to send
    record_id: int | None = None
    status: int = 0
    headers: dict[str, str] | None = None
    body: bytes = b""


# Who a bearer token belongs to (app.auth.security's client name); raises Unauthorized.
ClientOfToken = Callable[[Session, str], str]


def _client_of(
    session: Session, authorization: str | None, client_of_token: ClientOfToken
) -> str | None:
    """The client the key belongs to; None without valid credentials (the route answers
    401 then, before any claim: authentication comes first, and nothing is stored)."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return client_of_token(session, token.strip())
    except Unauthorized:
        return None


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, *, client_of_token: ClientOfToken, path_prefix: str = "/api/v1/"
    ) -> None:
        self.app = app
        self.client_of_token = client_of_token
        self.path_prefix = path_prefix
        self._last_purge = float("-inf")
        self.lease = timedelta(seconds=get_settings().request_timeout_seconds) + IN_FLIGHT_MARGIN
        self._lease_s = self.lease.total_seconds()
        self.deferred = DeferredWrites()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith(self.path_prefix)
        ):
            await self.app(scope, receive, send)
            return
        values = [v for k, v in scope["headers"] if k == b"idempotency-key"]
        if not values:
            await self.app(scope, receive, send)
            return
        key = values[0].decode("latin-1").strip()
        if len(values) > 1 or not _VALID_KEY.match(key):
            await _send_problem(send, scope, "invalid_key")
            return

        body = await _read_body(receive)
        if body is None:
            return  # the client went away while sending
        headers = dict(scope["headers"])
        authorization = headers.get(b"authorization", b"").decode("latin-1") or None
        fingerprint = request_fingerprint(
            scope["method"],
            scope["path"],
            scope.get("query_string", b""),
            without_multipart_boundary(body, headers.get(b"content-type", b"")),
        )
        app = scope.get("app")
        try:
            decision = await anyio.to_thread.run_sync(
                self._claim, app, authorization, key, fingerprint, scope
            )
        except OperationalError as exc:
            log.warning("database unavailable for idempotency: %s", exc.orig)
            await _send_problem(send, scope, "unavailable")
            return
        if decision.kind in ("mismatch", "in_flight"):
            await _send_problem(send, scope, decision.kind)
            return
        if decision.kind == "replay":
            await _replay(send, decision)
            return

        replay_receive = _replaying(body, receive)
        if decision.kind == "pass":
            await self.app(scope, replay_receive, send)
            return
        await self._run_and_store(scope, replay_receive, send, app, decision.record_id)

    async def _run_and_store(
        self, scope: Scope, receive: Receive, send: Send, app: Any, record_id: int | None
    ) -> None:
        status = 0
        stored_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    text = name.decode("latin-1").lower()
                    if text not in _NOT_STORED:
                        stored_headers[text] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._release, app, record_id)
            raise
        if 200 <= status < 300:
            await anyio.to_thread.run_sync(
                self._complete,
                app,
                record_id,
                status,
                stored_headers,
                b"".join(chunks),
                scope["path"],
            )
        else:
            await anyio.to_thread.run_sync(self._release, app, record_id)

    # --- database work, run in a worker thread ------------------------------------
    # Each transaction that writes starts by writing: on SQLite a transaction that reads
    # and then writes fails at once (SQLITE_BUSY) when another writer went in between,
    # while one that starts with a write waits for the lock (busy_timeout).

    def _claim(
        self, app: Any, authorization: str | None, key: str, fingerprint: str, scope: Scope
    ) -> _Decision:
        with open_session(app) as session:
            client = _client_of(session, authorization, self.client_of_token)
            session.rollback()  # end the authentication's read transaction
            if client is None:
                return _Decision("pass")
            self._maybe_purge(session)
            for _attempt in range(3):
                now = utcnow()
                try:
                    claimed = session.exec(
                        _insert_claim(session).values(
                            client=client,
                            key=key,
                            request_hash=fingerprint,
                            method=scope["method"],
                            path=scope["path"][:500],
                            completed=False,
                            created_at=now,
                            expires_at=now + self.lease,
                        )
                    ).scalar_one_or_none()
                    session.commit()
                except OperationalError:
                    # The claim may have landed with its answer lost: take it back.
                    self._forget_later(app, client, key, now)
                    raise
                if claimed is not None:
                    return _Decision("claimed", record_id=claimed)
                statement = select(IdempotencyRecord).where(
                    IdempotencyRecord.client == client, IdempotencyRecord.key == key
                )
                row = session.exec(statement).first()
                if row is not None:
                    session.expunge(row)  # keep its values through the rollback
                session.rollback()
                if row is None:
                    continue  # purged in between: claim again
                if row.expires_at <= now:
                    session.exec(
                        delete(IdempotencyRecord).where(
                            col(IdempotencyRecord.id) == row.id,
                            col(IdempotencyRecord.expires_at) <= now,
                        )
                    )
                    session.commit()
                    continue
                if row.request_hash != fingerprint:
                    return _Decision("mismatch")
                if not row.completed:
                    return _Decision("in_flight")
                return _Decision(
                    "replay",
                    status=row.response_status or 200,
                    headers=dict(row.response_headers or {}),
                    body=row.response_body or b"",
                )
            return _Decision("in_flight")

    def _maybe_purge(self, session: Session) -> None:
        if time.monotonic() - self._last_purge < PURGE_INTERVAL_SECONDS:
            return
        self._last_purge = time.monotonic()
        session.exec(delete(IdempotencyRecord).where(col(IdempotencyRecord.expires_at) <= utcnow()))
        session.commit()

    # A claim is settled (completed or released) even when the database is away at the
    # moment: the write is retried in the background, for as long as the lease would
    # have blocked the key.

    def _complete(
        self,
        app: Any,
        record_id: int | None,
        status: int,
        headers: dict[str, str],
        body: bytes,
        path: str,
    ) -> None:
        if "no-store" in headers.get("cache-control", "").lower():
            # A secret is shown once: store what a retry should get instead.
            spent = _problem("spent_secret", path)
            status, headers, body = spent.status, spent.headers or {}, spent.body
        values = {
            "completed": True,
            "response_status": status,
            "response_headers": headers,
            "response_body": body,
            "expires_at": utcnow() + RETENTION,
        }
        where = col(IdempotencyRecord.id) == record_id
        self._settle(app, update(IdempotencyRecord).where(where).values(**values), "complete")

    def _release(self, app: Any, record_id: int | None) -> None:
        statement = delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id)
        self._settle(app, statement, "release")

    def _forget_later(self, app: Any, client: str, key: str, created_at: datetime) -> None:
        statement = delete(IdempotencyRecord).where(
            col(IdempotencyRecord.client) == client,
            col(IdempotencyRecord.key) == key,
            col(IdempotencyRecord.created_at) == created_at,
            col(IdempotencyRecord.completed).is_(False),
        )
        write = functools.partial(_execute, app, statement)
        self.deferred.defer(write, what="forget a failed claim", give_up_after=self._lease_s)

    def _settle(self, app: Any, statement: Any, what: str) -> None:
        write = functools.partial(_execute, app, statement)
        self.deferred.run_or_defer(
            write, what=f"idempotency claim: {what}", give_up_after=self._lease_s
        )


def _execute(app: Any, statement: Any) -> None:
    with open_session(app) as session:
        session.exec(statement)
        session.commit()


def _insert_claim(session: Session) -> Any:
    """INSERT … ON CONFLICT (client, key) DO NOTHING RETURNING id: the claim is atomic,
    and a taken key is no error (PostgreSQL would log every replay as one)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return (
        insert(IdempotencyRecord)
        .on_conflict_do_nothing(index_elements=["client", "key"])
        .returning(col(IdempotencyRecord.id))
    )


class _Problem(NamedTuple):
    status: int
    slug: str
    title: str
    detail: str
    error: str | None = None  # the errors[] entry's msg, when the header is at fault
    headers: dict[str, str] | None = None


_PROBLEMS = {
    "invalid_key": _Problem(
        422,
        "invalid-input",
        "Invalid input",
        f"{HEADER} must be one value of 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
        "e.g. a UUID.",
        error=f"1 to {MAX_KEY_LENGTH} printable ASCII characters",
    ),
    "mismatch": _Problem(
        422,
        "idempotency-key-reused",
        "Idempotency-Key reused",
        f"This {HEADER} was used with another request (method, path, query or body); "
        "use a new key for a new request.",
        error="key already used with another payload",
    ),
    "in_flight": _Problem(
        409,
        "idempotency-key-in-flight",
        "Request in progress",
        f"A request with this {HEADER} is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    ),
    "unavailable": _Problem(
        503,
        "service-unavailable",
        "Service unavailable",
        "The database is unavailable or busy; nothing was written. Retry later.",
        headers={"Retry-After": "5"},
    ),
    "spent_secret": _Problem(
        409,
        "idempotency-response-not-stored",
        "Response not stored",
        f"The first request with this {HEADER} succeeded; its answer held a secret, which "
        "is shown once and never stored. Nothing new was done. If the secret was lost, "
        "revoke that key and create another.",
    ),
}


def _problem(name: str, path: str, language: str = EN) -> _Decision:
    """The problem ``name`` in ``language`` (a stored one, a spent secret, in English: it
    is replayed to whoever retries)."""
    problem = _PROBLEMS[name]
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + problem.slug,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": path,
    }
    if problem.error is not None:
        body["errors"] = [{"loc": ["header", HEADER], "msg": problem.error, "type": problem.slug}]
    # A stored problem (a spent secret) keeps the id of the request that spent the key.
    body["request_id"] = current_request_id()
    localise_problem(body, language)
    headers = {
        "content-type": PROBLEM_MEDIA_TYPE,
        **(problem.headers or {}),
        **{header.lower(): value for header, value in language_headers(language).items()},
    }
    return _Decision(name, status=problem.status, headers=headers, body=json.dumps(body).encode())


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay_receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_receive


async def _replay(send: Send, decision: _Decision, *, replayed: bool = True) -> None:
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in (decision.headers or {}).items()
    ]
    headers.append((b"content-length", str(len(decision.body)).encode()))
    if replayed:
        headers.append((REPLAYED_HEADER.lower().encode(), b"true"))
    await send({"type": "http.response.start", "status": decision.status, "headers": headers})
    await send({"type": "http.response.body", "body": decision.body})


async def _send_problem(send: Send, scope: Scope, name: str) -> None:
    await _replay(send, _problem(name, scope["path"], language_of_scope(scope)), replayed=False)
