"""The progress routes of a part of a plan (a task of the appendix, a section V duty):
list, report, get, update and delete, written once for both. ``ProgressKind`` is their
service; a router says where the owner sits, how its path names it and how its updates
are named in the contract."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Session

from app.core.access import Reader, Writer
from app.core.item_routes import ItemRoutes, Key, Resolve, path_key
from app.core.routes import id_path
from app.plans.models import Plan
from app.plans.progress import ProgressKind
from app.plans.schemas import ProgressCreate, ProgressFilters, ProgressUpdate

Row = TypeVar("Row", bound=Any)
ReadT = TypeVar("ReadT", bound=BaseModel)

ProgressId = Annotated[int, id_path("The update's id.")]


@dataclass(frozen=True)
class ProgressRoutes(Generic[Row, ReadT]):
    """The progress routes under ``path``, the path of one owner (``"/{plan}/tasks/{number}"``).

    ``owner_path`` are the owner's path parameters with their types (``{"plan": PlanCode,
    "number": TaskNo}``) and ``find_owner(session, key)`` turns them into ``{"plan": <Plan>,
    "owner": <row>}``, in the route, once the request has been checked; ``present(plan,
    owner, update)`` makes the read model; ``owner_noun`` ("task") and ``update_noun``
    ("progress update", "duty progress update") make the route names, summaries and
    descriptions; ``location`` is formatted with the plan, the owner and the new ``row``."""

    router: APIRouter
    path: str
    owner_path: dict[str, Any]
    find_owner: Resolve
    kind: ProgressKind[Row]
    page_model: Callable[..., BaseModel]
    read_model: type[ReadT]
    present: Callable[[Plan, Any, Row], ReadT]
    owner_noun: str
    update_noun: str
    location: str

    def add(self) -> None:
        """Register the five routes, in the order the contract lists them."""
        noun, update, kind = self.owner_noun, self.update_noun, self.kind
        owner_key = path_key(**self.owner_path)
        routes: ItemRoutes[Any, ReadT] = ItemRoutes(
            self.router,
            self.path + "/progress/{progress_id}",
            path_key(**self.owner_path, progress_id=ProgressId),
            self.read_model,
            present=lambda _session, row, key: self.present(key["plan"], key["owner"], row),
            reader=Reader,
            writer=Writer,
            resolve=self._resolve,
        )
        routes.list(
            f"list_{noun}_progress",
            f"List a {noun}'s progress updates",
            f"Agencies' updates on a {noun}, period by period.",
            ProgressFilters,
            lambda session, plan, owner, **listing: kind.list(session, owner=owner, **listing),
            self.page_model,
            key=owner_key,
        )
        routes.create(
            f"create_{noun}_progress",
            f"Report progress on a {noun}",
            f"""An agency's update on a {noun} for a period; one per ({noun}, agency, period), so a
            second one is refused with 409 (PATCH the first).""",
            ProgressCreate,
            kind.create,
            self.location,
            key=owner_key,
        )
        routes.read(
            f"get_{noun}_progress",
            f"Get a {update}",
            "One progress update by its id.",
            lambda session, plan, owner, progress_id: kind.get(session, owner, progress_id),
        )
        routes.change(
            f"update_{noun}_progress",
            f"Update a {update}",
            "Change the status, narrative or evidence of an update; `evidence` replaces the list.",
            ProgressUpdate,
            kind.update,
        )
        routes.delete(
            f"delete_{noun}_progress",
            f"Delete a {update}",
            "Delete an update entered by mistake (its agency's key, or admin).",
            lambda session, plan, **named: kind.delete(session, **named),
        )

    def _resolve(self, session: Session, key: Key) -> Key:
        """The plan and the owner the path names, and the update's id when it names one."""
        owner_part = {name: value for name, value in key.items() if name != "progress_id"}
        named = self.find_owner(session, owner_part)
        return {**named, "progress_id": key["progress_id"]} if "progress_id" in key else named
