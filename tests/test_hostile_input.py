"""Whatever an integrator sends, the answer is a 4xx problem and nothing is written."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from app.agencies.models import Agency
from app.audit.models import AuditEvent
from tests.helpers import assert_problem

BODIES: list[tuple[str, bytes]] = [
    ("truncated JSON", b'{"code": "xa-moi", "name": "UBND x'),
    ("invalid UTF-8", b'{"code": "xa-moi", "name": "\xff\xfe", "kind": "commune"}'),
    ("NUL byte", json.dumps({"code": "xa-moi", "name": "a\u0000b", "kind": "commune"}).encode()),
    ("lone surrogate", b'{"code": "xa-moi", "name": "\\ud800", "kind": "commune"}'),
    (
        "huge string",
        json.dumps({"code": "xa-moi", "name": "x" * 10_000_000, "kind": "commune"}).encode(),
    ),
    (
        "big array",
        json.dumps(
            {"code": "xa-moi", "name": "n", "kind": "commune", "parent_code": list(range(100_000))}
        ).encode(),
    ),
    ("deep nesting", b'{"code": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("not an object", b"[1, 2, 3]"),
    ("NaN", b'{"code": "xa-moi", "name": "n", "kind": "commune", "admin_code": NaN}'),
    ("empty body", b""),
]


def _counts(session: Session) -> tuple[int, int]:
    agencies = session.exec(select(func.count()).select_from(Agency)).one()
    events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return agencies, events


@pytest.mark.parametrize(("label", "body"), BODIES, ids=[label for label, _ in BODIES])
def test_hostile_bodies_are_refused_and_nothing_is_written(
    client: TestClient, session: Session, admin_headers: dict[str, str], label: str, body: bytes
) -> None:
    before = _counts(session)
    response = client.post(
        "/api/v1/agencies",
        content=body,
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, (label, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _counts(session) == before


INJECTIONS = ["' OR 1=1 --", "x'; DROP TABLE agency; --", "%", "_", "\\", "%' AND '1'='1"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_strings_in_filters(
    client: TestClient, session: Session, payload: str
) -> None:
    before = _counts(session)
    for params in ({"q": payload}, {"parent": payload}, {"group": payload}, {"cursor": payload}):
        response = client.get("/api/v1/agencies", params=params)
        assert response.status_code in (200, 404, 422), (params, response.text)
        if response.status_code == 200:
            assert response.json()["items"] == [] or params.keys() == {"q"}
    assert _counts(session) == before


def test_oversized_body_is_413_problem(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = b'{"name": "' + b"x" * (17 * 1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/agencies",
        content=body,
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


def test_nul_in_query_string(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/agencies?q=a%00b"), 400)


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/khong-co"), 404)
    assert_problem(client.put("/api/v1/agencies"), 405)
