"""Every write endpoint and every list filter of the contract, against hostile input:
each answer is a 4xx problem (never a 5xx) and no table gains or loses a row."""

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

from app.main import create_app

_SCHEMA = create_app().openapi()
_PATH_VALUES = {
    "code": "xa-bao-lam",
    "plan": "kh-209-2026",
    "number": "3",
    "prefix": "3f9a1c0b7d2e",
}
HOSTILE_BODIES: list[tuple[str, bytes]] = [
    ("truncated JSON", b'{"agency_code": "xa-bao-lam", "title": "B'),
    ("invalid UTF-8", b'{"agency_code": "xa-bao-lam", "title": "\xff\xfe\xc3"}'),
    ("NUL byte", json.dumps({"agency_code": "xa-bao-lam", "title": "a\u0000b"}).encode()),
    ("lone surrogate", b'{"agency_code": "xa-bao-lam", "title": "\\udc00"}'),
    ("10 MB string", json.dumps({"title": "x" * 10_000_000}).encode()),
    ("100,000-element array", json.dumps({"topics": ["nq57"] * 100_000}).encode()),
    ("deep nesting", b'{"title": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("not an object", b"[1, 2, 3]"),
    ("NaN", b'{"title": NaN}'),
    ("empty body", b""),
]
INJECTIONS = [
    "' OR 1=1 --",
    "x'; DROP TABLE broadcast; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(5)",
    "') UNION SELECT * FROM api_key --",
]


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: _PATH_VALUES.get(m.group(1), "1"), path)


def _operations(methods: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in _SCHEMA["paths"].items()
        for method, operation in item.items()
        if method in methods
    ]


WRITES = [(m, p) for m, p, op in _operations({"post", "put", "patch"}) if "requestBody" in op]
LIST_FILTERS = [
    (path, parameter["name"])
    for _method, path, op in _operations({"get"})
    for parameter in op.get("parameters", [])
    if parameter["in"] == "query"
]


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def _assert_problem_4xx(response: Any, what: object) -> None:
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json"), what


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_hostile_bodies_on_every_write(
    client: TestClient, session: Session, admin_headers: dict[str, str], method: str, path: str
) -> None:
    before = _row_counts(session)
    url = _fill(path)
    for label, body in HOSTILE_BODIES:
        response = client.request(
            method.upper(),
            url,
            content=body,
            headers={**admin_headers, "Content-Type": "application/json"},
        )
        _assert_problem_4xx(response, (label, method, path))
    assert _row_counts(session) == before


@pytest.mark.parametrize(("path", "name"), LIST_FILTERS, ids=[f"{p} {n}" for p, n in LIST_FILTERS])
def test_sql_injection_in_every_query_parameter(
    client: TestClient, session: Session, admin_headers: dict[str, str], path: str, name: str
) -> None:
    before = _row_counts(session)
    url = _fill(path)
    for payload in INJECTIONS:
        response = client.get(url, params={name: payload}, headers=admin_headers)
        if response.status_code >= 400:
            _assert_problem_4xx(response, (path, name, payload))
        else:
            assert response.status_code == 200, (path, name, payload, response.text[:300])
    assert _row_counts(session) == before
