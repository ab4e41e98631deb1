"""Batches of pushed records: each item succeeds or fails on its own.

Every item runs in its own savepoint, so a rejected item leaves nothing behind and never
sinks the others. The whole batch runs in a savepoint too: a dry run rolls back to it, so
that nothing of the batch is left while the rest of the transaction stands. The batch
never commits: the request does, once, at its boundary.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.core.errors import PROBLEM_BASE, AppError
from app.core.i18n import current_language, issue_message, localise_problem, translate_text
from app.core.principal import Principal
from app.core.push import PushOutcome
from app.core.push_api import BatchCounts, BatchItemProblem, BatchItemResult, BatchResult


class HasId(Protocol):
    id: int | None


Push = Callable[..., tuple[HasId, PushOutcome]]
REJECTED = "rejected"


def rejection(
    index: int,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None,
    *,
    texts_localised: bool = False,
) -> BatchItemResult:
    """An item's rejection, its problem in the request's language (``texts_localised``:
    ``detail`` and ``errors[].msg`` are in it already)."""
    problem: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors,
    }
    localise_problem(problem, current_language(), texts_localised=texts_localised)
    return BatchItemResult(
        index=index, outcome=REJECTED, id=None, problem=BatchItemProblem.model_validate(problem)
    )


def refused(index: int, exc: AppError) -> BatchItemResult:
    """An item a push refused, its problem's places moved into the batch's body."""
    return rejection(
        index, exc.status, exc.slug, exc.title, exc.detail, _relocate(exc.errors, index)
    )


def pushed(index: int, outcome: PushOutcome | str, record_id: int | None) -> BatchItemResult:
    """An item written (or found unchanged)."""
    return BatchItemResult(index=index, outcome=str(outcome), id=record_id, problem=None)


def _relocate(errors: list[dict[str, Any]] | None, index: int) -> list[dict[str, Any]] | None:
    """``["body", "title"]`` of a single push becomes ``["body", "items", 3, "title"]``."""
    if errors is None:
        return None
    moved = []
    for error in errors:
        loc = list(error.get("loc", []))
        tail = loc[1:] if loc[:1] == ["body"] else loc
        moved.append({**error, "loc": ["body", "items", index, *tail]})
    return moved


def run_batch(
    session: Session,
    *,
    items: list[Any],
    schema: type[BaseModel],
    push: Push,
    actor: Principal,
    dry_run: bool,
) -> BatchResult:
    """Each item validated and pushed in a savepoint of its own, in order."""
    results: list[BatchItemResult] = []
    with batch_scope(session, dry_run=dry_run):
        for index, raw in enumerate(items):
            try:
                payload = schema.model_validate(raw)
            except ValidationError as exc:
                results.append(validation_rejection(index, exc))
                continue
            try:
                with session.begin_nested():
                    row, outcome = push(session, payload=payload, actor=actor)
            except AppError as exc:
                results.append(refused(index, exc))
                continue
            results.append(pushed(index, outcome, row.id))
    return batch_result(results, dry_run=dry_run)


@contextmanager
def batch_scope(session: Session, *, dry_run: bool) -> Iterator[None]:
    """The batch's savepoint: rolled back for a dry run (nothing of the batch is left, the
    rest of the transaction stands), otherwise released, flushed, for the caller's
    boundary to commit."""
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()


def validation_rejection(index: int, exc: ValidationError) -> BatchItemResult:
    """An item pydantic refused: its messages worded as a single request's would be."""
    language = current_language()
    errors = [
        {
            "loc": ["body", "items", index, *e["loc"]],
            "msg": issue_message(e["type"], e["msg"], e.get("ctx"), language),
            "type": e["type"],
        }
        for e in exc.errors(include_url=False, include_input=False)
    ]
    detail = translate_text(f"item {index} is not valid", language) or ""
    return rejection(
        index,
        422,
        "invalid-input",
        "Invalid input",
        detail,
        errors,
        texts_localised=True,
    )


def batch_result(results: Iterable[BatchItemResult], *, dry_run: bool) -> BatchResult:
    items = list(results)
    counts = Counter(item.outcome for item in items)
    return BatchResult(
        dry_run=dry_run,
        counts=BatchCounts(**{name: counts.get(name, 0) for name in [*PushOutcome, REJECTED]}),
        items=items,
    )


def batch_metrics(result: BatchResult) -> dict[str, object]:
    """What the ingestion counters read of a batch's answer."""
    return {"dry_run": result.dry_run, "counts": result.counts.model_dump()}
