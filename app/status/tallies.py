"""Write-time tallies: what indicator status counts, counted when records are written.

Every record filter an indicator evaluates (a ``RecordFilter`` or the conjunction of two,
with its plan's on-topic list) is registered in ``tally_filter``. For each, ``record_tally``
holds how many of an agency's records match, per local year, month and day. Each write
of a broadcast or a media product adjusts those counts in the same transaction, so status
reads a handful of tally rows per agency instead of every record (see counting.py).

How the counts stay exact:
- ORM writes: before each flush, the changed and deleted rows' stored values (read from
  the database, which still holds them) are subtracted and the new values added; the
  change is written at the end of that flush, so a rolled-back savepoint takes it along.
- Rows written with Core statements (the broadcast batch): ``count_rows``.
- A media product's ``channel_kinds`` follows its links (media_products/service.py) and,
  here, a change of a linked channel's kind.
- ``sync_filters`` registers the filters the indicators need and counts the stored
  records for new ones (seed, ``nq57 db upgrade``, indicator and plan writes); a filter
  no indicator uses any more is dropped.
The straightforward evaluation stays the reference: tests/indicators compare both on
random data, including updates and retractions after a first evaluation.
"""

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel, col, select

from app.broadcasts.models import Broadcast
from app.channels.models import Channel
from app.core.filters import one_of
from app.core.local_time import LOCAL_TZ
from app.indicators.measures import (
    AgencyCoverage,
    RecordFilter,
    RecordShare,
    parse_measure,
)
from app.indicators.models import Indicator, TallyFilter
from app.media_products.models import MediaProduct, MediaProductChannel
from app.plans.models import Plan
from app.status.record_filters import record_clauses

TALLIED: dict[str, Any] = {"broadcast": Broadcast, "media_product": MediaProduct}
INSTANT = {"broadcast": "started_at", "media_product": "published_at"}
# The stored values a filter looks at; nothing else changes a record's tallies.
TALLIED_FIELDS = {
    "broadcast": ("agency_code", "started_at", "retracted_at", "topics", "origin"),
    "media_product": (
        "agency_code",
        "published_at",
        "retracted_at",
        "topics",
        "kind",
        "channel_kinds",
        "state_commissioned",
        "partner_press",
    ),
}
TALLY_TABLE: sa.Table = SQLModel.metadata.tables["record_tally"]
Conjunction = tuple[RecordFilter, ...]
Filter = tuple[int, Conjunction, tuple[str, ...]]  # id, the filters, the on-topic list


# -- Filters and their keys ----------------------------------------------------------


