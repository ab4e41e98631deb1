"""Assertions and factories the tests share."""

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

PROBLEM = "application/problem+json"


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    return body  # type: ignore[no-any-return]


def list_all(
    client: TestClient,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    limit: int = 500,
    **params: Any,
) -> list[dict[str, Any]]:
    """Every item of a paginated list, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, params=query, headers=headers or {})
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def make_agency(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "code": "xa-thu-nghiem",
        "name": "UBND xã Thử Nghiệm",
        "kind": "commune",
        "parent_code": "ubnd-tinh",
        **overrides,
    }
    response = client.post("/api/v1/agencies", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
