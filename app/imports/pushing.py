"""The spreadsheet's records written through the same push services as the API.

Broadcasts go through the set-based batch (``push_broadcast_batch``), media products
through ``run_batch`` and ``push_media_product``, training sessions and figures through
``push_training_session`` and ``push_figure`` one by one: authorization (a key writes its
own agency tree only), audit events, status tallies and push keys are theirs, and a
spreadsheet cannot write a record an API call could not.

Those services commit (or, for a dry run, roll back) as an API request would. Here they
run in a session joined to the request's own transaction through a savepoint
(``join_transaction_mode="create_savepoint"``), so that their commit releases a savepoint:
the records and the upload's own row then commit once, together, and a dry run leaves
nothing. Training sessions and figures commit per record; each gets a session of its own
on the same connection, so that a refused record rolls back alone.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.broadcasts.bulk import push_broadcast_batch
from app.core.batch import rejection, run_batch, validation_rejection
from app.core.errors import AppError
from app.core.principal import Principal
from app.core.push_api import MAX_BATCH_ITEMS
from app.figures.schemas import FigureCreate
from app.figures.service import push_figure
from app.imports.schemas import RecordType
from app.media_products.schemas import MediaProductCreate
from app.media_products.service import push_media_product
from app.training_sessions.schemas import TrainingSessionCreate
from app.training_sessions.service import push_training_session


@contextmanager
def joined_session(session: Session) -> Iterator[Session]:
    """A session inside ``session``'s transaction, whose commit releases a savepoint."""
    inner = Session(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield inner
    finally:
        inner.close()  # rolls back to its savepoint whatever it left uncommitted


def _broadcasts(
    scope: Session, items: list[dict[str, Any]], actor: Principal, dry_run: bool
) -> list[dict[str, Any]]:
    """In batches of the API's size: the batch's memory stays what the API's is."""
    results: list[dict[str, Any]] = []
    for start in range(0, len(items), MAX_BATCH_ITEMS):
        chunk = items[start : start + MAX_BATCH_ITEMS]
        answer = push_broadcast_batch(scope, items=chunk, actor=actor, dry_run=dry_run)
        results.extend({**r, "index": r["index"] + start} for r in answer["items"])
    return results


def _each(
    scope: Session,
    items: list[dict[str, Any]],
    schema: type[BaseModel],
    push: Callable[..., tuple[Any, Any]],
    *,
    actor: Principal,
    dry_run: bool,
) -> list[dict[str, Any]]:
    """One push per record, each in a session of its own (the push commits itself)."""
    results: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        try:
            payload = schema.model_validate(raw)
        except ValidationError as exc:
            results.append(validation_rejection(index, exc))
            continue
        with joined_session(scope) as one:
            try:
                row, outcome = push(one, payload=payload, actor=actor)
            except AppError as exc:
                one.rollback()
                results.append(
                    rejection(index, exc.status, exc.slug, exc.title, exc.detail, exc.errors)
                )
                continue
            one.commit()  # nothing left after a push's own commit; an unchanged one read only
        results.append({"index": index, "outcome": outcome.value, "id": row.id, "problem": None})
    if dry_run:
        scope.rollback()
    else:
        scope.commit()
    return results


def push_items(
    session: Session,
    record_type: RecordType,
    items: list[dict[str, Any]],
    *,
    actor: Principal,
    dry_run: bool,
) -> list[dict[str, Any]]:
    """Each item's outcome, as a batch answers it (``index``, ``outcome``, ``id``,
    ``problem``). Nothing is committed: the caller commits the request once."""
    if not items:
        return []
    with joined_session(session) as scope:
        if record_type is RecordType.broadcasts:
            return _broadcasts(scope, items, actor, dry_run)
        if record_type is RecordType.media_products:
            answer = run_batch(
                scope,
                items=items,
                schema=MediaProductCreate,
                push=push_media_product,
                actor=actor,
                dry_run=dry_run,
            )
            return list(answer["items"])
        if record_type is RecordType.training_sessions:
            return _each(
                scope,
                items,
                TrainingSessionCreate,
                push_training_session,
                actor=actor,
                dry_run=dry_run,
            )
        return _each(scope, items, FigureCreate, push_figure, actor=actor, dry_run=dry_run)
