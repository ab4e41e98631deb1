"""What the routes of a plan's parts (tasks, duties, indicators) read from their path."""

from typing import Annotated

from fastapi import Path

from app.core.db import SessionDep
from app.core.item_routes import Key
from app.core.openapi import seed_example
from app.plans import service

PlanCode = Annotated[
    str,
    Path(
        max_length=80,
        description="The plan's code.",
        openapi_examples=seed_example("kh-209-2026", "Kế hoạch 209/KH-UBND"),
    ),
]


def plan_row_key(plan: PlanCode, session: SessionDep) -> Key:
    """The plan a route's path names, as the services of its parts take it (the row)."""
    return {"plan": service.get_plan(session, plan)}
