"""The contract: stable operation ids, problem+json for every error response."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.openapi.models import Example
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.core.errors import PROBLEM_MEDIA_TYPE, problem_content, problem_example_components

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A fresh UUID per logical request (any printable ASCII up to 200 "
    "characters), e.g. from `uuidgen`; leave it empty when trying a request by hand. The "
    "first 2xx answer is stored for 24 h and replayed (`Idempotent-Replayed: true`) when "
    "the same key comes again with the same request; another payload with the key is 422, "
    "a request still in flight with it is 409.",
    # Printable ASCII, not only blanks (the middleware trims them). No example: Swagger UI
    # would pre-fill it on every POST, and the second POST with another body would be 422.
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[\\x20-\\x7e]*[\\x21-\\x7e][\\x20-\\x7e]*$",
    },
}


def seed_example(value: Any, summary: str) -> dict[str, Example]:
    """``openapi_examples`` of a path or query parameter: a value a fresh install holds
    (``nq57 seed``). Swagger UI pre-fills "Try it out" from these (the parameter's own
    ``examples``), not from the JSON Schema ``examples`` that ``Path(examples=[…])`` gives."""
    return {"seed": Example(summary=summary, value=value)}


BAD_REQUEST_RESPONSE = {
    "description": "Malformed request: a body that is not UTF-8 JSON, or a NUL in the URL.",
    "content": problem_content(400),
}
UNSUPPORTED_MEDIA_TYPE_RESPONSE = {
    "description": "The body is not `application/json`",
    "content": problem_content(415),
}


def _depends_on(dependant: Any, target: Any) -> bool:
    return any(dep.call is target or _depends_on(dep, target) for dep in dependant.dependencies)


def _api_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """(full path, route) of every API route, through included routers."""
    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    if iterate is None:  # FastAPI before lazily included routers
        return [(r.path_format, r) for r in app.routes if isinstance(r, APIRoute)]
    return [
        (str(context.path_format), context.original_route)
        for context in iterate(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def _anonymous_operations(app: FastAPI, open_read: Callable[..., Any]) -> set[tuple[str, str]]:
    """(path, method) of the operations a client may call without a key: those that depend
    on ``open_read`` (the catalogue and status reads, open unless NQ57_PUBLIC_READ=false)."""
    return {
        (path, method.lower())
        for path, route in _api_routes(app)
        if _depends_on(route.dependant, open_read)
        for method in route.methods or ()
    }


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name: ``list_agencies``, ``create_broadcast`` …"""
    return route.name


def build_openapi(app: FastAPI, *, open_read: Callable[..., Any]) -> dict[str, Any]:
    """The contract; ``open_read`` is the dependency that marks operations open to anonymous
    clients (app.core.access.require_catalogue_reader)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    anonymous_ok = _anonymous_operations(app, open_read)
    for path, path_item in schema.get("paths", {}).items():
        if "post" in path_item and path.startswith("/api/v1/"):
            path_item["post"].setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
        for method, operation in path_item.items():
            if (path, method) in anonymous_ok and operation.get("security"):
                # The key is optional here: `{}` is the anonymous alternative.
                operation["security"] = [*operation["security"], {}]
            if path.startswith("/api/v1/"):
                operation["responses"].setdefault("400", dict(BAD_REQUEST_RESPONSE))
            if "requestBody" in operation:
                operation["responses"].setdefault("415", dict(UNSUPPORTED_MEDIA_TYPE_RESPONSE))
            for code, response in operation.get("responses", {}).items():
                if code.isdigit() and int(code) >= 400:
                    # The examples of each status (app.core.errors.PROBLEM_EXAMPLES) stay.
                    declared = response.get("content", {}).get(PROBLEM_MEDIA_TYPE, {})
                    media = {**problem_content(int(code))[PROBLEM_MEDIA_TYPE], **declared}
                    response["content"] = {PROBLEM_MEDIA_TYPE: {**media, "schema": problem_ref}}
    schema.setdefault("components", {})["examples"] = problem_example_components()
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


def render_contract(app: FastAPI) -> str:
    """The committed form of the contract: sorted keys, indent 2, trailing newline."""
    import json

    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
