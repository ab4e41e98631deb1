"""Structured logs: one JSON object per line on stderr, one access line per request.

The service writes its own access line (method, path, route template, status,
duration_ms, request_id, the API key's prefix), so uvicorn's access log is switched off
(``nq57 serve`` passes ``access_log=False``; a bare ``uvicorn app.main:app`` gets it
silenced here). Every record logged while a request is served carries its
``request_id``.
"""

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.core import metrics
from app.core.asgi import HttpMiddleware
from app.core.request_context import current_request_id

access_log = logging.getLogger("app.access")
_MARK = "_nq57_handler"
# Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "color_message" and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (test runners swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str = "INFO", *, json_lines: bool = True) -> None:
    """Install the JSON handler on the root logger once; route uvicorn's loggers to it."""
    root = logging.getLogger()
    if not any(getattr(handler, _MARK, False) for handler in root.handlers):
        handler = _StderrHandler()
        setattr(handler, _MARK, True)
        handler.setFormatter(
            JsonFormatter()
            if json_lines
            else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )
        root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
    uvicorn_access.disabled = True


def route_template(scope: Scope) -> str:
    """``/api/v1/broadcasts/{broadcast_id}``; ``unmatched`` when no route took the request
    (so that a scan of random URLs cannot blow up the metrics' label sets)."""
    # FastAPI's lazily included routers keep the full template in the route context.
    fastapi_state = scope.get("fastapi") or {}
    for holder in (fastapi_state.get("effective_route_context"), scope.get("route")):
        path = getattr(holder, "path_format", None) or getattr(holder, "path", None)
        if path:
            return str(path)
    return "unmatched"


class AccessLogMiddleware(HttpMiddleware):
    """One log line and the request metrics per HTTP request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before responding

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method = str(scope.get("method", ""))
            state = scope.get("state") or {}
            metrics.observe_request(method, route, status, elapsed)
            access_log.info(
                "%s %s %s",
                method,
                scope.get("path", ""),
                status,
                extra={
                    "method": method,
                    "path": scope.get("path", ""),
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                    "client": state.get("api_client"),
                },
            )
