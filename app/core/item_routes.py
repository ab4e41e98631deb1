"""The routes of a resource (list it; create or push rows; read, change or delete one),
written once.

Every resource of the API answers these routes the same way: a GET of the collection
answers one page of rows picked by the list's query parameters (a model of them); a POST to
the collection creates a row (201, ``Location``) or, for a pushed record, creates or
updates it by its ``(source, external_id)`` (201 or 200, ``Push-Outcome``); a GET of the
item returns the row's read model with its ETag; a PATCH (or a PUT of one part, e.g. an
approval) checks ``If-Match``, changes the row and answers like the GET; a DELETE answers
204. Only what is the resource's own differs: the path and the parameters that name a row,
the read model, the access each route needs, its summary and description, and the service
call. A router states those and this module writes the endpoint functions::

    routes = ItemRoutes(
        router, "/{channel_id}", path_key(channel_id=ChannelId), ChannelRead,
        present=from_row(service.to_channel_read), reader=Reader, writer=Writer,
    )
    routes.list("list_channels", "List channels", "…", ChannelFilters, service.list_channels,
                ChannelPage)
    routes.read("get_channel", "Get a channel", "One channel by id.", service.get_channel)
    routes.change("update_channel", "Update a channel", "…", ChannelUpdate, service.update_channel)
    routes.delete("delete_channel", "Delete a channel", "…", service.delete_channel)

The contract is the one a hand-written route would have: the operationId comes from
``name``, the description from ``description`` (as a docstring would), and the path
parameters keep the order the key lists them in.

The key is a dependency that reads the path parameters and returns the keyword arguments
the service's functions take to name the row (``{"channel_id": 7}``, or ``{"plan": <Plan>,
"code": "T2026-5"}`` where the service wants the plan row): the services are called as
``fetch(session, **key, page=…, filters=…)`` (with the collection's key),
``load(session, **key)``, ``change(session, **key, payload=…, actor=…, if_match=…)`` and
``remove(session, **key, actor=…, if_match=…)``.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.core import metrics
from app.core.batch import batch_metrics
from app.core.concurrency import IfMatch, Versioned
from app.core.db import SessionDep
from app.core.filters import QueryModel
from app.core.pagination import PageDep
from app.core.push import PushOutcome
from app.core.push_api import BATCH_ROUTE, BatchResult, DryRun, answer_push, push_route
from app.core.routes import CREATED, DELETED, LIST, READ, UPDATE, no_content, tagged

RowT = TypeVar("RowT", bound=Versioned)
ReadT = TypeVar("ReadT", bound=BaseModel)
# A key: the keyword arguments a service takes to name a row (``{"channel_id": 7}``), read
# from the path by a KeyDependency (``path_key(channel_id=ChannelId)``).
Key = dict[str, Any]
KeyDependency = Callable[..., Key]


def path_key(**parameters: Any) -> KeyDependency:
    """A key made of path parameters, each given with its annotated type, passed to the
    service under the same names: ``path_key(channel_id=ChannelId)``."""

    def key(**values: Any) -> Key:
        return values

    # FastAPI reads the parameters from the signature: give it the named, typed ones.
    key.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
            for name, annotation in parameters.items()
        ]
    )
    return key


# resolve(session, key): the rows a key's path values stand for (a plan's code -> its row).
Resolve = Callable[[Session, Key], Key]


def as_named(_session: Session, key: Key) -> Key:
    """A key whose path values are what the service takes, as they are."""
    return key


def no_key() -> Key:
    """The key of a collection at the top of the API: nothing to name."""
    return {}


# answer(response, row, outcome, location): how a push is answered (app.core.push_api).
Answer = Callable[[Response, Any, PushOutcome, str], None]

# present_page(session, rows, key): the read models of a page of rows, made at once.
PresentPage = Callable[[Session, list[RowT], Key], list[Any]]

# present(session, row, key): the read model of a row the key named (or created).
Present = Callable[[Session, RowT, Key], ReadT]


def from_row(present: Callable[[RowT], ReadT]) -> Present[RowT, ReadT]:
    """A read model made from the row alone."""
    return lambda _session, row, _key: present(row)


def from_session_row(present: Callable[[Session, RowT], ReadT]) -> Present[RowT, ReadT]:
    """A read model made from the row and what the session reads about it."""
    return lambda session, row, _key: present(session, row)


def from_session_rows(
    present: Callable[[Session, list[RowT]], list[Any]],
) -> PresentPage[RowT]:
    """A page's read models made at once from its rows and what the session reads."""
    return lambda session, rows, _key: present(session, rows)


