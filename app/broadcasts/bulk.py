"""A batch of broadcasts pushed set-based: a few queries per batch instead of several per
item, with the same outcomes as pushing each item on its own, in order.

Phases: validate every item; resolve agencies, authorization, channels and media
products in bulk; read the rows already stored under the batch's ``(agency_code, source,
external_id)`` keys; insert the new keys with ``ON CONFLICT DO NOTHING`` (a key that a
concurrent request inserted in between is then read and treated as stored); update the
stored rows whose content changed (through the ORM); write the audit events in one
statement. The batch runs in a savepoint and is committed once by the request (a dry run
rolls back to the savepoint), so it is wholly in or wholly out.

The owning agency is part of every key and is authorized before anything is read, so a
stored row the batch finds (before its insert or after a race) is always one the key may
write: a batch can never reach another agency's airings.

On PostgreSQL the keys' rows travel once, by COPY into a temporary staging table: the
stored rows are read by joining it and the new ones inserted from it (``INSERT …
SELECT``); the audit events go by COPY too. Other databases take bound parameters.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, col, select

from app.agencies.access import writable_agencies
from app.agencies.models import Agency
from app.audit.service import event_row, snapshot
from app.broadcasts.models import Broadcast
from app.broadcasts.schemas import BroadcastCreate
from app.channels.service import channel_agencies, refused_links
from app.core import write_hooks
from app.core.batch import batch_result, batch_scope, pushed, rejection, validation_rejection
from app.core.bulk_insert import copy_rows, insert_rows, row_encoder, staging_table
from app.core.principal import Principal
from app.core.push import PushOutcome
from app.core.push_api import BatchItemResult, BatchResult
from app.core.search_index import search_text_of
from app.core.service import apply_changes, plain
from app.core.types import utcnow
from app.media_products.models import MediaProduct

ENTITY = "broadcast"
BROADCAST_TABLE: sa.Table = SQLModel.metadata.tables["broadcast"]
AUDIT_TABLE: sa.Table = SQLModel.metadata.tables["audit_event"]
_CHUNK = 1000
Key = tuple[str, str, str]  # (agency_code, source, external_id)
KEY_COLUMNS = ["agency_code", "source", "external_id"]


@dataclass
class _Slot:
    """The items of one record: one key of the batch, or one keyless item."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    stored: Broadcast | None = None
    inserted_id: int | None = None


def _invalid(index: int, field_name: str, message: str, kind: str) -> BatchItemResult:
    return rejection(
        index,
        422,
        "invalid-input",
        "Invalid input",
        message,
        [{"loc": ["body", "items", index, field_name], "msg": message, "type": kind}],
    )


def _forbidden(index: int, actor: Principal, agency_code: str) -> BatchItemResult:
    detail = f"A key of '{actor.agency_code}' may not write records of '{agency_code}'."
    return rejection(index, 403, "forbidden", "Forbidden", detail, None)


def _validate(items: list[Any]) -> tuple[dict[int, dict[str, Any]], dict[int, BatchItemResult]]:
    """Each valid item's stored values, and the rejections of the others."""
    accepted: dict[int, dict[str, Any]] = {}
    rejected: dict[int, BatchItemResult] = {}
    for index, raw in enumerate(items):
        try:
            payload = BroadcastCreate.model_validate(raw)
        except ValidationError as exc:
            rejected[index] = validation_rejection(index, exc)
            continue
        if (payload.source is None) != (payload.external_id is None):
            missing = "external_id" if payload.source else "source"
            rejected[index] = _invalid(
                index, missing, "source and external_id go together", "missing_pair"
            )
            continue
        accepted[index] = plain(payload.model_dump(mode="python"))
    return accepted, rejected


@dataclass
class _References:
    """What the batch's items name, resolved in bulk (a few queries for the whole batch)."""

    known: set[str]  # the agencies that exist
    writable: set[str]  # of those, and of the channels' agencies, the ones the key may write
    channels: dict[int, str]  # channel id: its agency
    # Only what a broadcast takes from its product: whole rows would be read for nothing.
    products: dict[int | None, tuple[str, list[str]]]  # product id: (title, topics)


