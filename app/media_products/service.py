"""Media products (sản phẩm truyền thông), pushed by portals and press with their key."""

from collections.abc import Collection
from functools import partial
from typing import Any

from sqlmodel import Session, col, delete, select

from app.agencies.agency_records import agency_record_kind
from app.audit.service import Trail, snapshot
from app.channels.models import Channel
from app.channels.service import Link, authorize_links, channel_agencies
from app.core.errors import InvalidInput
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.push import PushOutcome, PushSteps, check_pair, differs, upsert_pushed
from app.core.records import (
    any_tag,
    equal_to,
    in_list,
    patch_record,
    published_between,
    replacing,
    retraction,
    where_all,
)
from app.core.service import plain
from app.media_products.models import MediaProduct, MediaProductChannel
from app.media_products.schemas import (
    MediaProductCreate,
    MediaProductFilters,
    MediaProductRead,
    MediaProductUpdate,
)

KIND = agency_record_kind(MediaProduct, "media product", "media_product")


def get_media_product(session: Session, product_id: int) -> MediaProduct:
    return KIND.get(session, product_id)


def require_media_product(
    session: Session, product_id: int, *, loc: list[str | int]
) -> MediaProduct:
    """Like get_media_product, for an id given in a body: an unknown one is invalid input."""
    product = session.get(MediaProduct, product_id)
    if product is None:
        raise InvalidInput(
            f"No media product with id {product_id}.",
            errors=[
                {
                    "loc": loc,
                    "msg": f"unknown media product {product_id}",
                    "type": "unknown_media_product",
                }
            ],
        )
    return product


def channel_ids_of(session: Session, product_ids: list[int]) -> dict[int, list[int]]:
    """The channels of each product, sorted, in one query."""
    found: dict[int, list[int]] = {pid: [] for pid in product_ids}
    if product_ids:
        rows = session.exec(
            select(MediaProductChannel.media_product_id, MediaProductChannel.channel_id)
            .where(col(MediaProductChannel.media_product_id).in_(product_ids))
            .order_by(col(MediaProductChannel.channel_id))
        ).all()
        for product_id, channel_id in rows:
            found[product_id].append(channel_id)
    return found


def to_media_product_read(
    session: Session, product: MediaProduct, channel_ids: list[int] | None = None
) -> MediaProductRead:
    if channel_ids is None:
        channel_ids = channel_ids_of(session, [product.id or 0])[product.id or 0]
    return MediaProductRead.model_validate({**product.model_dump(), "channel_ids": channel_ids})


def to_media_product_reads(session: Session, rows: list[MediaProduct]) -> list[MediaProductRead]:
    channels = channel_ids_of(session, [r.id or 0 for r in rows])
    return [to_media_product_read(session, r, channels[r.id or 0]) for r in rows]


def list_media_products(
    session: Session, *, page: PageParams, filters: MediaProductFilters
) -> tuple[list[MediaProduct], str | None]:
    on_channel = None
    if filters.channel is not None:
        on_channel = col(MediaProduct.id).in_(
            select(MediaProductChannel.media_product_id).where(
                MediaProductChannel.channel_id == filters.channel
            )
        )
    statement = where_all(
        select(MediaProduct),
        *published_between(
            MediaProduct.published_at,
            filters.published_from,
            filters.published_to,
            MediaProduct.search_text,
            filters.q,
        ),
        equal_to(MediaProduct.agency_code, filters.agency),
        in_list(MediaProduct.kind, filters.kind),
        any_tag(MediaProduct.topics, filters.topic),
        any_tag(MediaProduct.audiences, filters.audience),
        on_channel,
        equal_to(MediaProduct.language, filters.language),
        retraction(MediaProduct.retracted_at, filters.retracted),
    )
    # ix_media_product_agency_id carries kind and topics: with an agency, those filters
    # read index entries.
    return paginate(session, statement, MediaProduct.id, page, ids_first=True)


def _check_channels(
    session: Session, actor: Principal, channel_ids: list[int], *, linked: Collection[int] = ()
) -> list[int]:
    """The distinct ids, sorted; every one must name an existing channel (422), and every
    one not in ``linked`` (the links the product has already) a channel of an agency the
    key may write (403)."""
    owners = channel_agencies(session, channel_ids)
    errors: list[dict[str, Any]] = [
        {
            "loc": ["body", "channel_ids", i],
            "msg": f"unknown channel {cid}",
            "type": "unknown_channel",
        }
        for i, cid in enumerate(channel_ids)
        if cid not in owners
    ]
    if errors:
        raise InvalidInput("Some channel ids name no channel.", errors=errors)
    links: list[Link] = [
        (["body", "channel_ids", i], cid, owners[cid])
        for i, cid in enumerate(channel_ids)
        if cid not in linked
    ]
    authorize_links(session, actor, links)
    return sorted(set(channel_ids))


