"""The contract: stable operation ids, problem+json for every error response."""

from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.core.errors import PROBLEM_MEDIA_TYPE

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (e.g. a UUID) per logical request. The first 2xx "
    "answer is stored for 24 h and replayed (`Idempotent-Replayed: true`) when the same key "
    "comes again with the same request; another payload with the key is 422, a request "
    "still in flight with it is 409.",
    # Printable ASCII, not only blanks (the middleware trims them).
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[\\x20-\\x7e]*[\\x21-\\x7e][\\x20-\\x7e]*$",
    },
    "example": "3f1c9a7e-2b4d-4e8a-9c1d-0a7b5e6f2d10",
}


BAD_REQUEST_RESPONSE = {
    "description": "Malformed request: a body that is not UTF-8 JSON, or a NUL in the URL.",
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


def _anonymous_operations(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of the operations a client may call without a key: the catalogue
    and status reads (``CatalogueReader``), open unless NQ57_PUBLIC_READ=false."""
    from app.core.security import require_catalogue_reader

    return {
        (path, method.lower())
        for path, route in _api_routes(app)
        if _depends_on(route.dependant, require_catalogue_reader)
        for method in route.methods or ()
    }


NO_NUL = "^[^\\u0000]*$"
# InputModel trims blanks (what Python's str.strip() takes) after checking lengths, so a
# required text needs one character that is neither blank nor NUL.
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000\\u001c-\\u001f\\u0085][^\\u0000]*$"


def _refs(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
    for value in node.values():
        found |= _refs(value)
    return found


def _request_components(schema: dict[str, Any]) -> set[str]:
    """Component schemas a request body uses, directly or through others."""
    components = schema.get("components", {}).get("schemas", {})
    pending = {
        name
        for path_item in schema.get("paths", {}).values()
        for operation in path_item.values()
        for name in _refs(operation.get("requestBody", {}))
    }
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending |= _refs(components.get(name, {})) - seen
    return seen


def _no_nul_in_text(node: Any) -> None:
    """Request text refuses NUL (PostgreSQL cannot store it; InputModel and the URL check
    refuse it) and blank-only values where one character is required: say so on each
    string without a pattern, format or enum."""
    if isinstance(node, list):
        for item in node:
            _no_nul_in_text(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not node.keys() & {"pattern", "format", "enum", "const"}:
        node["pattern"] = NOT_BLANK if node.get("minLength", 0) >= 1 else NO_NUL
    for key, value in node.items():
        if key not in ("examples", "example", "default"):
            _no_nul_in_text(value)


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name: ``list_agencies``, ``create_broadcast`` …"""
    return route.name


def build_openapi(app: FastAPI) -> dict[str, Any]:
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
    anonymous_ok = _anonymous_operations(app)
    for path, path_item in schema.get("paths", {}).items():
        if "post" in path_item and path.startswith("/api/v1/"):
            path_item["post"].setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
        for method, operation in path_item.items():
            if (path, method) in anonymous_ok and operation.get("security"):
                # The key is optional here: `{}` is the anonymous alternative.
                operation["security"] = [*operation["security"], {}]
            if path.startswith("/api/v1/"):
                operation["responses"].setdefault("400", dict(BAD_REQUEST_RESPONSE))
            for code, response in operation.get("responses", {}).items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for name in _request_components(schema):
        _no_nul_in_text(components.get(name, {}))
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                _no_nul_in_text(parameter.get("schema", {}))
            _no_nul_in_text(operation.get("requestBody", {}))
    app.openapi_schema = schema
    return schema


def render_contract() -> str:
    """The committed form of the contract: sorted keys, indent 2, trailing newline."""
    import json

    from app.main import create_app

    return json.dumps(create_app().openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
