"""The committed contract's examples work on a fresh install.

Integrators press "Try it out" in Swagger UI or copy the examples of
``openapi/openapi.json``. These tests load that file (not the app's live schema) and send
requests through the real app, as the admin key with a fresh ``Idempotency-Key``, to a
database of their own, migrated and seeded as ``make run`` does. Each test runs in a
transaction rolled back at its end, so each starts from the freshly seeded state.

* No fixed ``Idempotency-Key`` or ``If-Match`` value: Swagger UI would pre-fill it.
* Every path parameter is pre-filled with a seed value (``plan=kh-209-2026``, agency codes,
  task numbers …), except the ids of records no seed holds (``/broadcasts/{broadcast_id}``
  …): those come from what the POST on their collection answers.
* Every GET those examples fill answers 200 with the query parameters Swagger UI pre-fills.
* Every request-body example of every POST, PUT and PATCH whose path the examples fill
  answers 2xx sent ALONE to a fresh install (no example leans on another's record).
* Every request-body example of every POST, PUT and PATCH answers 2xx IN SEQUENCE on one
  fresh install, and then every GET of a created record answers 200.

The sequence's order is derived: creations first (POSTs on paths without a record id),
then updates of seeded records, then updates (PUT, PATCH) of the created records, then
actions on them (``/reports/{report_id}/return`` …), a terminal action last (an accepted
report is locked). An action that needs a state no body example creates is preceded by the
call that makes it (``submit`` before ``return`` and ``accept``: submitting has no body).

Nothing is skipped (``SKIP`` is empty): an operation whose path cannot be filled fails.
"""

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.config import get_settings
from app.core.db import get_session
from app.main import create_app
from tests.conftest import ADMIN_KEY
from tests.contract.fresh_database import fresh_seeded_engine

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
WRITE_METHODS = ("post", "put", "patch")
PARAMETER = re.compile(r"\{([^}]+)\}")

