"""Keyset pagination: fetching a page's ids first (``ids_first``) serves the same pages."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.broadcasts.models import Broadcast
from app.core.filters import has_tag
from app.core.pagination import PageParams, decode_cursor, paginate
from tests.broadcasts.test_router import make_broadcast


def _pages(session: Session, statement: Any, *, ids_first: bool) -> list[list[int]]:
    pages, after = [], None
    while True:
        rows, cursor = paginate(
            session, statement, Broadcast.id, PageParams(limit=2, after_id=after),
            ids_first=ids_first,
        )  # fmt: skip
        assert all(isinstance(row, Broadcast) for row in rows), "whole rows, not ids"
        pages.append([row.id for row in rows])
        if cursor is None:
            return pages
        after = decode_cursor(cursor)


def test_ids_first_serves_the_same_pages(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    made = [
        make_broadcast(client, admin_headers, agency_code=agency, topics=topics)
        for agency, topics in [
            ("xa-bao-lam", ["ai"]),
            ("phuong-thuc-phan", ["ai"]),
            ("xa-bao-lam", ["nq57"]),
            ("xa-bao-lam", ["ai", "nq57"]),
            ("xa-bao-lam", []),
            ("xa-bao-lam", ["ai"]),
            ("xa-bao-lam", ["ai"]),
        ]
    ]
    mine = [b["id"] for b in made]
    statement = select(Broadcast).where(
        col(Broadcast.id).in_(mine),
        Broadcast.agency_code == "xa-bao-lam",
        has_tag(Broadcast.topics, "ai"),
    )
    expected = [mine[0], mine[3], mine[5], mine[6]]

    plain = _pages(session, statement, ids_first=False)
    assert plain == [expected[:2], expected[2:]]
    assert _pages(session, statement, ids_first=True) == plain


def test_ids_first_on_an_empty_result(session: Session) -> None:
    statement = select(Broadcast).where(Broadcast.agency_code == "no-such-agency")
    page = PageParams(limit=50, after_id=None)
    assert paginate(session, statement, Broadcast.id, page, ids_first=True) == ([], None)