def filter_key(specs: Conjunction, on_topic: Iterable[str]) -> str:
    """The canonical text of a conjunction of filters of one record type, with the plan's
    on-topic list when a filter uses it: equal filters share one tally."""
    uses_topic_list = any(spec.on_topic for spec in specs)
    return json.dumps(
        {
            "record": specs[0].record,
            "all_of": sorted(
                json.dumps(spec.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
                for spec in specs
            ),
            "on_topic": sorted(set(on_topic)) if uses_topic_list else [],
        },
        sort_keys=True,
        ensure_ascii=False,
    )


@lru_cache(maxsize=1024)
def parse_key(key: str) -> tuple[Conjunction, tuple[str, ...]]:
    data = json.loads(key)
    specs = tuple(RecordFilter.model_validate_json(text) for text in data["all_of"])
    return specs, tuple(data["on_topic"])


def conjunctions_of(measure_data: dict[str, Any]) -> list[Conjunction]:
    """The conjunctions of tallied record filters a measure counts."""
    measure = parse_measure(measure_data)
    found: list[Conjunction] = []
    if isinstance(measure, AgencyCoverage):
        for condition in measure.all_of:
            found.extend((alt,) for alt in condition.any_of if alt.record in TALLIED)
    elif isinstance(measure, RecordShare) and measure.base.record in TALLIED:
        found.append((measure.base,))
        found.append((measure.base, measure.numerator))
        if measure.secondary is not None:
            found.append((measure.base, measure.secondary.filter))
    return found


def matches(specs: Conjunction, values: Mapping[str, Any], on_topic: Iterable[str]) -> bool:
    """Whether a record with these stored values matches every filter, ignoring the
    window (the tally buckets are the window): record_filters.record_clauses in Python."""
    if values["retracted_at"] is not None:
        return False
    topics = set(values["topics"] or ())
    wanted = set(on_topic)
    for spec in specs:
        if spec.on_topic and not topics & wanted:
            return False
        if any(topic.value not in topics for topic in spec.topics_all):
            return False
        if spec.record == "broadcast":
            if spec.origins and values["origin"] not in {o.value for o in spec.origins}:
                return False
            continue
        if spec.kinds and values["kind"] not in {k.value for k in spec.kinds}:
            return False
        channel_kinds = {k.value for k in spec.channel_kinds}
        if channel_kinds and not channel_kinds & set(values["channel_kinds"] or ()):
            return False
        if (
            spec.state_commissioned is not None
            and bool(values["state_commissioned"]) != spec.state_commissioned
        ):
            return False
        if spec.partner_press is not None and bool(values["partner_press"]) != spec.partner_press:
            return False
    return True


def buckets_of(day: date) -> tuple[str, str, str]:
    """The buckets a local day counts in: its year, its month and itself."""
    return f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()


# -- Registry ------------------------------------------------------------------------


def all_registered(session: Session) -> dict[str, int]:
    """The id of every tallied filter, by key (a few dozen rows at national scale)."""
    statement = select(TallyFilter.key, TallyFilter.id)
    return {key: int(fid or 0) for key, fid in session.execute(statement)}


def registered_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    wanted = set(keys)
    return {key: fid for key, fid in all_registered(session).items() if key in wanted}


def needed_keys(session: Session) -> dict[str, str]:
    """Every filter key the stored indicators count, with its record type."""
    plans = {plan.id: list(plan.on_topic_topics) for plan in session.exec(select(Plan))}
    keys: dict[str, str] = {}
    for plan_id, measure in session.exec(select(Indicator.plan_id, Indicator.measure)):
        for specs in conjunctions_of(dict(measure)):
            keys[filter_key(specs, plans.get(plan_id, []))] = specs[0].record
    return keys


def sync_filters(session: Session) -> int:
    """Register the filters the indicators need, counting the stored records for each new
    one, and drop the ones no indicator uses. Returns how many were added. The caller
    commits. At national scale a new filter takes seconds per million records."""
    needed = needed_keys(session)
    known = all_registered(session)
    stale = [fid for key, fid in known.items() if key not in needed]
    if stale:
        session.execute(sa.delete(TALLY_TABLE).where(TALLY_TABLE.c.filter_id.in_(stale)))
        session.execute(sa.delete(TallyFilter).where(col(TallyFilter.id).in_(stale)))
    added = 0
    for key, record in sorted(needed.items()):
        if key in known:
            continue
        tally_filter = TallyFilter(record=record, key=key)
        session.add(tally_filter)
        session.flush()
        _backfill(session, int(tally_filter.id or 0), key)
        added += 1
    return added


def local_day_sql(connection: Connection, column: Any) -> Any:
    """The local day of an instant column, as ``YYYY-MM-DD`` text. Vietnam keeps UTC+7
    all year, which SQLite's modifier needs; PostgreSQL asks its zone database."""
    if connection.dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone(str(LOCAL_TZ), column), "YYYY-MM-DD")
    return sa.func.date(column, "+7 hours")


def _backfill(session: Session, filter_id: int, key: str) -> None:
    """Count the stored records of a newly registered filter, grouped in the database by
    agency and local day, then rolled up into months and years."""
    specs, on_topic = parse_key(key)
    model = TALLIED[specs[0].record]
    connection = session.connection()
    day = local_day_sql(connection, getattr(model, INSTANT[specs[0].record]))
    clauses = [clause for spec in specs for clause in record_clauses(spec, None, list(on_topic))]
    statement = (
        sa.select(col(model.agency_code), day.label("day"), sa.func.count())
        .where(*clauses)
        .group_by(col(model.agency_code), day)
    )
    delta: Counter[tuple[int, str, str]] = Counter()
    for agency_code, day_text, count in connection.execute(statement):
        year, month = day_text[:4], day_text[:7]
        for bucket in (year, month, day_text):
            delta[(filter_id, agency_code, bucket)] += int(count)
    apply_delta(connection, delta)