# Calls without a body example that put a created record in the state an operation needs.
PREPARE: dict[str, tuple[str, ...]] = {
    "return_report": ("submit_report",),  # only a submitted report can be returned
    "accept_report": ("submit_report",),  # … or accepted
}
# Actions after which the record takes no other write: run after everything else.
TERMINAL = {"accept_report"}  # an accepted report is locked
# Operations whose success needs state no example can create, each with its reason.
SKIP: dict[str, str] = {}


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return json.loads(CONTRACT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def fresh_engine() -> Iterator[Engine]:
    """A database of its own, migrated and seeded as ``make run`` does."""
    engine = fresh_seeded_engine("examples")
    yield engine
    engine.dispose()


class FreshInstall:
    """The app on the fresh database. Each ``install()`` opens a transaction the app's
    commits nest in (savepoints) and rolls it back at its end: every run starts from the
    freshly seeded state, whatever ran before."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session: Session | None = None
        self.app: FastAPI = create_app()
        self.app.dependency_overrides[get_session] = self._session

    def _session(self) -> Iterator[Session]:
        assert self.session is not None, "a request outside install()"
        try:
            yield self.session
            self.session.commit()  # as get_session does when the route has returned
        finally:
            # As a request's own session would on close: drop what was not committed.
            self.session.rollback()

    @contextmanager
    def install(self) -> Iterator[TestClient]:
        connection = self.engine.connect()
        outer = connection.begin()
        self.session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            with TestClient(self.app, raise_server_exceptions=False) as client:
                yield client
        finally:
            self.session.close()
            self.session = None
            outer.rollback()
            connection.close()


@pytest.fixture(scope="module")
def fresh(fresh_engine: Engine) -> Iterator[FreshInstall]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NQ57_RATE_LIMIT_PER_MINUTE", "0")
        get_settings.cache_clear()
        yield FreshInstall(fresh_engine)
    get_settings.cache_clear()


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_KEY}", "Idempotency-Key": str(uuid.uuid4())}


def _operations(contract: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, path_item in contract["paths"].items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _by_id(contract: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {op["operationId"]: (path, method, op) for path, method, op in _operations(contract)}


def _resolve(contract: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = contract
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _prefilled(contract: dict[str, Any], parameter: dict[str, Any]) -> list[Any]:
    """What Swagger UI pre-fills a parameter with on "Try it out" (its ParameterRow): the
    first of the parameter's own ``examples``, its ``example``, its schema's ``example``,
    its schema's ``default``. Not the JSON Schema ``examples`` list of its schema."""
    if isinstance(parameter.get("examples"), dict) and parameter["examples"]:
        first = next(iter(parameter["examples"].values()))
        return [_resolve(contract, first)["value"]]
    schema = _resolve(contract, parameter.get("schema", {}))
    for value in (parameter.get("example"), schema.get("example"), schema.get("default")):
        if value is not None:
            return [value]
    return []


def _parameter_examples(contract: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for parameter in operation.get("parameters", []):
        parameter = _resolve(contract, parameter)
        if parameter["in"] in ("path", "query"):
            examples = _prefilled(contract, parameter)
            if examples:
                found[parameter["name"]] = examples[0]
    return found


def _query(contract: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    names = {
        p["name"]
        for p in (_resolve(contract, p) for p in operation.get("parameters", []))
        if p["in"] == "query"
    }
    return {k: v for k, v in _parameter_examples(contract, operation).items() if k in names}


def _body_examples(contract: dict[str, Any], operation: dict[str, Any]) -> list[Any]:
    """The request body examples: the media type's own, else its schema's."""
    body = _resolve(contract, operation.get("requestBody", {}))
    media = body.get("content", {}).get("application/json")
    if not media:
        return []
    if isinstance(media.get("examples"), dict):
        return [_resolve(contract, e)["value"] for e in media["examples"].values()]
    if "example" in media:
        return [media["example"]]
    schema = _resolve(contract, media.get("schema", {}))
    if "example" in schema:
        return [schema["example"]]
    return list(schema.get("examples", []))


def _collection(path: str, name: str) -> str:
    """``/api/v1/reports/{report_id}/accept``, ``report_id`` -> ``/api/v1/reports``."""
    return path[: path.index("{" + name + "}")].rstrip("/")


def _fill(
    path: str, examples: dict[str, Any], created: dict[str, dict[str, Any]]
) -> tuple[str, dict[str, Any]] | None:
    """The path with its parameters filled, from their examples or from the record the
    POST on their collection created (its field of that name, else its ``id``); None when
    one has no value yet."""
    values: dict[str, Any] = {}
    for name in PARAMETER.findall(path):
        record = created.get(_collection(path, name))
        if name in examples:
            values[name] = examples[name]
        elif record is not None:
            values[name] = record.get(name, record.get("id"))
        else:
            return None
    return PARAMETER.sub(lambda m: str(values[m.group(1)]), path), values


def _created_fields(contract: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The fields of what a POST answers on success."""
    for code in ("201", "200"):
        response = operation.get("responses", {}).get(code)
        if response:
            media = _resolve(contract, response).get("content", {}).get("application/json", {})
            return set(_resolve(contract, media.get("schema", {})).get("properties", {}))
    return set()


def _needs_record(path: str, examples: dict[str, Any]) -> bool:
    return any(name not in examples for name in PARAMETER.findall(path))


def _phase(path: str, method: str, operation: dict[str, Any], examples: dict[str, Any]) -> int:
    """0 creations, 1 updates of seeded records, 2 updates of created records, 3 actions
    on created records, 4 terminal actions."""
    if not _needs_record(path, examples):
        return 0 if method == "post" else 1
    if method != "post":
        return 2
    return 4 if operation["operationId"] in TERMINAL else 3


def _describe(method: str, url: str, body: Any, response: Any) -> str:
    sent = json.dumps(body, ensure_ascii=False)[:300]
    return f"{method.upper()} {url} {sent}\n  -> {response.status_code} {response.text[:500]}"


def _refusal(response: Any) -> bool:
    """Not a 2xx, or a batch answered 200 with items rejected."""
    if not response.is_success:
        return True
    answer = response.json() if response.content else None
    return isinstance(answer, dict) and bool(answer.get("counts", {}).get("rejected"))


def _writes(contract: dict[str, Any]) -> list[tuple[int, str, str, dict[str, Any], list[Any]]]:
    """(phase, path, method, operation, body examples) of every write with body examples,
    in the order they run: by phase, the contract's order within one."""
    steps = []
    for path, method, operation in _operations(contract):
        if method not in WRITE_METHODS or operation["operationId"] in SKIP:
            continue
        bodies = _body_examples(contract, operation)
        if bodies:
            examples = _parameter_examples(contract, operation)
            steps.append(
                (_phase(path, method, operation, examples), path, method, operation, bodies)
            )
    return sorted(steps, key=lambda step: step[0])


def test_no_fixed_idempotency_key_or_if_match(contract: dict[str, Any]) -> None:
    """Swagger UI pre-fills a parameter's example: a fixed Idempotency-Key makes the second
    POST a 422 for 24 h, a fixed If-Match a 412. Neither carries one."""
    seen = set()
    for path, method, operation in _operations(contract):
        for parameter in operation.get("parameters", []):
            parameter = _resolve(contract, parameter)
            if parameter["name"] in ("Idempotency-Key", "If-Match"):
                seen.add(parameter["name"])
                schema = parameter.get("schema", {})
                assert not parameter.keys() & {"example", "examples"}, (method, path)
                assert not schema.keys() & {"example", "examples", "default"}, (method, path)
    assert seen == {"Idempotency-Key", "If-Match"}


def test_path_parameters_have_examples_or_come_from_a_created_record(
    contract: dict[str, Any],
) -> None:
    """Swagger UI pre-fills every path parameter with a value a fresh seed holds, except
    the ids of records no seed has: those come from what the POST on their collection
    answers (its ``id``, or the field of the parameter's name, like an API key's
    ``prefix``)."""
    posts = {path: op for path, method, op in _operations(contract) if method == "post"}
    missing = []
    for path, method, operation in _operations(contract):
        examples = _parameter_examples(contract, operation)
        for name in PARAMETER.findall(path):
            post = posts.get(_collection(path, name))
            if name in examples:
                continue
            if post is None or not _created_fields(contract, post) & {name, "id"}:
                missing.append(f"{method.upper()} {path}: {name}")
    assert not missing, "path parameters without an example:\n" + "\n".join(missing)


def test_get_examples_find_seeded_records(fresh: FreshInstall, contract: dict[str, Any]) -> None:
    """ "Try it out" then "Execute" on every read whose path the examples fill: 200 on a
    fresh seed, with the query parameters Swagger UI pre-fills (every required one has a
    value)."""
    failures = []
    checked = 0
    with fresh.install() as client:
        for path, method, operation in _operations(contract):
            examples = _parameter_examples(contract, operation)
            if method != "get" or _needs_record(path, examples):
                continue
            url, _ = _fill(path, examples, {}) or (path, {})
            query = _query(contract, operation)
            required = [
                parameter["name"]
                for parameter in (_resolve(contract, p) for p in operation.get("parameters", []))
                if parameter["in"] == "query" and parameter.get("required")
            ]
            if any(name not in query for name in required):
                failures.append(f"GET {path}: a required query parameter without an example")
                continue
            response = client.get(url, params=query, headers=_headers())
            checked += 1
            if response.status_code != 200:
                failures.append(_describe(method, url, query, response))
    assert not failures, "\n\n".join(failures)
    assert checked > 25, f"only {checked} reads have their path filled by examples"


def test_each_example_alone_on_a_fresh_install(
    fresh: FreshInstall, contract: dict[str, Any]
) -> None:
    """What an integrator copies first: every body example of a write whose path examples
    fill, sent alone to a freshly seeded database, answers 2xx. (No example leans on a
    record another example creates, such as `channel_ids: [1]`.)"""
    failures = []
    sent = 0
    for _, path, method, operation, bodies in _writes(contract):
        examples = _parameter_examples(contract, operation)
        if _needs_record(path, examples):
            continue
        url, _ = _fill(path, examples, {}) or (path, {})
        query = _query(contract, operation)
        for body in bodies:
            with fresh.install() as client:
                response = client.request(method, url, params=query, json=body, headers=_headers())
            sent += 1
            if _refusal(response):
                failures.append(_describe(method, url, body, response))
    assert not failures, f"{len(failures)} of {sent} examples failed alone:\n\n" + "\n\n".join(
        failures
    )


def test_request_examples_succeed_in_sequence(
    fresh: FreshInstall, contract: dict[str, Any]
) -> None:
    """Every body example of every write, in the derived order, on one fresh install: ids
    of created records fill the paths that need them. Then every read of a record answers
    200 for the records the examples created."""
    operations = _by_id(contract)
    steps = _writes(contract)
    assert len(steps) > 30, "the contract lost its request examples"

    created: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    sent = 0
    with fresh.install() as client:
        for _, path, method, operation, bodies in steps:
            filled = _fill(path, _parameter_examples(contract, operation), created)
            if filled is None:
                failures.append(f"{method.upper()} {path}: no record to fill its path with")
                continue
            url, values = filled
            for body in bodies:
                for prepare in PREPARE.get(operation["operationId"], ()):
                    prep_path, prep_method, _ = operations[prepare]
                    prep_url, _ = _fill(prep_path, values, created) or (prep_path, {})
                    response = client.request(prep_method, prep_url, headers=_headers())
                    if _refusal(response):
                        failures.append(_describe(prep_method, prep_url, None, response))
                response = client.request(
                    method, url, params=_query(contract, operation), json=body, headers=_headers()
                )
                sent += 1
                if _refusal(response):
                    failures.append(_describe(method, url, body, response))
                    continue
                answer = response.json()
                if method == "post" and isinstance(answer, dict) and "id" in answer:
                    created.setdefault(path, answer)
        for path, method, operation in _operations(contract):
            examples = _parameter_examples(contract, operation)
            if method != "get" or not _needs_record(path, examples):
                continue
            filled = _fill(path, examples, created)
            if filled is None:
                failures.append(f"GET {path}: no record to fill its path with")
                continue
            response = client.get(filled[0], params=_query(contract, operation), headers=_headers())
            if response.status_code != 200:
                failures.append(_describe(method, filled[0], None, response))
    assert not failures, f"{len(failures)} of {sent} example requests failed:\n\n" + "\n\n".join(
        failures
    )
