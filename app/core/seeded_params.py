"""Path parameters whose example is a value a fresh install holds (``nq57 seed``).

A code in the path (a plan's, an indicator's, a record type) is documented with the seeded
value Swagger UI pre-fills in "Try it out"; ``seeded_path`` states that in one line where
``Path(description=…, openapi_examples=seed_example(…))`` took seven::

    PlanCode = Annotated[str, seeded_path("The plan's code.", "kh-209-2026", "Kế hoạch 209")]
"""

from typing import Any

from fastapi import Path

from app.core.openapi import seed_example


def seeded_path(description: str, value: Any, summary: str, **constraints: Any) -> Any:
    """A path parameter described by ``description``, with the seeded ``value`` (named by
    ``summary``) as its example; ``constraints`` are ``Path``'s own (``max_length`` …)."""
    return Path(
        description=description, openapi_examples=seed_example(value, summary), **constraints
    )
