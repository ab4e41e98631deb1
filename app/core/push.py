"""Pushed records are keyed by ``(source, external_id)``: a retry never duplicates.

Outcomes: ``created`` (201), ``updated`` or ``unchanged`` (200). The single POST answers
with the outcome in the ``Push-Outcome`` header; batches give it per item.
"""

from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from app.core.errors import InvalidInput

RowT = TypeVar("RowT", bound=SQLModel)
PUSH_OUTCOME_HEADER = "Push-Outcome"


class PushOutcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


def check_pair(source: str | None, external_id: str | None) -> None:
    if (source is None) != (external_id is None):
        raise InvalidInput(
            "source and external_id go together: give both or neither.",
            errors=[
                {
                    "loc": ["body", "external_id" if source else "source"],
                    "msg": "source and external_id go together",
                    "type": "missing_pair",
                }
            ],
        )


def find_pushed(
    session: Session, model: type[RowT], source: str | None, external_id: str | None
) -> RowT | None:
    if source is None or external_id is None:
        return None
    statement = select(model).where(
        model.source == source,  # type: ignore[attr-defined]
        model.external_id == external_id,  # type: ignore[attr-defined]
    )
    return session.exec(statement).first()


def differs(row: SQLModel, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != value for name, value in values.items())
