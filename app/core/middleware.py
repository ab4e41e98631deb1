"""ASGI middleware: request ids, body size limit, NUL bytes in query strings, security
headers."""

import contextlib
import json
import re
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.asgi import Headers, HttpMiddleware, editing_headers
from app.core.i18n import language_headers, language_of_scope, localise_problem
from app.core.problem import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from app.core.request_context import set_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
# Paths meant to be framed by other sites (none exist yet): they get no X-Frame-Options
# and no frame-ancestors 'none'.
FRAMEABLE_PATH_PREFIXES: tuple[str, ...] = ("/embed/",)
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NOT_FRAMEABLE = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)
_NO_STORE = (b"cache-control", b"no-store")


async def _send_problem(
    send: Send, scope: Scope, status: int, slug: str, title: str, detail: str
) -> None:
    """A problem answered before the application runs, in the request's language."""
    language = language_of_scope(scope)
    problem: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": scope.get("path"),
        "request_id": (scope.get("state") or {}).get("request_id"),
    }
    localise_problem(problem, language)
    body = json.dumps(problem).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *(
                    (name.lower().encode(), value.encode())
                    for name, value in language_headers(language).items()
                ),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestIdMiddleware(HttpMiddleware):
    """Takes ``X-Request-ID`` (or makes one) and echoes it on the response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        set_request_id(request_id)

        def add_id(headers: Headers) -> None:
            headers.append((b"x-request-id", request_id.encode()))

        await self.app(scope, receive, editing_headers(send, add_id))


class BodyLimitMiddleware(HttpMiddleware):
    """Refuses bodies over the limit with a 413 problem before the route reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await _send_problem(
                send,
                scope,
                400,
                "bad-request",
                "Bad request",
                "The URL contains a NUL character.",
            )
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        too_large = f"The body is larger than {self.max_bytes} bytes."
        if declared is not None:
            try:
                if int(declared) > self.max_bytes:
                    await _send_problem(
                        send, scope, 413, "payload-too-large", "Payload too large", too_large
                    )
                    return
            except ValueError:
                await _send_problem(
                    send, scope, 400, "bad-request", "Bad request", "Invalid Content-Length."
                )
                return

        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Once the body overflowed, whatever the app answers is replaced by a 413.
            if not refused:
                await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, limited_receive, guarded_send)
        if refused:
            await _send_problem(
                send, scope, 413, "payload-too-large", "Payload too large", too_large
            )


class _BodyTooLarge(Exception):
    pass


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds, to every answer that does not set them itself:

    * ``X-Content-Type-Options: nosniff``;
    * ``X-Frame-Options: DENY`` and ``Content-Security-Policy: frame-ancestors 'none'``
      (Swagger UI at /docs and ReDoc at /redoc are not to be framed, nor anything else),
      except under ``FRAMEABLE_PATH_PREFIXES``;
    * ``Cache-Control: no-store`` under ``path_prefix`` when the request carried an
      ``Authorization`` header: what a key reads is not for any cache to keep.

    Installed outside the idempotency middleware, which stores and replays only what the
    route set (and takes a route's ``no-store`` for a secret shown once).
    """

    def __init__(self, app: ASGIApp, *, path_prefix: str = "/api/v1/") -> None:
        super().__init__(app)
        self.path_prefix = path_prefix

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        added = [_NOSNIFF]
        if not path.startswith(FRAMEABLE_PATH_PREFIXES):
            added.extend(_NOT_FRAMEABLE)
        if path.startswith(self.path_prefix) and any(
            name.lower() == b"authorization" for name, _ in scope["headers"]
        ):
            added.append(_NO_STORE)

        def add_missing(headers: Headers) -> None:
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in added if header[0] not in present)

        await self.app(scope, receive, editing_headers(send, add_missing))


__all__: list[Any] = [
    "FRAMEABLE_PATH_PREFIXES",
    "BodyLimitMiddleware",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
]
