"""What the routes of a plan's parts (tasks, duties, indicators) read from their path."""

from typing import Annotated, Any

from fastapi import APIRouter
from sqlmodel import Session

from app.core.access import Admin, CatalogueReader
from app.core.item_routes import ItemRoutes, Key, Present, path_key
from app.core.seeded_params import seeded_path
from app.plans import service

PlanCode = Annotated[
    str, seeded_path("The plan's code.", "kh-209-2026", "Kế hoạch 209/KH-UBND", max_length=80)
]


# The plan a route's path names, by its code (a plan part's collection: its tasks, …).
plan_key = path_key(plan=PlanCode)


def with_plan_row(session: Session, key: Key) -> Key:
    """The key with the plan's row for its code, as the services of a plan's parts take it
    (an unknown plan: 404)."""
    return {**key, "plan": service.get_plan(session, key["plan"])}


def plan_part_routes(
    router: APIRouter, path: str, read_model: type[Any], present: Present[Any, Any], **part: Any
) -> ItemRoutes[Any, Any]:
    """The routes of a part of a plan (a task, a duty, an indicator) at ``path``, named by
    the plan's code and the part's own path parameters (``part``): read by whoever may read
    the catalogue, written by an administrator, served with the plan's row."""
    return ItemRoutes(
        router,
        path,
        path_key(plan=PlanCode, **part),
        read_model,
        present=present,
        reader=CatalogueReader,
        writer=Admin,
        resolve=with_plan_row,
    )
