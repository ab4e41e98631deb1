"""Failed authentications, limited per client address and per API key prefix.

Guessing a key is hopeless (256 random bits), but every guess costs a database lookup.
So each failed authentication counts against the address the request came from and, when
the key's prefix names a real key, against that prefix:

* counted: a malformed token, an unknown prefix (against the address only) and a wrong
  secret. Not counted: a revoked or an expired key — whoever sends one holds its real
  secret (a stale integration, not a guess); they are only counted in ``/metrics``.
* every address and every prefix gets a token bucket of the rate limiter
  (app.core.ratelimit): a burst of ``NQ57_AUTH_FAILURES_PER_MINUTE`` failures, then that
  many per minute.
* while the address's or the prefix's bucket is empty, every authentication from that
  address or for that prefix — a correct key included — is refused with 429 and
  ``Retry-After`` before the key is looked up. A success clears nothing: one key in hand
  must not buy guesses at the others.

The address is the ASGI client's (``request.client.host``); uvicorn puts the
X-Forwarded-For address there only for a proxy listed in ``FORWARDED_ALLOW_IPS``
(127.0.0.1 by default). Behind any other proxy every client shares the proxy's address.

In process memory, like the rate limit (each worker counts on its own) and bounded: at most
``_MAX_TRACKED`` addresses and as many prefixes, the least recently used forgotten first.

``authenticate`` runs twice for a POST with an ``Idempotency-Key`` (in the idempotency
middleware, then in the route). ``AuthAttemptMiddleware`` opens one ``AuthAttempt`` per
request, which gives both calls the client address and remembers the request's refusals:
a request counts once and gets one answer.
"""

import logging
import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.app_state import per_app
from app.core.config import get_settings
from app.core.errors import Unauthorized
from app.core.metrics import count_auth_failure, count_auth_refusal
from app.core.ratelimit import TokenBucketLimiter, TooManyRequests

log = logging.getLogger("app.auth")

# Addresses (and, apart, prefixes) remembered at most.
_MAX_TRACKED = 10_000
# Reasons that count toward the limit; the others (revoked, expired) only reach /metrics.
COUNTED_REASONS = frozenset({"malformed", "unknown", "wrong"})


class AuthenticationThrottled(TooManyRequests, Unauthorized):
    """429 with ``Retry-After``. Also an ``Unauthorized``: code that only asks whether a
    token authenticates (the idempotency middleware) takes it as a no."""


class AuthFailureGuard:
    """One application's failure buckets: by client address and by key prefix."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, max_tracked: int = _MAX_TRACKED
    ) -> None:
        self.addresses = TokenBucketLimiter(clock, max_buckets=max_tracked)
        self.prefixes = TokenBucketLimiter(clock, max_buckets=max_tracked)

    def check(self, address: str | None, prefix: str | None, per_minute: int) -> None:
        """Raise ``AuthenticationThrottled`` while the address or the prefix is blocked."""
        by_address = self.addresses.wait(address, per_minute) if address else 0.0
        by_prefix = self.prefixes.wait(prefix, per_minute) if prefix else 0.0
        wait = max(by_address, by_prefix)
        if wait <= 0:
            return
        count_auth_refusal("address" if by_address > 0 else "prefix")
        retry_after = max(1, math.ceil(wait))
        raise AuthenticationThrottled(
            f"Too many failed authentications; retry in {retry_after} s.",
            retry_after=retry_after,
        )

    def failed(self, address: str | None, prefix: str | None, per_minute: int) -> None:
        """Count one failure; log when it is the one that blocks."""
        for kind, limiter, name in (
            ("address", self.addresses, address),
            ("prefix", self.prefixes, prefix),
        ):
            if not name:
                continue
            if limiter.take(name, per_minute) == 0.0 and limiter.wait(name, per_minute) > 0:
                log.warning(
                    "authentication blocked for %s %s: %d failed authentications",
                    kind,
                    name,
                    per_minute,
                    extra={"blocked": kind, kind: name},
                )


@dataclass
class AuthAttempt:
    """One request's authentications: who asks, and the refusals already given (by the
    SHA-256 of the token, as ``hash_key`` makes it)."""

    guard: AuthFailureGuard | None  # None: failures are counted in /metrics, not limited
    address: str | None
    refusals: dict[str, Unauthorized] = field(default_factory=dict)

    def check(self, digest: str, prefix: str | None) -> None:
        """Before any lookup: this request's earlier refusal of the same token, or 429
        while the address or the prefix is blocked."""
        earlier = self.refusals.get(digest)
        if earlier is not None:
            raise earlier
        per_minute = get_settings().auth_failures_per_minute
        if self.guard is None or per_minute == 0:
            return
        try:
            self.guard.check(self.address, prefix, per_minute)
        except AuthenticationThrottled as refusal:
            self.refusals[digest] = refusal
            raise

    def failed(
        self, digest: str, reason: str, error: Unauthorized, *, prefix: str | None = None
    ) -> Unauthorized:
        """Count a failure (``prefix``: only a real key's) and return ``error`` to raise."""
        count_auth_failure(reason)
        self.refusals[digest] = error
        per_minute = get_settings().auth_failures_per_minute
        if self.guard is not None and per_minute > 0 and reason in COUNTED_REASONS:
            self.guard.failed(self.address, prefix, per_minute)
        return error


_current: ContextVar[AuthAttempt | None] = ContextVar("auth_attempt", default=None)


def guard_for(app: Any) -> AuthFailureGuard:
    """The application's guard (one per app instance, so each test app starts afresh)."""
    return per_app(app, "auth_failure_guard", AuthFailureGuard)


def current_attempt() -> AuthAttempt:
    """The attempt ``AuthAttemptMiddleware`` opened for this request; outside a request,
    a throwaway one that limits nothing."""
    return _current.get() or AuthAttempt(guard=None, address=None)


def attempt_for(request: Request) -> AuthAttempt:
    """The request's attempt, also in an app built without ``AuthAttemptMiddleware``."""
    attempt = _current.get()
    if attempt is None:
        host = request.client.host if request.client else None
        attempt = AuthAttempt(guard=guard_for(request.app), address=host)
    return attempt


class AuthAttemptMiddleware:
    """Opens the request's ``AuthAttempt``; installed outside the idempotency middleware,
    whose ``authenticate`` call must share it with the route's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        application = scope.get("app")
        if scope["type"] != "http" or application is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        attempt = AuthAttempt(
            guard=guard_for(application), address=str(client[0]) if client else None
        )
        token = _current.set(attempt)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
