"""`nq57 feeds sync`: each active channel's feed to media products of its agency, through
the same push rules as the API (push_media_product), one channel at a time."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import httpx
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.channels.models import Channel
from app.channels.service import is_active
from app.core.errors import AppError
from app.core.local_time import local_today
from app.core.principal import Principal
from app.core.text import fold
from app.core.types import utcnow
from app.core.vocab import Scope
from app.feeds.fetch import FeedError, FetchLimits, fetch_feed
from app.feeds.parse import FeedItem, external_id, parse_feed
from app.media_products.schemas import MediaProductCreate
from app.media_products.service import push_media_product
from app.plans.models import Plan

# The topic an item matching a plan's keyword gets: one on-topic topic is all the
# indicators need (a record is on-topic when any of its topics is among the plan's), and
# every keyword is a theme of Nghị quyết 57. A finer topic is a person's call.
PREFERRED_TOPIC = "nq57"


@dataclass(frozen=True)
class Keywords:
    """One plan's folded phrases and the topic its matching items get."""

    phrases: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class ChannelSync:
    channel_id: int
    name: str
    result: str

    @property
    def ok(self) -> bool:
        return self.result.startswith("ok")


def load_keywords(session: Session) -> list[Keywords]:
    found = []
    for plan in session.exec(select(Plan).order_by(col(Plan.id))):
        phrases = tuple(p for p in (fold(k) for k in plan.feed_keywords or []) if p)
        if not phrases or not plan.on_topic_topics:
            continue
        topics = plan.on_topic_topics
        topic = PREFERRED_TOPIC if PREFERRED_TOPIC in topics else sorted(topics)[0]
        found.append(Keywords(phrases, topic))
    return found


def topics_of(item: FeedItem, keywords: list[Keywords], *, dedicated: bool) -> list[str]:
    """The plans' topics this item is on; [] when it matches no keyword. A dedicated
    channel (a section built for the topic) makes every item on-topic."""
    # Padded with spaces so that a phrase matches whole words only ("so" is not "son").
    text = f" {fold(item.title)} {fold(item.summary)} "
    topics = {k.topic for k in keywords if any(f" {p} " in text for p in k.phrases)}
    if dedicated and not topics:
        topics = {k.topic for k in keywords}
    return sorted(topics)


def feed_actor(channel: Channel) -> Principal:
    # Bound to the channel's agency with write scope only: the sync can do no more than
    # that agency's own key could, and the audit trail names it.
    return Principal(
        actor=f"feed-sync:channel-{channel.id}",
        agency_code=channel.agency_code,
        scopes=frozenset({Scope.write}),
    )


def _payload(channel: Channel, item: FeedItem, topics: list[str]) -> MediaProductCreate:
    return MediaProductCreate.model_validate(
        {
            "agency_code": channel.agency_code,
            "kind": "article",
            "title": item.title,
            "summary": item.summary,
            "url": item.link,
            "published_at": item.published_at,
            "channel_ids": [channel.id],
            "topics": topics,
            "source": f"feed:{channel.id}",
            "external_id": external_id(item.guid or ""),
        }
    )


def push_items(
    session: Session, channel: Channel, items: list[FeedItem], keywords: list[Keywords]
) -> Counter[str]:
    """Push each on-topic item (not committed); counts by outcome. An item the push
    refuses (no title, no date, no guid) is counted ``rejected`` and the others go on."""
    counts: Counter[str] = Counter()
    actor = feed_actor(channel)
    for item in items:
        topics = topics_of(item, keywords, dedicated=channel.dedicated)
        if not topics:
            counts["off-topic"] += 1
            continue
        if not item.guid or not item.title or item.published_at is None:
            counts["rejected"] += 1
            continue
        try:
            payload = _payload(channel, item, topics)
            _, outcome = push_media_product(session, payload=payload, actor=actor)
        except (ValidationError, AppError):
            counts["rejected"] += 1
            continue
        counts[outcome.value] += 1
    return counts


def describe(counts: Counter[str]) -> str:
    order = ("created", "updated", "unchanged", "off-topic", "rejected")
    return "ok: " + ", ".join(f"{counts[name]} {name}" for name in order)


def _finish(session: Session, channel: Channel, result: str, now: datetime) -> None:
    # Sync state is bookkeeping, not content: no audit event and no new version (so an
    # If-Match a person holds stays good across syncs).
    channel.feed_synced_at = now
    channel.feed_sync_result = result[:1000]
    session.add(channel)
    # A boundary: the sync runs from the CLI (`nq57 feeds sync`), outside any request, and
    # each channel is its own unit of work, so that one failing feed keeps the others'.
    session.commit()


def sync_channel(
    session: Session,
    channel: Channel,
    *,
    client: httpx.Client,
    keywords: list[Keywords],
    limits: FetchLimits,
) -> str:
    """Read one channel's feed and push its items; commits them with the channel's new
    state, or, when anything fails, rolls them back and keeps the error on the channel."""
    now, channel_id = utcnow(), channel.id
    try:
        fetched = fetch_feed(
            client,
            channel.feed_url or "",
            etag=channel.feed_etag,
            last_modified=channel.feed_last_modified,
            limits=limits,
        )
        if fetched.body is None:
            result = "ok: not modified"
        else:
            result = describe(push_items(session, channel, parse_feed(fetched.body), keywords))
            channel.feed_etag = (fetched.etag or "")[:500] or None
            channel.feed_last_modified = (fetched.last_modified or "")[:100] or None
    except FeedError as exc:
        result = f"error: {exc}"
    except Exception as exc:
        result = f"error: {type(exc).__name__}: {exc}"
    if result.startswith("error"):
        session.rollback()
        channel = session.get(Channel, channel_id) or channel
    _finish(session, channel, result, now)
    return result


def feed_channels(session: Session, channel_ids: list[int] | None = None) -> list[Channel]:
    statement = select(Channel).where(col(Channel.feed_url).is_not(None))
    if channel_ids:
        statement = statement.where(col(Channel.id).in_(channel_ids))
    today = local_today()
    rows = session.exec(statement.order_by(col(Channel.id))).all()
    return [c for c in rows if is_active(c, today)]


def sync_feeds(
    session: Session,
    *,
    limits: FetchLimits = FetchLimits(),
    channel_ids: list[int] | None = None,
    client: httpx.Client | None = None,
) -> list[ChannelSync]:
    """Sync every active channel that has a feed (or only ``channel_ids``), in id order."""
    keywords = load_keywords(session)
    own_client = client is None
    http = client or httpx.Client()
    try:
        outcomes = []
        for channel in feed_channels(session, channel_ids):
            result = sync_channel(session, channel, client=http, keywords=keywords, limits=limits)
            outcomes.append(ChannelSync(channel.id or 0, channel.name, result))
        return outcomes
    finally:
        if own_client:
            http.close()
