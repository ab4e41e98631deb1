"""The spreadsheet's records written through the same push services as the API.

Broadcasts go through the set-based batch (``push_broadcast_batch``), the other types
through ``run_batch`` and their push service (``push_media_product``,
``push_training_session``, ``push_figure``), each item in a savepoint of its own:
authorization (a key writes its own agency tree only), audit events, status tallies and
push keys are theirs, and a spreadsheet cannot write a record an API call could not.

The records are written in the request's own session, each batch in a savepoint: a dry
run rolls back to it and leaves the rest of the request's transaction. The request then
commits the records and the upload's row once, together; nothing here commits.
"""

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from app.broadcasts.bulk import push_broadcast_batch
from app.core.batch import Push, run_batch
from app.core.principal import Principal
from app.core.push_api import MAX_BATCH_ITEMS, BatchItemResult
from app.figures.schemas import FigureCreate
from app.figures.service import push_figure
from app.imports.schemas import RecordType
from app.media_products.schemas import MediaProductCreate
from app.media_products.service import push_media_product
from app.training_sessions.schemas import TrainingSessionCreate
from app.training_sessions.service import push_training_session

PUSHES: dict[RecordType, tuple[type[BaseModel], Push]] = {
    RecordType.media_products: (MediaProductCreate, push_media_product),
    RecordType.training_sessions: (TrainingSessionCreate, push_training_session),
    RecordType.figures: (FigureCreate, push_figure),
}


def _broadcasts(
    session: Session, items: list[dict[str, Any]], actor: Principal, dry_run: bool
) -> list[BatchItemResult]:
    """In batches of the API's size: the batch's memory stays what the API's is."""
    results: list[BatchItemResult] = []
    for start in range(0, len(items), MAX_BATCH_ITEMS):
        chunk = items[start : start + MAX_BATCH_ITEMS]
        answer = push_broadcast_batch(session, items=chunk, actor=actor, dry_run=dry_run)
        results.extend(r.model_copy(update={"index": r.index + start}) for r in answer.items)
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
    if record_type is RecordType.broadcasts:
        results = _broadcasts(session, items, actor, dry_run)
    else:
        schema, push = PUSHES[record_type]
        answer = run_batch(
            session, items=items, schema=schema, push=push, actor=actor, dry_run=dry_run
        )
        results = answer.items
    return [result.model_dump() for result in results]
