"""The committed contract is the app's, and it tells integrators the truth."""

import json
from pathlib import Path

from app.core.openapi import render_contract
from app.main import create_app

CONTRACT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations() -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    schema = create_app().openapi()
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_committed_contract_equals_the_app() -> None:
    assert CONTRACT.read_text(encoding="utf-8") == render_contract(create_app()), (
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    )


def test_every_operation_is_documented() -> None:
    seen_ids: set[str] = set()
    for path, method, operation in _operations():
        where = f"{method.upper()} {path}"
        assert operation.get("operationId"), where
        assert operation["operationId"] not in seen_ids, f"duplicate operationId at {where}"
        seen_ids.add(operation["operationId"])
        assert operation.get("tags"), where
        assert operation.get("summary"), where
        assert operation.get("description"), f"{where} has no docstring"
        assert any(code.startswith("4") for code in operation["responses"]), where


def test_every_error_response_is_problem_json() -> None:
    for path, method, operation in _operations():
        for code, response in operation["responses"].items():
            if code.isdigit() and int(code) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (
                    f"{method.upper()} {path} {code}"
                )


def test_every_request_body_has_an_example_from_the_plan() -> None:
    schema = create_app().openapi()
    components = schema["components"]["schemas"]
    for path, method, operation in _operations():
        body = operation.get("requestBody")
        if body is None:
            continue
        media = body["content"].get("application/json", {})
        examples = media.get("examples") or media.get("example")
        if not examples:
            ref = media.get("schema", {}).get("$ref", "")
            target = components.get(ref.rsplit("/", 1)[-1], {})
            examples = target.get("examples")
        assert examples, f"{method.upper()} {path} has no request example"


def test_contract_declares_bearer_keys() -> None:
    schema = json.loads(CONTRACT.read_text(encoding="utf-8"))
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
