"""The widgets' answers kept for a minute, in each worker.

A widget sits in a portal's page: every visitor's browser asks for the same URL, and the
answer already says it may be five minutes old (``Cache-Control: public, max-age=300``).
Evaluating a province's plan for each of them would cost what the API's status costs
(tens of milliseconds) for the same bytes; kept for ``TTL_SECONDS`` here, a repeated
request is answered from memory, and its ``If-None-Match`` is checked before anything is
evaluated. Only anonymous answers are kept (a key's answer is private), at most
``MAX_ENTRIES`` of them, the least recently used going first.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

TTL_SECONDS = 60.0
MAX_ENTRIES = 512


@dataclass(frozen=True)
class Kept:
    body: bytes
    media_type: str
    expires: float


class WidgetCache:
    def __init__(self, ttl: float = TTL_SECONDS, size: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[str, Kept] = OrderedDict()
        # Route handlers run in a thread pool: two requests may touch it at once.
        self._lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                return None
            if kept.expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return kept

    def put(self, key: str, body: bytes, media_type: str) -> None:
        with self._lock:
            self._entries[key] = Kept(body, media_type, time.monotonic() + self.ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
