"""SQL for a measure's record filter: which records qualify in a window.

Records that were deleted are gone; retracted ones (``retracted_at`` set) never count.
"""

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from app.broadcasts.models import Broadcast
from app.channels.models import Channel
from app.core.filters import has_tag
from app.indicators.measures import RecordFilter
from app.media_products.models import MediaProduct, MediaProductChannel
from app.status.windows import Window

RECORD_MODELS: dict[str, Any] = {
    "media_product": MediaProduct,
    "broadcast": Broadcast,
    "channel": Channel,
}


def _topic_clauses(column: Any, spec: RecordFilter, on_topic: list[str]) -> list[Any]:
    clauses = []
    if spec.on_topic:
        clauses.append(sa.or_(*(has_tag(column, t) for t in on_topic)) if on_topic else sa.false())
    clauses.extend(has_tag(column, t.value) for t in spec.topics_all)
    return clauses


def channel_open_on(day: Any) -> list[Any]:
    """A channel is open from its launch day until the day before ``closed_on``."""
    return [
        sa.or_(col(Channel.launched_on).is_(None), col(Channel.launched_on) <= day),
        sa.or_(col(Channel.closed_on).is_(None), col(Channel.closed_on) > day),
    ]


def record_clauses(
    spec: RecordFilter,
    window: Window | None,
    on_topic: list[str],
    *,
    linked_kinds_column: bool = False,
) -> list[Any]:
    """WHERE clauses selecting the records of ``spec`` that count in ``window``; without a
    window, those that would count in a window holding their instant (tallies/).

    ``linked_kinds_column``: test a media product's channel kinds on its ``channel_kinds``
    column (what the tallies count) rather than through its links (the reference)."""
    if spec.record == "channel":
        assert window is not None, "channels are only counted at an instant"
        return _channel_clauses(spec, window)
    model = RECORD_MODELS[spec.record]
    instant = model.published_at if spec.record == "media_product" else model.started_at
    clauses = []
    if window is not None:
        clauses.append(instant < window.end)
        if window.counts_from:
            clauses.append(instant >= window.counts_from)
    clauses += [col(model.retracted_at).is_(None), *_topic_clauses(model.topics, spec, on_topic)]
    if spec.record == "broadcast":
        if spec.origins:
            clauses.append(col(Broadcast.origin).in_([o.value for o in spec.origins]))
        return clauses
    return clauses + _product_clauses(spec, linked_kinds_column)


def _channel_clauses(spec: RecordFilter, window: Window) -> list[Any]:
    """Channels open (or, with ``active: false``, not open) on the window's last day."""
    open_on = channel_open_on(window.as_of_day)
    clauses: list[Any] = open_on if spec.active is not False else [sa.not_(sa.and_(*open_on))]
    if spec.kinds:
        clauses.append(col(Channel.kind).in_([k.value for k in spec.kinds]))
    if spec.dedicated is not None:
        clauses.append(Channel.dedicated == spec.dedicated)
    return clauses


def _product_clauses(spec: RecordFilter, linked_kinds_column: bool) -> list[Any]:
    """A media product's own part of the filter: kinds, channel kinds and flags."""
    clauses: list[Any] = []
    if spec.kinds:
        clauses.append(col(MediaProduct.kind).in_([k.value for k in spec.kinds]))
    if spec.channel_kinds and linked_kinds_column:
        clauses.append(
            sa.or_(*(has_tag(MediaProduct.channel_kinds, k.value) for k in spec.channel_kinds))
        )
    elif spec.channel_kinds:
        on_channel = (
            select(MediaProductChannel.media_product_id)
            .join(Channel, col(Channel.id) == col(MediaProductChannel.channel_id))
            .where(col(Channel.kind).in_([k.value for k in spec.channel_kinds]))
        )
        clauses.append(col(MediaProduct.id).in_(on_channel))
    if spec.state_commissioned is not None:
        clauses.append(MediaProduct.state_commissioned == spec.state_commissioned)
    if spec.partner_press is not None:
        has_partner = sa.and_(
            col(MediaProduct.partner_press).is_not(None), col(MediaProduct.partner_press) != ""
        )
        clauses.append(has_partner if spec.partner_press else sa.not_(has_partner))
    return clauses
