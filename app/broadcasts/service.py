"""Broadcasts: airings on communes' loudspeaker systems, pushed by their software."""

from typing import Any

from sqlmodel import Session, select

from app.agencies.agency_records import agency_record_kind
from app.broadcasts.models import Broadcast
from app.broadcasts.schemas import BroadcastCreate, BroadcastFilters, BroadcastRead, BroadcastUpdate
from app.channels.service import authorize_links, require_channel
from app.core.errors import InvalidInput
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.push import PushOutcome, PushSteps, check_pair, upsert_pushed
from app.core.records import any_tag, equal_to, in_list, published_between, retraction, where_all
from app.core.service import plain
from app.media_products.service import require_media_product

KIND = agency_record_kind(Broadcast, "broadcast", "broadcast")


def to_broadcast_read(broadcast: Broadcast) -> BroadcastRead:
    return BroadcastRead.model_validate(broadcast.model_dump())


def get_broadcast(session: Session, broadcast_id: int) -> Broadcast:
    return KIND.get(session, broadcast_id)


def list_broadcasts(
    session: Session, *, page: PageParams, filters: BroadcastFilters
) -> tuple[list[Broadcast], str | None]:
    statement = where_all(
        select(Broadcast),
        *published_between(
            Broadcast.started_at,
            filters.started_from,
            filters.started_to,
            Broadcast.search_text,
            filters.q,
        ),
        equal_to(Broadcast.agency_code, filters.agency),
        in_list(Broadcast.origin, filters.origin),
        any_tag(Broadcast.topics, filters.topic),
        equal_to(Broadcast.channel_id, filters.channel),
        equal_to(Broadcast.media_product_id, filters.media_product),
        retraction(Broadcast.retracted_at, filters.retracted),
    )
    # ix_broadcast_agency_id carries topics: with an agency, a topic filter reads index
    # entries, not one heap block per airing of the commune.
    return paginate(session, statement, Broadcast.id, page, ids_first=True)


def _complete(
    session: Session, values: dict[str, Any], *, check: set[str], actor: Principal
) -> None:
    """Check the channel (it exists, and is of an agency the key may write) and the media
    product (it exists: anyone's may be relayed) named in ``check``; take the product's
    title and topics when the broadcast gives none."""
    if "channel_id" in check and values.get("channel_id") is not None:
        loc: list[str | int] = ["body", "channel_id"]
        channel = require_channel(session, values["channel_id"], loc=loc)
        authorize_links(session, actor, [(loc, values["channel_id"], channel.agency_code)])
    product = None
    if values.get("media_product_id") is not None:
        product = require_media_product(
            session, values["media_product_id"], loc=["body", "media_product_id"]
        )
    if product is not None and not values.get("topics"):
        values["topics"] = list(product.topics)
    if values.get("title") is None:
        if product is None:
            raise InvalidInput(
                "A broadcast needs a title unless it names a media product.",
                errors=[
                    {
                        "loc": ["body", "title"],
                        "msg": "required when media_product_id is not given",
                        "type": "missing",
                    }
                ],
            )
        values["title"] = product.title


def push_broadcast(
    session: Session, *, payload: BroadcastCreate, actor: Principal
) -> tuple[Broadcast, PushOutcome]:
    """Create a broadcast, or, when ``(source, external_id)`` is known, replace it if its
    content differs. Raises InvalidInput / Forbidden; free of HTTP."""
    check_pair(payload.source, payload.external_id)
    KIND.check_agency(session, actor, payload.agency_code)
    values = plain(payload.model_dump(mode="python"))
    # The station is checked even when a stored airing of this key has it already: a push
    # states the whole record.
    _complete(session, values, check={"channel_id"}, actor=actor)
    return upsert_pushed(session, PushSteps(Broadcast, KIND.recorder(session, actor)), values)


def update_broadcast(
    session: Session,
    *,
    broadcast_id: int,
    payload: BroadcastUpdate,
    actor: Principal,
    if_match: str | None,
) -> Broadcast:
    """Change some fields. The station is checked only when the PATCH changes it: an
    airing an admin key put on a station the key may not write stays editable (its
    ``channel_id`` left out or restated); moved, it goes only where the key may link."""
    broadcast = KIND.writable(session, broadcast_id, actor, if_match)
    changes = KIND.changes(session, payload, actor, lists=("topics",))
    merged = {
        name: changes.get(name, getattr(broadcast, name))
        for name in ("channel_id", "media_product_id", "title", "topics")
    }
    check = set(changes)
    if "channel_id" in changes and changes["channel_id"] == broadcast.channel_id:
        check.discard("channel_id")  # restated, not changed: the stored link stands
    _complete(session, merged, check=check, actor=actor)
    changes.update(title=merged["title"], topics=merged["topics"])
    KIND.patch(session, broadcast, changes, actor)
    return broadcast


def delete_broadcast(
    session: Session, *, broadcast_id: int, actor: Principal, if_match: str | None
) -> None:
    KIND.delete(session, broadcast_id, actor, if_match)
