"""The language of problems: English by default, Vietnamese when the request asks for it.

``Accept-Language`` is negotiated between the two languages the service speaks (RFC 9110
§12.5.4): ``vi``, ``vi-VN`` or ``vi;q=0.9, en;q=0.8`` get Vietnamese, and so does any
header whose best supported language is Vietnamese; everything else gets English. Only
the texts change (``title``, ``detail``, ``errors[].msg``): the ``type`` URIs and the
``errors[].type`` codes stay as they are, for programs to match on. A problem answers
with ``Vary: Accept-Language``, and ``Content-Language: vi`` when it is in Vietnamese.

Code that builds a problem without a ``Request`` (a batch item's rejection) asks
``current_language()``: ``LanguageMiddleware`` keeps the request's language in a context
variable. Middlewares that answer before it runs read the ASGI scope (``language_of_scope``).

This module also words date and time errors so that they show the expected form
(``teach``), in both languages.
"""

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticKnownError
from starlette.requests import HTTPConnection
from starlette.types import Receive, Scope, Send

from app.core import messages_vi
from app.core.asgi import Headers, HttpMiddleware, editing_headers

EN = "en"
VI = "vi"
SUPPORTED = (EN, VI)  # the first is the default
VARY = "Accept-Language"

INSTANT_EXAMPLE = messages_vi.INSTANT_EXAMPLE
DAY_EXAMPLE = messages_vi.DAY_EXAMPLE
EXPECTED_INSTANT = f"expected an instant such as {INSTANT_EXAMPLE} (RFC 3339, with its offset)"
EXPECTED_DAY = f"expected a day such as {DAY_EXAMPLE}"


