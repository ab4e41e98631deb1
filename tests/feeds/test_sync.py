"""`nq57 feeds sync` against a local server: good feeds become media products once,
re-syncs change nothing, edits update, and hostile feeds fail alone."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.feeds.fetch import FetchLimits
from app.feeds.sync import sync_feeds
from tests.feeds.feed_server import (
    BILLION_LAUGHS,
    FeedServer,
    atom,
    feed_server,
    huge,
    redirect,
    rss,
    slow,
)

# The local server is on 127.0.0.1: allowed here, refused by default (test_private_hosts).
LIMITS = FetchLimits(timeout_seconds=1.0, max_bytes=5 * 1024 * 1024, allow_private_hosts=True)

RSS_ITEMS = [
    {
        "guid": "bai-101",
        "title": "Cao Bằng đẩy mạnh CHUYỂN ĐỔI SỐ ở vùng cao",
        "link": "https://caobang.gov.vn/bai-101",
        "summary": "&lt;p&gt;Kết quả bước đầu&lt;/p&gt;",
        "date": "Tue, 03 Mar 2026 08:00:00 +0700",
    },
    {
        "guid": "bai-102",
        "title": "Hội nghị quán triệt Nghị quyết 57-NQ/TW",
        "link": "https://caobang.gov.vn/bai-102",
        "date": "Wed, 04 Mar 2026 09:30:00 +0700",
    },
    {
        "guid": "bai-103",
        "title": "Lễ hội mùa xuân ở Bảo Lâm",
        "link": "https://caobang.gov.vn/bai-103",
        "summary": "Văn hóa, du lịch.",
        "date": "Thu, 05 Mar 2026 10:00:00 +0700",
    },
]
ATOM_ENTRIES = [
    {
        "id": "tag:facebook,2026:post-7",
        "title": "Phong trào Bình dân học vụ số tại xã",
        "link": "https://facebook.com/xabaolam/posts/7",
        "date": "2026-03-06T07:00:00+07:00",
    },
    {
        "id": "tag:facebook,2026:post-8",
        "title": "Thông báo lịch tiêm chủng",
        "link": "https://facebook.com/xabaolam/posts/8",
        "date": "2026-03-07T07:00:00+07:00",
    },
]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        running.bodies["/rss.xml"] = rss(RSS_ITEMS)
        running.bodies["/atom"] = atom(ATOM_ENTRIES)
        running.bodies["/not-xml.xml"] = b"this is { not xml"
        running.bodies["/lol.xml"] = BILLION_LAUGHS
        running.routes["/huge"] = huge
        running.routes["/slow"] = slow
        running.routes["/away"] = redirect(running.url("/rss.xml", host="localhost"))
        running.routes["/moved"] = redirect("/atom")
        yield running


def _channel(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body = {"agency_code": "xa-bao-lam", "kind": "portal_section", "name": "Chuyên mục", **body}
    response = client.post("/api/v1/channels", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _products(client: TestClient, headers: dict[str, str], channel_id: int) -> list[Any]:
    response = client.get(f"/api/v1/media-products?channel={channel_id}", headers=headers)
    assert response.status_code == 200, response.text
    return sorted(response.json()["items"], key=lambda p: p["external_id"])


def _events(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


def _results(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> dict[str, str]:
    return {
        name: client.get(f"/api/v1/channels/{cid}", headers=headers).json()["feed_sync_result"]
        for name, cid in ids.items()
    }


def test_feeds_sync_once_then_unchanged_then_updated(
    client: TestClient, session: Session, admin_headers: dict[str, str], server: FeedServer
) -> None:
    portal = _channel(client, admin_headers, feed_url=server.url("/rss.xml"))
    page = _channel(
        client, admin_headers, kind="social_media", name="Trang xã", feed_url=server.url("/moved")
    )

    first = {o.channel_id: o.result for o in sync_feeds(session, limits=LIMITS)}
    assert first[portal["id"]] == "ok: 2 created, 0 updated, 0 unchanged, 1 off-topic, 0 rejected"
    assert first[page["id"]] == "ok: 1 created, 0 updated, 0 unchanged, 1 off-topic, 0 rejected"
    products = _products(client, admin_headers, portal["id"])
    assert [p["external_id"] for p in products] == ["bai-101", "bai-102"]
    first_product = products[0]
    assert first_product["agency_code"] == "xa-bao-lam"
    assert first_product["kind"] == "article"
    assert first_product["source"] == f"feed:{portal['id']}"
    assert first_product["channel_ids"] == [portal["id"]]
    assert first_product["topics"] == ["nq57"]
    assert first_product["url"] == "https://caobang.gov.vn/bai-101"
    assert first_product["summary"] == "Kết quả bước đầu"
    assert first_product["published_at"].startswith("2026-03-03T01:00:00")
    social = _products(client, admin_headers, page["id"])
    assert [p["title"] for p in social] == ["Phong trào Bình dân học vụ số tại xã"]
    audit = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "media_product").order_by(AuditEvent.id)
    ).all()
    assert audit[-1].actor == f"feed-sync:channel-{page['id']}"
    channel = client.get(f"/api/v1/channels/{portal['id']}", headers=admin_headers).json()
    assert channel["feed_synced_at"] is not None
    assert "feed_etag" not in channel

    events = _events(session)
    second = {o.channel_id: o.result for o in sync_feeds(session, limits=LIMITS)}
    assert second[portal["id"]] == "ok: not modified"  # the ETag came back: a 304
    assert ("/rss.xml", 304) in server.hits
    assert second[page["id"]] == "ok: 0 created, 0 updated, 1 unchanged, 1 off-topic, 0 rejected"
    assert _events(session) == events

    edited = [{**RSS_ITEMS[0], "title": "Cao Bằng đẩy mạnh chuyển đổi số ở vùng cao (cập nhật)"}]
    server.bodies["/rss.xml"] = rss(edited + RSS_ITEMS[1:])
    third = {o.channel_id: o.result for o in sync_feeds(session, limits=LIMITS)}
    assert third[portal["id"]] == "ok: 0 created, 1 updated, 1 unchanged, 1 off-topic, 0 rejected"
    assert _products(client, admin_headers, portal["id"])[0]["title"].endswith("(cập nhật)")
    assert _events(session) == events + 1


def test_hostile_feeds_fail_alone(
    client: TestClient, session: Session, admin_headers: dict[str, str], server: FeedServer
) -> None:
    paths = {
        "not_xml": "/not-xml.xml",
        "laughs": "/lol.xml",
        "huge": "/huge",
        "slow": "/slow",
        "away": "/away",
        "missing": "/gone.xml",
        "good": "/rss.xml",
    }
    ids = {
        name: _channel(client, admin_headers, name=name, feed_url=server.url(path))["id"]
        for name, path in paths.items()
    }
    outcomes = sync_feeds(session, limits=LIMITS)
    assert [o.channel_id for o in outcomes] == sorted(ids.values())
    results = _results(client, admin_headers, ids)
    assert results["good"].startswith("ok: 2 created")
    assert results["not_xml"].startswith("error: not XML")
    assert results["laughs"].startswith("error: refused XML")
    assert results["huge"] == f"error: feed larger than {LIMITS.max_bytes} bytes"
    assert results["slow"].startswith("error: timed out after 1 s")
    assert results["away"] == "error: redirect to another host refused: localhost"
    assert results["missing"].startswith("error: HTTP 404")
    assert len(_products(client, admin_headers, ids["good"])) == 2


def test_closed_channels_and_channels_without_feed_are_left_alone(
    client: TestClient, session: Session, admin_headers: dict[str, str], server: FeedServer
) -> None:
    closed = _channel(
        client,
        admin_headers,
        feed_url=server.url("/rss.xml"),
        launched_on="2025-01-01",
        closed_on="2025-12-31",
    )
    _channel(client, admin_headers)
    assert [o.channel_id for o in sync_feeds(session, limits=LIMITS)] == []
    assert _results(client, admin_headers, {"c": closed["id"]}) == {"c": None}
    assert server.hits == []


def test_a_new_feed_url_forgets_the_old_validators(
    client: TestClient, session: Session, admin_headers: dict[str, str], server: FeedServer
) -> None:
    channel = _channel(client, admin_headers, feed_url=server.url("/rss.xml"))
    sync_feeds(session, limits=LIMITS)
    server.bodies["/other.xml"] = server.bodies["/rss.xml"]  # same body, same ETag
    moved = client.patch(
        f"/api/v1/channels/{channel['id']}",
        json={"feed_url": server.url("/other.xml")},
        headers=admin_headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["feed_sync_result"] is None
    sync_feeds(session, limits=LIMITS)
    assert server.hits[-1] == ("/other.xml", 200)  # no If-None-Match sent: a full read
    result = _results(client, admin_headers, {"c": channel["id"]})["c"]
    assert result == "ok: 0 created, 0 updated, 2 unchanged, 1 off-topic, 0 rejected"