def set_channels(session: Session, product: MediaProduct, channel_ids: list[int]) -> None:
    session.exec(
        delete(MediaProductChannel).where(col(MediaProductChannel.media_product_id) == product.id)
    )
    for channel_id in channel_ids:
        session.add(MediaProductChannel(media_product_id=product.id or 0, channel_id=channel_id))
    product.channel_kinds = sorted(
        set(session.exec(select(Channel.kind).where(col(Channel.id).in_(channel_ids))))
    )
    session.add(product)
    session.flush()


def _snapshot(session: Session, product: MediaProduct) -> dict[str, Any]:
    return {
        **snapshot(product),
        "channel_ids": channel_ids_of(session, [product.id or 0])[product.id or 0],
    }


# A product's state in the audit trail holds its channels.
_TRAIL = Trail(KIND.entity, after=_snapshot)


def _replace(
    session: Session,
    product: MediaProduct,
    values: dict[str, Any],
    channel_ids: list[int] | None,
    actor: Principal,
) -> bool:
    """Apply new values (and channels when given); records the change. True if any."""
    before = _snapshot(session, product)
    channels = replacing(
        channel_ids, before["channel_ids"], partial(set_channels, session, product)
    )
    record = _TRAIL.recorder(session, actor)
    return patch_record(session, product, values, record, before=before, replace_parts=channels)


def push_media_product(
    session: Session, *, payload: MediaProductCreate, actor: Principal
) -> tuple[MediaProduct, PushOutcome]:
    """Create a media product, or, when ``(source, external_id)`` is known, replace it if
    its content (channels included) differs. Raises InvalidInput / Forbidden; free of
    HTTP so that a batch can call it per item (flushed: the caller commits)."""
    check_pair(payload.source, payload.external_id)
    KIND.check_agency(session, actor, payload.agency_code)
    # Every channel named, even one a stored product of this key has already: a push
    # states the whole record, and is authorized before the stored row is looked up.
    channel_ids = _check_channels(session, actor, payload.channel_ids)
    values = plain(payload.model_dump(mode="python", exclude={"channel_ids"}))

    def is_unchanged(product: MediaProduct) -> bool:
        stored_channels = channel_ids_of(session, [product.id or 0])[product.id or 0]
        return not differs(product, values) and stored_channels == channel_ids

    def after_insert(product: MediaProduct) -> None:
        set_channels(session, product, channel_ids)
        _TRAIL.record(session, actor, "create", product, before=None)

    steps = PushSteps(
        MediaProduct,
        record=_TRAIL.recorder(session, actor),
        is_unchanged=is_unchanged,
        replace=lambda product: _replace(session, product, values, channel_ids, actor),
        after_insert=after_insert,
    )
    return upsert_pushed(session, steps, values)


def update_media_product(
    session: Session,
    *,
    product_id: int,
    payload: MediaProductUpdate,
    actor: Principal,
    if_match: str | None,
) -> MediaProduct:
    """Change some fields; ``channel_ids`` replaces the list. Only the links the PATCH adds
    must be to channels of agencies the key may write: a link made earlier (by an admin
    key) does not block a PATCH that leaves ``channel_ids`` out, keeps it or drops it."""
    product = KIND.writable(session, product_id, actor, if_match)
    changes = KIND.changes(
        session, payload, actor, exclude={"channel_ids"}, lists=("topics", "audiences")
    )
    channel_ids = None
    if "channel_ids" in payload.model_fields_set:
        linked = channel_ids_of(session, [product_id])[product_id]
        channel_ids = _check_channels(session, actor, payload.channel_ids or [], linked=linked)
    _replace(session, product, changes, channel_ids, actor)
    return product


def delete_media_product(
    session: Session, *, product_id: int, actor: Principal, if_match: str | None
) -> None:
    """Hard delete; broadcasts that pointed at the product keep their title (SET NULL)."""
    product = KIND.writable(session, product_id, actor, if_match)
    before = _snapshot(session, product)
    session.exec(
        delete(MediaProductChannel).where(col(MediaProductChannel.media_product_id) == product_id)
    )
    session.delete(product)
    _TRAIL.record(session, actor, "delete", product, before=before)
