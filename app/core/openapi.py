"""The contract: stable operation ids, problem+json for every error response."""

from typing import Any

from fastapi import FastAPI
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
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "example": "3f1c9a7e-2b4d-4e8a-9c1d-0a7b5e6f2d10",
}


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
    for path, path_item in schema.get("paths", {}).items():
        if "post" in path_item and path.startswith("/api/v1/"):
            path_item["post"].setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
        for operation in path_item.values():
            for code, response in operation.get("responses", {}).items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


def render_contract() -> str:
    """The committed form of the contract: sorted keys, indent 2, trailing newline."""
    import json

    from app.main import create_app

    return json.dumps(create_app().openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
