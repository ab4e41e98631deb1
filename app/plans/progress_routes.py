"""The progress routes of a part of a plan (a task of the appendix, a section V duty):
list, report, get, update and delete, written once for both. ``ProgressKind`` is their
service; a router says where the owner sits, how its path names it and how its updates
are named in the contract."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.core.access import Reader, Writer
from app.core.db import SessionDep
from app.core.filters import QueryModel
from app.core.item_routes import ItemRoutes, Key, KeyDependency
from app.core.pagination import PageDep
from app.core.routes import LIST, id_path
from app.plans.models import Plan
from app.plans.progress import ProgressKind
from app.plans.schemas import ProgressCreate, ProgressFilters, ProgressUpdate

Row = TypeVar("Row", bound=Any)
ReadT = TypeVar("ReadT", bound=BaseModel)

ProgressId = Annotated[int, id_path("The update's id.")]


@dataclass(frozen=True)
class ProgressRoutes(Generic[Row, ReadT]):
    """The progress routes under ``path``, the path of one owner (``"/{plan}/tasks/{number}"``).

    ``owner_key`` is a dependency that reads the owner's path parameters and returns
    ``{"plan": <Plan>, "owner": <row>}``; ``present(plan, owner, update)`` makes the read
    model; ``owner_noun`` ("task") and ``update_noun`` ("progress update", "duty progress
    update") make the route names, summaries and descriptions; ``location`` is formatted
    with the plan, the owner and the new ``row``."""

    router: APIRouter
    path: str
    owner_key: KeyDependency
    kind: ProgressKind[Row]
    page_model: Callable[..., BaseModel]
    read_model: type[ReadT]
    present: Callable[[Plan, Any, Row], ReadT]
    owner_noun: str
    update_noun: str
    location: str

    def add(self) -> None:
        """Register the five routes, in the order the contract lists them."""
        self._add_list()
        noun, update = self.owner_noun, self.update_noun
        routes: ItemRoutes[Any, ReadT] = ItemRoutes(
            self.router,
            self.path + "/progress/{progress_id}",
            _with_progress_id(self.owner_key),
            self.read_model,
            present=lambda _session, row, key: self.present(key["plan"], key["owner"], row),
            reader=Reader,
            writer=Writer,
        )
        routes.create(
            f"create_{noun}_progress",
            f"Report progress on a {noun}",
            f"""An agency's update on a {noun} for a period; one per ({noun}, agency, period), so a
            second one is refused with 409 (PATCH the first).""",
            ProgressCreate,
            self.kind.create,
            self.location,
            key=self.owner_key,
        )
        routes.read(
            f"get_{noun}_progress",
            f"Get a {update}",
            "One progress update by its id.",
            lambda session, plan, owner, progress_id: self.kind.get(session, owner, progress_id),
        )
        routes.change(
            f"update_{noun}_progress",
            f"Update a {update}",
            "Change the status, narrative or evidence of an update; `evidence` replaces the list.",
            ProgressUpdate,
            self.kind.update,
        )
        routes.delete(
            f"delete_{noun}_progress",
            f"Delete a {update}",
            "Delete an update entered by mistake (its agency's key, or admin).",
            lambda session, plan, **named: self.kind.delete(session, **named),
        )

    def _add_list(self) -> None:
        OwnerKey = Annotated[Key, Depends(self.owner_key)]
        kind, present, page_model = self.kind, self.present, self.page_model

        def endpoint(
            key: OwnerKey,
            filters: QueryModel[ProgressFilters],
            session: SessionDep,
            _reader: Reader,
            page: PageDep,
        ) -> Any:
            plan, owner = key["plan"], key["owner"]
            rows, next_cursor = kind.list(session, owner=owner, page=page, filters=filters)
            items = [present(plan, owner, row) for row in rows]
            return page_model(items=items, next_cursor=next_cursor)

        name = f"list_{self.owner_noun}_progress"
        endpoint.__name__ = endpoint.__qualname__ = name
        endpoint.__doc__ = f"Agencies' updates on a {self.owner_noun}, period by period."
        self.router.add_api_route(
            self.path + "/progress",
            endpoint,
            methods=["GET"],
            name=name,
            response_model=self.page_model,
            summary=f"List a {self.owner_noun}'s progress updates",
            **LIST,
        )


def _with_progress_id(owner_key: KeyDependency) -> KeyDependency:
    """The owner's key followed by the update's id in the path, in that order."""

    def key(progress_id: int, **owner_values: Any) -> Key:
        return {**owner_key(**owner_values), "progress_id": progress_id}

    owner_parameters = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(owner_key).parameters.values()
    ]
    progress_id = inspect.Parameter(
        "progress_id", inspect.Parameter.KEYWORD_ONLY, annotation=ProgressId
    )
    # FastAPI reads the parameters from the signature: the owner's, then the update's id.
    key.__signature__ = inspect.Signature([*owner_parameters, progress_id])  # type: ignore[attr-defined]
    return key