@dataclass(frozen=True)
class ItemRoutes(Generic[RowT, ReadT]):
    """The item routes of one resource at ``path`` under ``router``.

    ``resolve(session, key)`` turns what the path names into what the service takes (a
    plan's code into its row); it runs in the route, after the request's parameters and
    body are checked, so that a bad request is told so (422) whether or not its path names
    a row. ``present(session, row, key)`` makes the read model the GET and the changes answer
    with;
    ``reader`` is the access a GET needs (``Reader`` or ``CatalogueReader``), ``writer``
    the access a change or a deletion needs unless the route says otherwise (``Writer``
    or ``Admin``). Both are stated by every resource, never assumed: who may read and who
    may write is read off the declaration."""

    router: APIRouter
    path: str
    key: KeyDependency
    read_model: type[ReadT]
    present: Present[RowT, ReadT]
    reader: Any
    writer: Any
    resolve: Resolve = as_named

    def list(
        self,
        name: str,
        summary: str,
        description: str,
        filters_model: type[BaseModel],
        fetch: Callable[..., tuple[list[RowT], str | None]],
        page_model: Callable[..., BaseModel],
        *,
        key: KeyDependency = no_key,
        present_page: PresentPage[RowT] | None = None,
    ) -> None:
        """GET the collection the item path sits in: one page of the rows
        ``fetch(session, **key, page=…, filters=…)`` picks by the route's query parameters
        (the fields of ``filters_model``), each made a read model by the item's ``present``
        unless ``present_page`` makes the whole page's at once (fewer queries)."""
        KeyParams = Annotated[Key, Depends(key)]
        resolve = self.resolve
        Filters = QueryModel[filters_model]  # type: ignore[valid-type]
        ReadAccess = self.reader
        present = self.present

        def row_by_row(session: Session, rows: list[RowT], key: Key) -> list[Any]:
            return [present(session, row, key) for row in rows]

        present_all = present_page or row_by_row

        def endpoint(
            key: KeyParams,
            filters: Filters,
            session: SessionDep,
            _reader: ReadAccess,  # type: ignore[valid-type]
            page: PageDep,
        ) -> Any:
            named = resolve(session, key)
            rows, next_cursor = fetch(session, **named, page=page, filters=filters)
            return page_model(items=present_all(session, rows, named), next_cursor=next_cursor)

        options = {"response_model": page_model, **LIST}
        self._add(endpoint, name, summary, description, "GET", self._collection, options)

    def create(
        self,
        name: str,
        summary: str,
        description: str,
        payload_model: type[BaseModel],
        create: Callable[..., RowT],
        location: str,
        *,
        key: KeyDependency = no_key,
        writer: Any = None,
    ) -> None:
        """POST a new row to the collection the item path sits in (``path`` up to its last
        segment): ``create(session, **key, payload=…, actor=…)``, answered 201 like the
        GET, with ``Location`` formatted from the row and the key
        (``"/api/v1/plans/{plan.code}/tasks/{row.number}"``)."""
        KeyParams = Annotated[Key, Depends(key)]
        resolve = self.resolve
        Payload = payload_model
        WriteAccess = writer or self.writer
        present = self.present

        def endpoint(
            key: KeyParams,
            payload: Payload,  # type: ignore[valid-type]
            session: SessionDep,
            actor: WriteAccess,  # type: ignore[valid-type]
            response: Response,
        ) -> Any:
            named = resolve(session, key)
            row = create(session, **named, payload=payload, actor=actor)
            where = location.format(row=row, **named)
            return tagged(response, row, present(session, row, named), location=where)

        options = self._answering(CREATED)
        self._add(endpoint, name, summary, description, "POST", self._collection, options)

    def push(
        self,
        name: str,
        summary: str,
        description: str,
        payload_model: type[BaseModel],
        push: Callable[..., tuple[RowT, PushOutcome]],
        location: str,
        *,
        options: dict[str, Any] | None = None,
        answer: Answer = answer_push,
    ) -> None:
        """POST a record to the collection, created or, when its ``(source,
        external_id)`` is known, updated or left unchanged: ``push(session, payload=…,
        actor=…)``, answered by ``answer`` (201 or 200, ``Push-Outcome``, ``ETag``,
        ``Location`` formatted from the row). ``options`` are the route's options (by
        default ``push_route(read_model)``, which words the 201 and 200 answers)."""
        Payload = payload_model
        WriteAccess = self.writer
        present = self.present

        def endpoint(
            payload: Payload,  # type: ignore[valid-type]
            session: SessionDep,
            actor: WriteAccess,  # type: ignore[valid-type]
            response: Response,
        ) -> Any:
            row, outcome = push(session, payload=payload, actor=actor)
            answer(response, row, outcome, location.format(row=row))
            return present(session, row, {})

        route = options or push_route(self.read_model)
        self._add(endpoint, name, summary, description, "POST", self._collection, route)

    def push_batch(
        self,
        name: str,
        summary: str,
        description: str,
        batch_model: type[BaseModel],
        push_batch: Callable[..., BatchResult],
        counted_as: str,
    ) -> None:
        """POST many records at once to ``collection/batch``: ``push_batch(session,
        items=…, actor=…, dry_run=…)``, each item created, updated, left unchanged or
        rejected on its own; the outcomes counted in the metrics as ``counted_as``."""
        Batch = batch_model
        WriteAccess = self.writer

        def endpoint(
            payload: Batch,  # type: ignore[valid-type]
            session: SessionDep,
            actor: WriteAccess,  # type: ignore[valid-type]
            dry_run: DryRun = False,
        ) -> BatchResult:
            items = payload.items  # type: ignore[attr-defined]
            result = push_batch(session, items=items, actor=actor, dry_run=dry_run)
            metrics.count_batch(counted_as, batch_metrics(result))
            return result

        path = self._collection + "/batch"
        self._add(endpoint, name, summary, description, "POST", path, BATCH_ROUTE)

    def read(self, name: str, summary: str, description: str, load: Callable[..., RowT]) -> None:
        """GET the row: ``load(session, **key)``, answered with its ETag."""
        KeyParams = Annotated[Key, Depends(self.key)]
        resolve = self.resolve
        ReadAccess = self.reader
        present = self.present

        def endpoint(
            key: KeyParams,
            session: SessionDep,
            _reader: ReadAccess,  # type: ignore[valid-type]
            response: Response,
        ) -> Any:
            named = resolve(session, key)
            row = load(session, **named)
            return tagged(response, row, present(session, row, named))

        self._add(endpoint, name, summary, description, "GET", self.path, self._answering(READ))

    def change(
        self,
        name: str,
        summary: str,
        description: str,
        payload_model: type[BaseModel],
        change: Callable[..., RowT],
        *,
        method: str = "PATCH",
        suffix: str = "",
        writer: Any = None,
    ) -> None:
        """PATCH the row (or PUT a part of it at ``path + suffix``): ``change(session,
        **key, payload=…, actor=…, if_match=…)``, answered like the GET."""
        KeyParams = Annotated[Key, Depends(self.key)]
        resolve = self.resolve
        Payload = payload_model
        WriteAccess = writer or self.writer
        present = self.present

        def endpoint(
            key: KeyParams,
            payload: Payload,  # type: ignore[valid-type]
            session: SessionDep,
            actor: WriteAccess,  # type: ignore[valid-type]
            response: Response,
            if_match: IfMatch = None,
        ) -> Any:
            named = resolve(session, key)
            row = change(session, **named, payload=payload, actor=actor, if_match=if_match)
            return tagged(response, row, present(session, row, named))

        options = self._answering(UPDATE)
        self._add(endpoint, name, summary, description, method, self.path + suffix, options)

    def delete(
        self, name: str, summary: str, description: str, remove: Callable[..., None]
    ) -> None:
        """DELETE the row: ``remove(session, **key, actor=…, if_match=…)``, answered 204."""
        KeyParams = Annotated[Key, Depends(self.key)]
        resolve = self.resolve
        WriteAccess = self.writer

        def endpoint(
            key: KeyParams,
            session: SessionDep,
            actor: WriteAccess,  # type: ignore[valid-type]
            if_match: IfMatch = None,
        ) -> Response:
            remove(session, **resolve(session, key), actor=actor, if_match=if_match)
            return no_content()

        self._add(endpoint, name, summary, description, "DELETE", self.path, DELETED)

    def _add(
        self,
        endpoint: Callable[..., Any],
        name: str,
        summary: str,
        description: str,
        method: str,
        path: str,
        options: dict[str, Any],
    ) -> None:
        # The description is read as FastAPI reads a docstring (indentation cleaned).
        endpoint.__name__ = endpoint.__qualname__ = name
        endpoint.__doc__ = description
        self.router.add_api_route(
            path, endpoint, methods=[method], name=name, summary=summary, **options
        )

    @property
    def _collection(self) -> str:
        """The path of the collection the item path sits in: up to its last segment."""
        return self.path.rsplit("/", 1)[0]

    def _answering(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"response_model": self.read_model, **options}
