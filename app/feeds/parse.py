"""RSS 2.0 and Atom documents to plain items, with defusedxml: no DTD entities (billion
laughs), no external entities, no network."""

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from app.feeds.fetch import FeedError

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MAX_EXTERNAL_ID = 200  # MediaProduct.external_id
MAX_TITLE = 1000
MAX_SUMMARY = 20000
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"^https?://[^\s\x00]+$")


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    title: str
    link: str | None
    summary: str | None
    published_at: datetime | None


def external_id(guid: str) -> str:
    """The guid as the push key; a longer one than the column holds is hashed (a cut one
    could make two items one)."""
    if len(guid) <= MAX_EXTERNAL_ID:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


def plain_text(value: str | None, limit: int) -> str | None:
    """Feed text is often HTML: tags out, entities decoded, spaces collapsed."""
    if not value:
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", value)).split())
    return text[:limit] or None


def _text(element: Any, tag: str) -> str | None:
    found = element.find(tag)
    if found is None:
        return None
    value = "".join(found.itertext()).strip()
    return value or None


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(value.strip())  # Atom, dc:date: RFC 3339
        except ValueError:
            return None
    # A time without an offset is taken as UTC rather than dropped.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _link(value: str | None) -> str | None:
    return value if value and len(value) <= 2000 and _URL.match(value) else None


def _rss_items(root: Any) -> list[FeedItem]:
    channel = root.find("channel")
    items = [] if channel is None else channel.findall("item")
    return [
        FeedItem(
            guid=_text(item, "guid") or _text(item, "link"),
            title=plain_text(_text(item, "title"), MAX_TITLE) or "",
            link=_link(_text(item, "link")),
            summary=plain_text(
                _text(item, "description") or _text(item, CONTENT + "encoded"), MAX_SUMMARY
            ),
            published_at=_instant(_text(item, "pubDate") or _text(item, DC + "date")),
        )
        for item in items
    ]


def _atom_link(entry: Any) -> str | None:
    for link in entry.findall(ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return _link(link.get("href"))
    return None


def _atom_items(root: Any) -> list[FeedItem]:
    return [
        FeedItem(
            guid=_text(entry, ATOM + "id") or _atom_link(entry),
            title=plain_text(_text(entry, ATOM + "title"), MAX_TITLE) or "",
            link=_atom_link(entry),
            summary=plain_text(
                _text(entry, ATOM + "summary") or _text(entry, ATOM + "content"), MAX_SUMMARY
            ),
            published_at=_instant(
                _text(entry, ATOM + "published") or _text(entry, ATOM + "updated")
            ),
        )
        for entry in root.findall(ATOM + "entry")
    ]


def parse_feed(body: bytes) -> list[FeedItem]:
    """The items of an RSS 2.0 or Atom document. FeedError for anything else."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused XML: {type(exc).__name__} (DTD or entities)") from exc
    except SafeET.ParseError as exc:
        raise FeedError(f"not XML: {exc}"[:300]) from exc
    if root.tag == "rss":
        return _rss_items(root)
    if root.tag == ATOM + "feed":
        return _atom_items(root)
    raise FeedError(f"neither RSS 2.0 nor Atom (root element {root.tag[:100]})")