# -- Maintenance ---------------------------------------------------------------------


def _contributions(
    filters: list[Filter],
    record: str,
    rows: Iterable[Mapping[str, Any]],
    sign: int,
    delta: Counter[tuple[int, str, str]],
) -> None:
    """Add each row's ``sign`` to the tallies of the filters it matches, in its buckets.

    A batch of 5,000 airings has a few dozen distinct combinations of what filters look
    at (topics, origin, retraction…) and a few hundred (agency, day) pairs, so rows are
    counted by (combination, agency, day) first and each combination is matched once."""
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
    session: Session, record: str, rows: Sequence[Mapping[str, Any]], *, sign: int = +1
) -> None:
    """Add to the tallies rows inserted without the ORM (their stored values), or with
    ``sign=-1`` take off rows about to be deleted without it."""
    if not rows:
        return
    filters = _filters_by_record(session)[record]
    if not filters:
        return
    delta: Counter[tuple[int, str, str]] = Counter()
    _contributions(filters, record, rows, sign, delta)
    apply_delta(session.connection(), delta)


def delete_records(session: Session, record: str, *where: Any) -> int:
    """Delete the records matching ``where`` with one statement, taking them off the
    tallies first (a bulk delete passes no ORM hook): for cleanups in SQL, such as the
    benchmark's and the integration tests'. Returns how many went."""
    model = TALLIED[record]
    names = TALLIED_FIELDS[record]
    rows = session.execute(sa.select(*(getattr(model, n) for n in names)).where(*where)).all()
    count_rows(session, record, [dict(zip(names, row, strict=True)) for row in rows], sign=-1)
    result: Any = session.execute(sa.delete(model).where(*where))
    return int(result.rowcount or 0)


def _stored_values(session: Session, record: str, ids: list[int]) -> list[dict[str, Any]]:
    model = TALLIED[record]
    names = TALLIED_FIELDS[record]
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        statement = select(*(getattr(model, name) for name in names)).where(
            col(model.id).in_(chunk)
        )
        found.extend(dict(zip(names, row, strict=True)) for row in session.execute(statement))
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


@sa.event.listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        _follow_channel_kinds(session)
        delta: Counter[tuple[int, str, str]] = Counter()
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
            names = TALLIED_FIELDS[record]
            old_ids = sorted({int(row.id) for row in changed + gone})
            stored = _stored_values(session, record, old_ids)  # type: ignore[arg-type]
            _contributions(filters[record], record, stored, -1, delta)
            current = [{name: getattr(row, name) for name in names} for row in new + changed]
            _contributions(filters[record], record, current, +1, delta)
        if delta:
            session.info.setdefault("tally_delta", Counter()).update(delta)


@sa.event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    delta = session.info.pop("tally_delta", None)
    if delta:
        apply_delta(session.connection(), delta)


@sa.event.listens_for(OrmSession, "after_soft_rollback")
def _after_rollback(session: OrmSession, _previous: Any) -> None:
    # A flush that failed leaves its pending change behind: it must not leak into the next.
    session.info.pop("tally_delta", None)


