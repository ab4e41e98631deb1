"""Objects kept on the application instance (``app.state``), made on first use."""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()


def per_app(app: Any, name: str, make: Callable[[], T]) -> T:
    """``app.state.<name>``, made by ``make`` the first time it is asked for: one per app
    instance, so that each test app starts afresh. Requests run in threads, hence the
    lock around the first making."""
    found: T | None = getattr(app.state, name, None)
    if found is None:
        with _lock:
            found = getattr(app.state, name, None)
            if found is None:
                found = make()
                setattr(app.state, name, found)
    return found
