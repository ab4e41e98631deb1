"""Channels: the outlets agencies run (portals, sections, columns, programmes, stations…)."""

from collections.abc import Collection
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from app.agencies.access import writable_agencies
from app.agencies.agency_records import agency_record_kind
from app.channels.models import Channel
from app.channels.schemas import ChannelCreate, ChannelFilters, ChannelRead, ChannelUpdate
from app.core.errors import Conflict, Forbidden, InvalidInput
from app.core.filters import search_clause
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.push import PushOutcome, PushSteps, check_pair, find_pushed, upsert_pushed
from app.core.records import equal_to, in_list, where_all
from app.core.service import local_today, plain, refuse_reversed

KIND = agency_record_kind(Channel, "channel", "channel")
# A new feed URL: the old one's validators (ETag, Last-Modified) must not be sent to it,
# nor its last result shown as the new feed's.
FEED_RESET: dict[str, Any] = {
    "feed_etag": None,
    "feed_last_modified": None,
    "feed_synced_at": None,
    "feed_sync_result": None,
}


def is_active(channel: Channel, on: date) -> bool:
    """Open on ``on``: launched by then (or no launch date) and not yet closed; the
    closing day itself is not open (as the indicator engine counts it)."""
    return (channel.launched_on is None or channel.launched_on <= on) and (
        channel.closed_on is None or channel.closed_on > on
    )


def active_on_clause(on: date) -> Any:
    """SQL twin of :func:`is_active` (app.status.record_filters.channel_open_on)."""
    return sa.and_(
        or_(col(Channel.launched_on).is_(None), col(Channel.launched_on) <= on),
        or_(col(Channel.closed_on).is_(None), col(Channel.closed_on) > on),
    )


def to_channel_read(channel: Channel) -> ChannelRead:
    return ChannelRead.model_validate(
        {**channel.model_dump(), "active": is_active(channel, local_today())}
    )


def get_channel(session: Session, channel_id: int) -> Channel:
    return KIND.get(session, channel_id)


def require_channel(session: Session, channel_id: int, *, loc: list[str | int]) -> Channel:
    """Like get_channel, for an id given in a body: an unknown one is invalid input."""
    channel = session.get(Channel, channel_id) if 0 < channel_id < 2**63 else None
    if channel is None:
        raise InvalidInput(
            f"No channel with id {channel_id}.",
            errors=[
                {"loc": loc, "msg": f"unknown channel {channel_id}", "type": "unknown_channel"}
            ],
        )
    return channel


Link = tuple[list[str | int], int, str]  # (where in the body, channel id, channel's agency)


def channel_agencies(session: Session, channel_ids: Collection[int]) -> dict[int, str]:
    """The agency of each of these channels that exists, in one query (an id missing from
    the answer names no channel)."""
    rows = session.exec(
        select(col(Channel.id), col(Channel.agency_code)).where(
            col(Channel.id).in_(set(channel_ids))
        )
    )
    return {channel_id: code for channel_id, code in rows if channel_id is not None}


def refused_links(principal: Principal, links: list[Link], writable: set[str]) -> Forbidden | None:
    """The refusal of ``links`` to channels of agencies outside ``writable`` (those the key
    may write), or None. Apart so that a set-based batch, which resolves ``writable`` for
    all its items at once, words it as a single push does."""
    refused = [link for link in links if link[2] not in writable]
    if not refused:
        return None
    _, channel_id, owner = refused[0]
    return Forbidden(
        f"A key of '{principal.agency_code}' may not link records to channel {channel_id} "
        f"of '{owner}'.",
        errors=[
            {"loc": loc, "msg": f"channel {cid} belongs to '{code}'", "type": "forbidden_channel"}
            for loc, cid, code in refused
        ],
    )


def authorize_links(session: Session, principal: Principal, links: list[Link]) -> None:
    """A key links records only to channels of agencies it may write (its own and those
    under it; an admin key: any), as it writes only their records: a link says that
    agency's outlet carried the record. Forbidden otherwise. Only channels: a record may
    name another agency's media product (a commune relaying provincial content)."""
    if not links:
        return
    writable = writable_agencies(session, principal, {code for _, _, code in links})
    refusal = refused_links(principal, links, writable)
    if refusal is not None:
        raise refusal


def list_channels(
    session: Session, *, page: PageParams, filters: ChannelFilters
) -> tuple[list[Channel], str | None]:
    statement = where_all(
        select(Channel),
        equal_to(Channel.agency_code, filters.agency),
        in_list(Channel.kind, filters.kind),
        equal_to(Channel.dedicated, filters.dedicated),
        None if filters.active_on is None else active_on_clause(filters.active_on),
        search_clause(Channel.search_text, filters.q),
    )
    return paginate(session, statement, Channel.id, page)


def push_channel(
    session: Session, *, payload: ChannelCreate, actor: Principal
) -> tuple[Channel, PushOutcome]:
    """Create a channel, or, when ``(source, external_id)`` is known, update it if its
    content differs. Raises InvalidInput / Forbidden; free of HTTP for batch use."""
    check_pair(payload.source, payload.external_id)
    KIND.check_agency(session, actor, payload.agency_code)
    values = plain(payload.model_dump(mode="python"))
    stored = find_pushed(session, Channel, payload.agency_code, payload.source, payload.external_id)
    if stored is not None and stored.feed_url != payload.feed_url:
        values.update(FEED_RESET)
    return upsert_pushed(session, PushSteps(Channel, KIND.recorder(session, actor)), values)


def update_channel(
    session: Session,
    *,
    channel_id: int,
    payload: ChannelUpdate,
    actor: Principal,
    if_match: str | None,
) -> Channel:
    channel = KIND.writable(session, channel_id, actor, if_match)
    changes = KIND.changes(session, payload, actor)
    if "feed_url" in changes and changes["feed_url"] != channel.feed_url:
        changes.update(FEED_RESET)
    refuse_reversed(changes, channel, "launched_on", "closed_on")
    KIND.patch(session, channel, changes, actor)
    return channel


def delete_channel(
    session: Session, *, channel_id: int, actor: Principal, if_match: str | None
) -> None:
    try:
        # A savepoint: a refused delete (the channel is in use) leaves the request's
        # transaction usable for the 409.
        with session.begin_nested():
            KIND.delete(session, channel_id, actor, if_match)
    except sa.exc.IntegrityError as exc:
        raise Conflict(
            f"Channel {channel_id} is still referenced by media products or broadcasts; "
            "set closed_on to retire it instead."
        ) from exc