def _resolve(
    session: Session, actor: Principal, accepted: dict[int, dict[str, Any]]
) -> _References:
    codes = {v["agency_code"] for v in accepted.values()}
    known = set(session.exec(select(Agency.code).where(col(Agency.code).in_(sorted(codes)))))
    channel_ids = {v["channel_id"] for v in accepted.values()} - {None}
    channels = channel_agencies(session, channel_ids)
    # The records' agencies and the stations' in one walk up the agency tree.
    writable = writable_agencies(session, actor, known | set(channels.values()))
    product_ids = {v["media_product_id"] for v in accepted.values()} - {None}
    products: dict[int | None, tuple[str, list[str]]] = {
        product_id: (title, topics)
        for product_id, title, topics in session.exec(
            select(col(MediaProduct.id), col(MediaProduct.title), col(MediaProduct.topics)).where(
                col(MediaProduct.id).in_(product_ids)
            )
        )
    }
    return _References(known, writable, channels, products)


def _problem(
    index: int, values: dict[str, Any], actor: Principal, refs: _References
) -> BatchItemResult | None:
    """The rejection of an item, in the order a single push checks: the agency exists and
    the key may write it; the station exists and is of an agency the key may write (any
    product may be relayed); the product exists; a title, given or taken from it."""
    agency_code, channel_id = values["agency_code"], values["channel_id"]
    product_id = values["media_product_id"]
    if agency_code not in refs.known:
        return _invalid(index, "agency_code", f"unknown agency '{agency_code}'", "unknown_agency")
    if agency_code not in refs.writable:
        return _forbidden(index, actor, agency_code)
    if channel_id is not None and channel_id not in refs.channels:
        return _invalid(index, "channel_id", f"unknown channel {channel_id}", "unknown_channel")
    if channel_id is not None:
        loc: list[str | int] = ["body", "items", index, "channel_id"]
        link = (loc, channel_id, refs.channels[channel_id])
        refusal = refused_links(actor, [link], refs.writable)
        if refusal is not None:
            return rejection(
                index, refusal.status, refusal.slug, refusal.title, refusal.detail, refusal.errors
            )
    if product_id is not None and product_id not in refs.products:
        return _invalid(
            index,
            "media_product_id",
            f"unknown media product {product_id}",
            "unknown_media_product",
        )
    if values["title"] is None and product_id is None:
        return _invalid(index, "title", "required when media_product_id is not given", "missing")
    return None


def _check_references(
    session: Session,
    actor: Principal,
    accepted: dict[int, dict[str, Any]],
    rejected: dict[int, BatchItemResult],
) -> None:
    """Agencies exist and the key may write them; stations exist and are of agencies the
    key may write; media products exist; a broadcast without a title takes its product's
    title and, without topics, its topics. A rejected item leaves the others be."""
    refs = _resolve(session, actor, accepted)
    for index, values in list(accepted.items()):
        problem = _problem(index, values, actor, refs)
        if problem is not None:
            rejected[index] = problem
            del accepted[index]
            continue
        product = refs.products.get(values["media_product_id"])
        if product is not None:
            product_title, product_topics = product
            values["topics"] = values["topics"] or sorted(product_topics)
            values["title"] = values["title"] or product_title


def _key_of(row: Broadcast) -> Key:
    return (row.agency_code, row.source or "", row.external_id or "")


def _stored_rows(session: Session, keys: set[Key]) -> dict[Key, Broadcast]:
    """The stored broadcasts of these ``(agency_code, source, external_id)`` keys."""
    triple = sa.tuple_(
        col(Broadcast.agency_code), col(Broadcast.source), col(Broadcast.external_id)
    )
    ordered = sorted(keys)
    if session.get_bind().dialect.name == "postgresql":
        # Three arrays instead of thousands of bound triples: far cheaper to send and plan.
        triples = sa.text(
            "SELECT * FROM unnest(CAST(:a AS text[]), CAST(:s AS text[]), CAST(:e AS text[]))"
        )
        triples = triples.bindparams(
            a=[k[0] for k in ordered], s=[k[1] for k in ordered], e=[k[2] for k in ordered]
        )
        columns = triples.columns(sa.column("a"), sa.column("s"), sa.column("e"))
        clauses = [triple.in_(columns)]
    else:
        clauses = [triple.in_(ordered[i : i + _CHUNK]) for i in range(0, len(ordered), _CHUNK)]
    rows: dict[Key, Broadcast] = {}
    for clause in clauses:
        for row in session.exec(select(Broadcast).where(clause)):
            rows[_key_of(row)] = row
    return rows


