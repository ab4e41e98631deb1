"""Per-client rate limit: a token bucket per API key, kept in process memory.

Each key may burst up to ``NQ57_RATE_LIMIT_PER_MINUTE`` requests and then gets that many
per minute, refilled continuously. Admin keys are exempt unless ``NQ57_RATE_LIMIT_ADMIN``.

The buckets live in this process: with several workers (``nq57 serve --workers N``) or
several replicas, each keeps its own buckets, so a key may make up to N times the limit.
That is deliberate — the limit protects the service from a runaway integration, not
a quota to bill — and it needs no shared store. A shared limit belongs in the reverse proxy.

Anonymous clients (public catalogue reads) are not limited here: behind a proxy they all
share one address, and limiting them per address would throttle the whole public at once.
"""

import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.app_state import per_app
from app.core.config import get_settings
from app.core.errors import AppError

# Buckets kept at most. Full buckets carry no information and go first; past that, the
# least recently used (a flood of new clients then costs old clients a fresh burst).
_MAX_BUCKETS = 10_000


class TooManyRequests(AppError):
    status = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}  # type: ignore[misc]


@dataclass
class _Bucket:
    tokens: float
    updated_at: float


class TokenBucketLimiter:
    """Thread-safe: sync endpoints and dependencies run in a thread pool. Bounded: at most
    ``max_buckets`` clients are remembered (the dict runs from least to most recently used)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, max_buckets: int = _MAX_BUCKETS
    ) -> None:
        self._clock = clock
        self._max_buckets = max(1, max_buckets)
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str, per_minute: int) -> float:
        """Spend one token of ``client``'s bucket: 0.0 when allowed, otherwise the
        seconds to wait until a token is available (nothing is spent then)."""
        if per_minute <= 0:
            return 0.0
        rate = per_minute / 60.0
        with self._lock:
            now = self._clock()
            bucket = self._buckets.pop(client, None)  # put back last: most recently used
            if bucket is None:
                if len(self._buckets) >= self._max_buckets:
                    self._make_room(now, rate, per_minute)
                bucket = _Bucket(tokens=float(per_minute), updated_at=now)
            else:
                elapsed = max(0.0, now - bucket.updated_at)
                bucket.tokens = min(float(per_minute), bucket.tokens + elapsed * rate)
                bucket.updated_at = now
            self._buckets[client] = bucket
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate

    def wait(self, client: str, per_minute: int) -> float:
        """What ``take`` would answer, without spending anything (nor remembering an
        unknown client): 0.0 when a token is available."""
        if per_minute <= 0:
            return 0.0
        rate = per_minute / 60.0
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                return 0.0
            elapsed = max(0.0, self._clock() - bucket.updated_at)
            tokens = min(float(per_minute), bucket.tokens + elapsed * rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate

    def _make_room(self, now: float, rate: float, capacity: int) -> None:
        for client, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated_at) * rate >= capacity:
                del self._buckets[client]
        # Still crowded: forget the least recently used down to 90 %, so that the scan
        # above runs at most once per tenth of max_buckets new clients.
        keep = self._max_buckets * 9 // 10
        for client in list(itertools.islice(self._buckets, max(0, len(self._buckets) - keep))):
            del self._buckets[client]


def limiter_for(app: Any) -> TokenBucketLimiter:
    """The application's limiter (one per app instance, so each test app starts afresh)."""
    return per_app(app, "rate_limiter", TokenBucketLimiter)


def enforce_rate_limit(app: Any, client: str, *, is_admin: bool) -> None:
    """Raise 429 (with ``Retry-After``) when ``client`` has used up its requests."""
    settings = get_settings()
    per_minute = settings.rate_limit_per_minute
    if per_minute == 0 or (is_admin and not settings.rate_limit_admin):
        return
    wait = limiter_for(app).take(client, per_minute)
    if wait > 0:
        retry_after = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"This key may make {per_minute} requests per minute; retry in {retry_after} s.",
            retry_after=retry_after,
        )
