"""The pieces every ASGI middleware of the service repeats: acting on HTTP requests only,
and editing the response's headers as they start."""

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]


class HttpMiddleware:
    """A middleware for HTTP requests: any other scope (lifespan, websocket) goes to the
    app untouched. Subclasses write ``handle``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def editing_headers(
    send: Send, edit: Callable[[Headers], None]
) -> Callable[[Message], Awaitable[None]]:
    """``send``, with ``edit`` given the response's headers (a list it may change in
    place) when the response starts."""

    async def send_edited(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            edit(headers)
            message["headers"] = headers
        await send(message)

    return send_edited