def _insert_values(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        **values,
        "search_text": search_text_of(Broadcast, values),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _stage(session: Session, keyed: list[tuple[Key, _Slot]], now: datetime) -> str | None:
    """PostgreSQL: COPY the row each key would get if new (its last item's values) into a
    staging table, ``ord`` being the key's position in ``keyed``. None when nothing to stage."""
    if not keyed:
        return None
    connection = session.connection()
    names = list(_insert_values(keyed[0][1].items[-1][1], now))
    stage = staging_table(connection, BROADCAST_TABLE, names)
    encode = row_encoder(BROADCAST_TABLE, names, connection.dialect)
    # A generator: each row is made, written and dropped (no second copy of the batch).
    rows = (
        [*encode(_insert_values(slot.items[-1][1], now)), n] for n, (_, slot) in enumerate(keyed)
    )
    copy_rows(connection, stage, [*names, "ord"], rows)
    return stage


def _stored_staged(session: Session, stage: str) -> dict[Key, Broadcast]:
    """The stored broadcasts of the staged keys (a join on the unique key's index)."""
    staged = sa.table(stage, *(sa.column(name) for name in KEY_COLUMNS))
    query = select(Broadcast).join(
        staged,
        sa.and_(*(BROADCAST_TABLE.c[name] == staged.c[name] for name in KEY_COLUMNS)),
    )
    return {_key_of(row): row for row in session.exec(query)}


def _insert_staged(
    session: Session, stage: str, names: list[str], skip: list[int]
) -> list[tuple[Any, ...]]:
    """Insert the staged rows but those at the ``skip`` positions (keys stored already),
    in staging order; returns (id, agency_code, source, external_id) of the rows inserted."""
    prepare = session.get_bind().dialect.identifier_preparer
    columns = ", ".join(prepare.quote(name) for name in names)
    sql = (
        f"INSERT INTO broadcast ({columns}) SELECT {columns} FROM {stage} "
        "WHERE ord NOT IN (SELECT unnest(CAST(:skip AS integer[]))) ORDER BY ord "
        "ON CONFLICT (agency_code, source, external_id) DO NOTHING "
        "RETURNING id, agency_code, source, external_id"
    )
    return [tuple(row) for row in session.connection().execute(sa.text(sql), {"skip": skip})]


def _insert_new(
    session: Session,
    slots: dict[Any, _Slot],
    keyed: list[tuple[Key, _Slot]],
    stage: str | None,
    now: datetime,
) -> list[int]:
    """Insert the final values of every slot not stored yet, and return the new rows' ids.
    A key taken in between by a concurrent request is not inserted; its row is read
    instead."""
    table = BROADCAST_TABLE
    connection = session.connection()
    if stage is not None:
        names = list(_insert_values(keyed[0][1].items[-1][1], now))
        skip = [n for n, (_, slot) in enumerate(keyed) if slot.stored is not None]
        rows = _insert_staged(session, stage, names, skip)
    else:
        rows = insert_rows(
            connection,
            table,
            [_insert_values(slot.items[-1][1], now) for _, slot in keyed if not slot.stored],
            returning=["id", *KEY_COLUMNS],
            skip_conflicts_on=KEY_COLUMNS,
        )
    inserted = {(row[1], row[2], row[3]): row[0] for row in rows}  # key: id
    pending = [(key, slot) for key, slot in keyed if slot.stored is None]
    raced = {key for key, _ in pending if key not in inserted}
    stored = _stored_rows(session, raced) if raced else {}
    for key, slot in pending:
        if key in inserted:
            slot.inserted_id = inserted[key]
        else:
            slot.stored = stored[key]
    keyless = [slot for key, slot in slots.items() if not isinstance(key, tuple)]
    for slot in keyless:
        # Without a key there is nothing to match the returned ids on: one by one.
        slot.inserted_id = insert_rows(
            connection, table, [_insert_values(slot.items[0][1], now)], returning=["id"]
        )[0][0]
    return [slot.inserted_id for slot in slots.values() if slot.inserted_id is not None]


def _write_events(session: Session, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    connection = session.connection()
    if _is_postgres(session):
        names = list(events[0])
        encode = row_encoder(AUDIT_TABLE, names, connection.dialect)
        copy_rows(connection, AUDIT_TABLE, names, (encode(event) for event in events))
    else:
        insert_rows(connection, AUDIT_TABLE, events, returning=["id"])


def _differs(current: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(current.get(name) != value for name, value in values.items())


def _row_values(row: Broadcast, names: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def push_broadcast_batch(
    session: Session, *, items: list[Any], actor: Principal, dry_run: bool
) -> BatchResult:
    """The batch's phases, in order (see the module's docstring), in a savepoint: flushed,
    not committed (the request commits it); a dry run rolls back to the savepoint."""
    accepted, rejected = _validate(items)
    outcomes: dict[int, BatchItemResult] = {}
    with batch_scope(session, dry_run=dry_run):
        _check_references(session, actor, accepted, rejected)
        slots = _slots(accepted)
        keyed = [(key, slot) for key, slot in slots.items() if isinstance(key, tuple)]
        now = utcnow()
        stage = _read_stored(session, keyed, now)
        _insert_new(session, slots, keyed, stage, now)
        # The rows added by Core statements pass no ORM flush, so the status tallies count
        # them here; the rows the batch updates go through the ORM below (and its hook).
        added = [slot.items[-1][1] for slot in slots.values() if slot.inserted_id is not None]
        write_hooks.rows_written(session, "broadcast", added)
        events: list[dict[str, Any]] = []
        for slot in slots.values():
            _push_slot(session, slot, actor, outcomes, events)
        session.flush()
        _write_events(session, events)
    results = (outcomes.get(i) or rejected[i] for i in range(len(items)))
    return batch_result(results, dry_run=dry_run)


def _slots(accepted: dict[int, dict[str, Any]]) -> dict[Any, _Slot]:
    """The items grouped by record: by key, or one slot per keyless item (its index)."""
    slots: dict[Any, _Slot] = {}
    for index, values in accepted.items():
        key = (
            (values["agency_code"], values["source"], values["external_id"])
            if values["source"]
            else index
        )
        slots.setdefault(key, _Slot()).items.append((index, values))
    return slots


def _read_stored(session: Session, keyed: list[tuple[Key, _Slot]], now: datetime) -> str | None:
    """Find the rows stored under the batch's keys; on PostgreSQL through the staging
    table, whose name is returned for the insert to read from."""
    stage = _stage(session, keyed, now) if _is_postgres(session) else None
    if stage is not None:
        stored = _stored_staged(session, stage)
    else:
        stored = _stored_rows(session, {key for key, _ in keyed})
    for key, slot in keyed:
        slot.stored = stored.get(key)
    return stage


def _push_slot(
    session: Session,
    slot: _Slot,
    actor: Principal,
    outcomes: dict[int, BatchItemResult],
    events: list[dict[str, Any]],
) -> None:
    """The outcome of each item of one record, in order, as if pushed one by one: the
    first creates (or updates the stored row), each later one compares with the state the
    previous one left. The stored row takes the last state; an event per write."""
    row = slot.stored
    record_id = row.id if row is not None else slot.inserted_id
    current = _row_values(row, slot.items[0][1].keys()) if row is not None else None
    # The stored row's snapshot only when it changes: most pushes of a known key
    # are retries that change nothing.
    current_snapshot: dict[str, Any] | None = None
    for index, values in slot.items:
        if current is not None and not _differs(current, values):
            outcomes[index] = pushed(index, PushOutcome.unchanged, record_id)
            continue
        if current is None:
            outcome, before = PushOutcome.created, None
        else:
            if current_snapshot is None and row is not None:
                current_snapshot = snapshot(row)
            outcome, before = PushOutcome.updated, current_snapshot
        current = dict(values)
        current_snapshot = {**(before or {}), **_json_values(values), "id": record_id}
        events.append(
            event_row(
                actor=actor,
                action="create" if before is None else "update",
                entity=ENTITY,
                entity_id=record_id or 0,
                before=before,
                after=current_snapshot,
                agency_code=values["agency_code"],
            )
        )
        outcomes[index] = pushed(index, outcome, record_id)
    if row is not None and current is not None and apply_changes(row, current):
        session.add(row)


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat().replace("+00:00", "Z") if isinstance(value, date) else value
        for name, value in values.items()
    }
