"""What the routes of a plan's parts (tasks, duties, indicators) read from their path."""

from typing import Annotated

from app.core.db import SessionDep
from app.core.item_routes import Key
from app.core.seeded_params import seeded_path
from app.plans import service

PlanCode = Annotated[
    str, seeded_path("The plan's code.", "kh-209-2026", "Kế hoạch 209/KH-UBND", max_length=80)
]


def plan_row_key(plan: PlanCode, session: SessionDep) -> Key:
    """The plan a route's path names, as the services of its parts take it (the row)."""
    return {"plan": service.get_plan(session, plan)}
