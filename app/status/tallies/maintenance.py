"""Keeping the tallies exact as records are written.

- ORM writes: before each flush, the changed and deleted rows' stored values (read from
  the database, which still holds them) are subtracted and the new values added; the
  change is written at the end of that flush, so a rolled-back savepoint takes it along.
  These are the ``FLUSH_LISTENERS``, installed by ``app.listeners.register_listeners``.
- Rows written with Core statements (the broadcast batch): ``count_rows``, which the
  write path reaches through ``app.core.write_hooks``.
- Bulk deletes in SQL (cleanups): ``delete_records``.
- A media product's ``channel_kinds`` follows its links (media_products/service.py) and,
  here, a change of a linked channel's kind.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from app.channels.models import Channel
from app.core.local_time import LOCAL_TZ
from app.media_products.models import MediaProduct, MediaProductChannel
from app.status.tallies.filters import INSTANT, TALLIED, TALLIED_FIELDS, Filter, matches, parse_key
from app.status.tallies.registry import all_registered
from app.status.tallies.store import Delta, apply_delta, buckets_of

StoredValues = Mapping[str, Any]  # a record's values by field name, as stored or to be
_PENDING = "tally_delta"  # the session.info entry a flush's change waits in


def _contributions(
    filters: list[Filter], record: str, rows: Iterable[StoredValues], sign: int, delta: Delta
) -> None:
    """Add each row's ``sign`` to the tallies of the filters it matches, in its buckets.

    A batch holds few distinct combinations of what filters look at (topics, origin,
    retraction…) and few (agency, day) pairs for its size, so rows are counted by
    (combination, agency, day) first and each combination is matched once."""
    instant_name = INSTANT[record]
    looked_at = [n for n in TALLIED_FIELDS[record] if n not in ("agency_code", instant_name)]
    grouped: Counter[tuple[tuple[Any, ...], str, date]] = Counter()
    for values in rows:
        combination = tuple(_hashable(values[name]) for name in looked_at)
        day = values[instant_name].astimezone(LOCAL_TZ).date()
        grouped[(combination, values["agency_code"], day)] += 1
    matched: dict[tuple[Any, ...], list[int]] = {}
    for (combination, agency_code, day), count in grouped.items():
        filter_ids = matched.get(combination)
        if filter_ids is None:
            values = dict(zip(looked_at, combination, strict=True))
            filter_ids = [
                fid for fid, specs, on_topic in filters if matches(specs, values, on_topic)
            ]
            matched[combination] = filter_ids
        for bucket in buckets_of(day):
            for filter_id in filter_ids:
                delta[(filter_id, agency_code, bucket)] += sign * count


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _filters_by_record(session: Session) -> dict[str, list[Filter]]:
    """The tallied filters, parsed, by record type: one read of the registry."""
    found: dict[str, list[Filter]] = {record: [] for record in TALLIED}
    for key, fid in all_registered(session).items():
        specs, on_topic = parse_key(key)
        found[specs[0].record].append((fid, specs, on_topic))
    return found


def count_rows(
    session: Session, record: str, rows: Sequence[StoredValues], *, sign: int = +1
) -> None:
    """Add to the tallies rows inserted without the ORM (their stored values), or with
    ``sign=-1`` take off rows about to be deleted without it."""
    if not rows:
        return
    filters = _filters_by_record(session)[record]
    if not filters:
        return
    delta: Delta = Counter()
    _contributions(filters, record, rows, sign, delta)
    apply_delta(session.connection(), delta)


def _stored_rows(session: Session, record: str, *where: Any) -> Sequence[StoredValues]:
    """The stored values the tallies look at of the records matching ``where``."""
    model = TALLIED[record]
    columns = (getattr(model, name) for name in TALLIED_FIELDS[record])
    rows = session.execute(sa.select(*columns).where(*where)).mappings().all()
    return cast(Sequence[StoredValues], rows)  # keyed by the column names


def delete_records(session: Session, record: str, *where: Any) -> int:
    """Delete the records matching ``where`` with one statement, taking them off the
    tallies first (a bulk delete passes no ORM hook): for cleanups in SQL, such as the
    benchmark's and the integration tests'. Returns how many went."""
    count_rows(session, record, _stored_rows(session, record, *where), sign=-1)
    result: Any = session.execute(sa.delete(TALLIED[record]).where(*where))
    return int(result.rowcount or 0)


def _stored_by_id(session: Session, record: str, ids: list[int]) -> list[StoredValues]:
    """The stored values of the records ``ids``, read in chunks of a thousand ids."""
    model = TALLIED[record]
    found: list[StoredValues] = []
    for start in range(0, len(ids), 1000):
        found.extend(_stored_rows(session, record, col(model.id).in_(ids[start : start + 1000])))
    return found


def _follow_channel_kinds(session: OrmSession) -> None:
    """A channel whose kind changes changes the ``channel_kinds`` of its media products."""
    changed = [
        channel
        for channel in session.dirty
        if isinstance(channel, Channel) and sa.inspect(channel).attrs.kind.history.has_changes()
    ]
    for channel in changed:
        product_ids = list(
            session.scalars(
                sa.select(col(MediaProductChannel.media_product_id)).where(
                    col(MediaProductChannel.channel_id) == channel.id
                )
            )
        )
        for product in session.scalars(
            sa.select(MediaProduct).where(col(MediaProduct.id).in_(product_ids))
        ):
            others = session.scalars(
                sa.select(col(Channel.kind))
                .join(MediaProductChannel, col(MediaProductChannel.channel_id) == col(Channel.id))
                .where(col(MediaProductChannel.media_product_id) == product.id)
                .where(col(Channel.id) != channel.id)
            )
            product.channel_kinds = sorted({*others, channel.kind})


def count_before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Work out what the coming flush changes in the tallies and keep it pending."""
    with session.no_autoflush:
        _follow_channel_kinds(session)
        delta: Delta = Counter()
        filters: dict[str, list[Filter]] | None = None  # read once, when first needed
        for record, model in TALLIED.items():
            new = [row for row in session.new if isinstance(row, model)]
            changed = [
                row for row in session.dirty if isinstance(row, model) and row.id is not None
            ]
            gone = [row for row in session.deleted if isinstance(row, model)]
            if not (new or changed or gone):
                continue
            if filters is None:
                filters = _filters_by_record(session)  # type: ignore[arg-type]
            if not filters[record]:
                continue
            old_ids = sorted({int(row.id) for row in changed + gone})
            stored = _stored_by_id(session, record, old_ids)  # type: ignore[arg-type]
            _contributions(filters[record], record, stored, -1, delta)
            names = TALLIED_FIELDS[record]
            current = [{name: getattr(row, name) for name in names} for row in new + changed]
            _contributions(filters[record], record, current, +1, delta)
        if delta:
            session.info.setdefault(_PENDING, Counter()).update(delta)


def write_after_flush(session: OrmSession, _context: Any) -> None:
    """Write the pending change in the flush's own transaction."""
    delta = session.info.pop(_PENDING, None)
    if delta:
        apply_delta(session.connection(), delta)


def forget_after_rollback(session: OrmSession, _previous: Any) -> None:
    # A flush that failed leaves its pending change behind: it must not leak into the next.
    session.info.pop(_PENDING, None)


# The ORM session events that keep the tallies exact, in the order they are installed.
FLUSH_LISTENERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("before_flush", count_before_flush),
    ("after_flush", write_after_flush),
    ("after_soft_rollback", forget_after_rollback),
)