def negotiate(header: str | None) -> str:
    """The supported language ``Accept-Language`` prefers: the highest q; between equal
    q, the one listed first; English when nothing supported is acceptable. ``vi-VN`` asks
    for Vietnamese, ``*`` for any language (English then)."""
    if not header:
        return EN
    quality: dict[str, float] = {}
    position: dict[str, int] = {}
    wildcard: tuple[float, int] | None = None
    for index, item in enumerate(header.split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if not tag or not 0.0 <= q <= 1.0:
            continue  # malformed: ignored
        primary = tag.split("-", 1)[0].lower()
        if primary == "*":
            wildcard = wildcard or (q, index)
        elif primary in SUPPORTED:
            quality[primary] = max(q, quality.get(primary, 0.0))
            position.setdefault(primary, index)
    if wildcard is not None:
        for language in SUPPORTED:
            if language not in quality:
                quality[language], position[language] = wildcard
    ranked = sorted(
        (language for language in SUPPORTED if quality.get(language, 0.0) > 0.0),
        key=lambda language: (-quality[language], position[language], SUPPORTED.index(language)),
    )
    return ranked[0] if ranked else EN


def _header_value(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    values = [
        value.decode("latin-1") for name, value in headers if name.lower() == b"accept-language"
    ]
    return ",".join(values) if values else None


def language_of_scope(scope: Scope) -> str:
    """The language an ASGI request asks for."""
    return negotiate(_header_value(scope.get("headers") or ()))


def language_of(request: HTTPConnection) -> str:
    return negotiate(request.headers.get("accept-language"))


@dataclass
class _Negotiation:
    scope: Scope
    language: str | None = None
    consulted: bool = False

    def get(self) -> str:
        if self.language is None:
            self.language = language_of_scope(self.scope)
        self.consulted = True
        return self.language


_current: ContextVar[_Negotiation | None] = ContextVar("language", default=None)


def current_language() -> str:
    """The language of the request being served (English outside a request). The answer
    then says that it depends on ``Accept-Language``."""
    negotiation = _current.get()
    return negotiation.get() if negotiation is not None else EN


def language_headers(language: str) -> dict[str, str]:
    """The headers of an answer whose texts are in ``language``."""
    headers = {"Vary": VARY}
    if language != EN:
        headers["Content-Language"] = language
    return headers


class LanguageMiddleware(HttpMiddleware):
    """Keeps the request's language for ``current_language``; when the answer used it,
    adds ``Vary: Accept-Language`` (and ``Content-Language``) unless already there."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        negotiation = _Negotiation(scope)

        def add_language(headers: Headers) -> None:
            if not negotiation.consulted:
                return
            names = {name.lower() for name, _ in headers}
            varies = any(
                name.lower() == b"vary" and b"accept-language" in value.lower()
                for name, value in headers
            )
            if not varies:
                headers.append((b"vary", VARY.encode()))
            language = negotiation.get()
            if language != EN and b"content-language" not in names:
                headers.append((b"content-language", language.encode()))

        token = _current.set(negotiation)
        try:
            await self.app(scope, receive, editing_headers(send, add_language))
        finally:
            _current.reset(token)


# --- messages ---------------------------------------------------------------------

_INSTANT_TYPES = frozenset(
    {
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_type",
        "datetime_object_invalid",
        "timezone_aware",
    }
)
_DAY_TYPES = frozenset({"date_parsing", "date_from_datetime_parsing", "date_type"})
_TIME_TYPES = frozenset({"time_parsing", "time_type"})
# app.core.schemas refuses Unix timestamps for days and instants alike under this message.
_NOT_A_TIMESTAMP = "an ISO 8601 date or date-time is expected"


def _standard_message(error_type: str, ctx: dict[str, Any] | None) -> str | None:
    """pydantic's own message for this error type, None for a custom type."""
    try:
        return PydanticKnownError(error_type, ctx).message()  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None


def teach(error_type: str, msg: str) -> str:
    """An error message that shows the expected form of a day or an instant."""
    if msg == _NOT_A_TIMESTAMP:
        return f"{EXPECTED_DAY} or an instant such as {INSTANT_EXAMPLE}, not a number"
    if error_type in _INSTANT_TYPES:
        return EXPECTED_INSTANT
    if error_type in _DAY_TYPES:
        return EXPECTED_DAY
    if error_type == "date_from_datetime_inexact":
        return f"{EXPECTED_DAY}, without a time"
    if error_type in _TIME_TYPES:
        return "expected a time of day such as 09:15:00"
    return msg


def issue_message(error_type: str, msg: str, ctx: dict[str, Any] | None, language: str) -> str:
    """An ``errors[].msg`` in ``language``: the service's own messages by their text,
    pydantic's by their type and context; a message not known stays as it is."""
    taught = teach(error_type, msg)
    if language != VI:
        return taught
    known = messages_vi.translate(taught)
    if known is not None:
        return known
    if msg == _standard_message(error_type, ctx):
        translated = messages_vi.pydantic_message(error_type, ctx)
        if translated is not None:
            return translated
    return taught


def localised_issues(raw: list[Any], language: str) -> list[dict[str, Any]]:
    """pydantic's errors as a problem's ``errors[]``: where, a message in ``language`` that
    shows the expected form of days and instants, and pydantic's type code unchanged."""
    cleaned = []
    for err in raw:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        kind = str(err.get("type"))
        msg = issue_message(kind, str(err.get("msg", "")), err.get("ctx"), language)
        cleaned.append({"loc": loc, "msg": msg, "type": kind})
    return cleaned


def translate_text(text: str | None, language: str) -> str | None:
    """A detail or message the service wrote, in ``language`` when known there."""
    if text is None or language != VI:
        return text
    return messages_vi.translate(text) or text


def title_of(slug: str, title: str, language: str) -> str:
    if language != VI:
        return title
    return messages_vi.TITLES.get(slug, title)


def localise_problem(body: dict[str, Any], language: str, *, texts_localised: bool = False) -> None:
    """Put a problem's title (by its type), detail and ``errors[].msg`` in ``language``;
    ``texts_localised``: the detail and messages are in it already."""
    if language == EN:
        return
    slug = str(body.get("type", "")).rsplit("/", 1)[-1]
    body["title"] = title_of(slug, str(body.get("title", "")), language)
    if texts_localised:
        return
    body["detail"] = translate_text(body.get("detail"), language)
    errors = body.get("errors")
    if errors:
        body["errors"] = [
            {
                **error,
                "msg": issue_message(
                    str(error.get("type")), str(error.get("msg", "")), None, language
                ),
            }
            for error in errors
        ]