def apply_delta(connection: Connection, delta: Mapping[tuple[int, str, str], int]) -> None:
    """Add ``delta`` to the tallies in one statement, rows in key order so that two
    transactions touching the same tallies take their locks in the same order. A batch
    spread over the year changes thousands of tallies: on PostgreSQL they go as four
    arrays without a dict per row (a batch's peak of Python objects is here: 25.0 MiB
    with the dicts, 23.3 without, ``python -m bench.batch`` at scale 0.1)."""
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    if connection.dialect.name == "postgresql":
        statement = sa.text(
            "INSERT INTO record_tally (filter_id, agency_code, bucket, n) "
            "SELECT * FROM unnest(CAST(:f AS bigint[]), CAST(:a AS varchar[]), "
            "CAST(:b AS varchar[]), CAST(:n AS integer[])) "
            "ON CONFLICT (filter_id, agency_code, bucket) "
            "DO UPDATE SET n = record_tally.n + excluded.n"
        )
        connection.execute(
            statement,
            {
                "f": [key[0] for key, _ in changes],
                "a": [key[1] for key, _ in changes],
                "b": [key[2] for key, _ in changes],
                "n": [n for _, n in changes],
            },
        )
        return
    table = TALLY_TABLE
    insert = sqlite.insert(table)
    statement_any = insert.on_conflict_do_update(
        index_elements=["filter_id", "agency_code", "bucket"],
        set_={"n": table.c.n + insert.excluded.n},
    )
    rows = [
        {"filter_id": fid, "agency_code": agency, "bucket": bucket, "n": n}
        for (fid, agency, bucket), n in changes
    ]
    connection.execute(statement_any, rows)


# -- Reading -------------------------------------------------------------------------


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def cover(start: date, end: date) -> list[str]:
    """The fewest year, month and day buckets that make up the days [start, end)."""
    buckets: list[str] = []
    day = start
    while day < end:
        if day.month == 1 and day.day == 1 and date(day.year + 1, 1, 1) <= end:
            buckets.append(f"{day.year:04d}")
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) <= end:
            buckets.append(f"{day.year:04d}-{day.month:02d}")
            day = _next_month(day)
        else:
            buckets.append(day.isoformat())
            day = date.fromordinal(day.toordinal() + 1)
    return buckets


def day_buckets(start: date, end: date) -> tuple[list[str], list[str]]:
    """Buckets to add and to subtract for the days [start, end): either a plain cover, or
    whole years less what lies outside, whichever reads fewer buckets. A window that ends
    today reads one year bucket less the (usually empty) days still to come."""
    plain = cover(start, end)
    first = _year_start(start)
    last = date(end.year + (end != _year_start(end)), 1, 1)
    years = cover(first, last)
    outside = cover(first, start) + cover(end, last)
    if len(years) + len(outside) < len(plain):
        return years, outside
    return plain, []


def read_counts(
    connection: Connection,
    filter_ids: list[int],
    add: list[str],
    subtract: list[str],
    codes: list[str] | None,
) -> dict[int, dict[str, int]]:
    """Per filter and agency: the sum of the ``add`` buckets less the ``subtract`` ones.

    One SELECT per bucket, summed over their UNION ALL: with each bucket an equality, an
    index on (agency_code, bucket, …) answers each with one descent per agency. A list of
    buckets would make PostgreSQL (15) test the bucket on every entry of each agency
    instead: 244,000 entries rather than 2,300 for a province's year less one day."""
    table = TALLY_TABLE
    # One clause, so the codes are sent once however many buckets name them.
    of_agencies = (
        one_of(connection.dialect.name, table.c.agency_code, codes) if codes is not None else None
    )
    parts = []
    for bucket, sign in [(b, 1) for b in add] + [(b, -1) for b in subtract]:
        part = sa.select(
            table.c.filter_id, table.c.agency_code, (table.c.n * sign).label("n")
        ).where(table.c.bucket == bucket, table.c.filter_id.in_(filter_ids))
        if of_agencies is not None:
            part = part.where(of_agencies)
        parts.append(part)
    found: dict[int, dict[str, int]] = {fid: {} for fid in filter_ids}
    if not parts:  # a window of no whole day
        return found
    counted = sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    statement = sa.select(counted.c.filter_id, counted.c.agency_code, sa.func.sum(counted.c.n))
    statement = statement.group_by(counted.c.filter_id, counted.c.agency_code)
    for fid, agency_code, total in connection.execute(statement).all():
        found[int(fid)][agency_code] = int(total or 0)
    return found
