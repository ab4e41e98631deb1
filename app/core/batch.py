"""Batches of pushed records: each item succeeds or fails on its own.

Every item runs in its own savepoint, so a rejected item leaves nothing behind and never
sinks the others; the batch commits once at the end (or, for a dry run, rolls back).
"""

from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.core.errors import PROBLEM_BASE, AppError
from app.core.i18n import current_language, issue_message, localise_problem, translate_text
from app.core.principal import Principal
from app.core.push import PushOutcome


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
) -> dict[str, Any]:
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
    return {"index": index, "outcome": REJECTED, "id": None, "problem": problem}


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
) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        try:
            payload = schema.model_validate(raw)
        except ValidationError as exc:
            results.append(validation_rejection(index, exc))
            continue
        try:
            with session.begin_nested():
                row, outcome = push(session, payload=payload, actor=actor, commit=False)
        except AppError as exc:
            results.append(
                rejection(
                    index, exc.status, exc.slug, exc.title, exc.detail, _relocate(exc.errors, index)
                )
            )
            continue
        results.append({"index": index, "outcome": outcome.value, "id": row.id, "problem": None})
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return batch_result(results, dry_run=dry_run)


def validation_rejection(index: int, exc: ValidationError) -> dict[str, Any]:
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


def batch_result(results: list[dict[str, Any]], *, dry_run: bool) -> dict[str, Any]:
    counts = Counter(result["outcome"] for result in results)
    return {
        "dry_run": dry_run,
        "counts": {name: counts.get(name, 0) for name in [*PushOutcome, REJECTED]},
        "items": results,
    }
