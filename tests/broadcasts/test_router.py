from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.broadcasts import service
from app.broadcasts.models import Broadcast
from app.broadcasts.schemas import BroadcastCreate
from app.core import push
from app.core.principal import SYSTEM
from app.core.push import PushOutcome
from app.core.vocab import Scope
from tests.channels.factories import audit_events, count_rows, ids, key_headers, make_channel
from tests.helpers import assert_problem, list_all

URL = "/api/v1/broadcasts"


def broadcast_body(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": "Bản tin Bình dân học vụ số: hướng dẫn cài đặt VNeID",
        "origin": "local",
        "started_at": "2026-03-14T06:00:00+07:00",
        "duration_seconds": 900,
        **overrides,
    }


def make_broadcast(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=broadcast_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_product(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "agency_code": "bao-ptth-cb",
        "kind": "radio_segment",
        "title": "Chuyển đổi số nông nghiệp ở Cao Bằng",
        "published_at": "2026-03-10T18:00:00+07:00",
        "topics": ["nq57", "digital_transformation"],
        **overrides,
    }
    response = client.post("/api/v1/media-products", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_read_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    station = make_channel(client, admin_headers)
    created = client.post(
        URL,
        json=broadcast_body(
            channel_id=station["id"],
            language="tay",
            loudspeaker_clusters=12,
            topics=["digital_literacy", "nq57"],
        ),
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    broadcast = created.json()
    item = f"{URL}/{broadcast['id']}"
    assert created.headers["location"] == item
    assert created.headers["push-outcome"] == "created"
    assert broadcast["started_at"] == "2026-03-13T23:00:00Z"
    assert broadcast["topics"] == ["digital_literacy", "nq57"]
    assert broadcast["channel_id"] == station["id"]
    assert broadcast["media_product_id"] is None

    got = client.get(item, headers=admin_headers)
    assert got.json() == broadcast
    etag = got.headers["etag"]
    patched = client.patch(
        item,
        json={"duration_seconds": 1200, "loudspeaker_clusters": None},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["duration_seconds"] == 1200
    assert patched.json()["loudspeaker_clusters"] is None
    stale = client.patch(
        item, json={"duration_seconds": 1}, headers={**admin_headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    unchanged = client.patch(item, json={"duration_seconds": 1200}, headers=admin_headers)
    assert unchanged.headers["etag"] == patched.headers["etag"]

    assert client.delete(item, headers=admin_headers).status_code == 204
    assert_problem(client.get(item, headers=admin_headers), 404)
    events = audit_events(session, "broadcast", broadcast["id"])
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].before is not None and events[1].before["duration_seconds"] == 900
    assert events[1].after is not None and events[1].after["duration_seconds"] == 1200


def test_media_product_gives_title_and_topics(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    product = make_product(client, admin_headers)
    body = broadcast_body(media_product_id=product["id"], origin="provincial")
    del body["title"]
    copied = client.post(URL, json=body, headers=admin_headers)
    assert copied.status_code == 201, copied.text
    assert copied.json()["title"] == product["title"]
    assert copied.json()["topics"] == ["digital_transformation", "nq57"]
    own = make_broadcast(client, admin_headers, media_product_id=product["id"], topics=["ai"])
    assert own["topics"] == ["ai"]
    assert own["title"] == broadcast_body()["title"]
    # Clearing the topics of a broadcast of a known product takes the product's again.
    cleared = client.patch(f"{URL}/{own['id']}", json={"topics": []}, headers=admin_headers)
    assert cleared.json()["topics"] == ["digital_transformation", "nq57"]
    untitled = client.patch(
        f"{URL}/{own['id']}", json={"media_product_id": None, "title": None}, headers=admin_headers
    )
    assert_problem(untitled, 422)
    # Deleting the product keeps the broadcast, without the link.
    deleted = client.delete(f"/api/v1/media-products/{product['id']}", headers=admin_headers)
    assert deleted.status_code == 204
    kept = client.get(f"{URL}/{copied.json()['id']}", headers=admin_headers).json()
    assert kept["media_product_id"] is None
    assert kept["title"] == product["title"]


def test_filters(client: TestClient, admin_headers: dict[str, str]) -> None:
    station = make_channel(client, admin_headers)
    product = make_product(client, admin_headers)
    late = make_broadcast(
        client,
        admin_headers,
        title="Chuyển đổi số: dịch vụ công trực tuyến",
        channel_id=station["id"],
        started_at="2026-03-14T23:30:00+07:00",
        topics=["digital_transformation"],
    )
    utc = make_broadcast(
        client,
        admin_headers,
        agency_code="phuong-thuc-phan",
        title="Tiếp sóng thời sự tỉnh",
        origin="provincial",
        media_product_id=product["id"],
        started_at="2026-03-14T17:30:00Z",
        retracted_at="2026-03-15T08:00:00+07:00",
    )
    early = make_broadcast(
        client,
        admin_headers,
        title="Trí tuệ nhân tạo và đời sống",
        origin="central",
        started_at="2026-01-02T07:00:00+07:00",
        topics=["ai"],
    )
    mine = [late["id"], utc["id"], early["id"]]

    def found(**params: object) -> list[int]:
        return [i for i in ids(list_all(client, URL, headers=admin_headers, **params)) if i in mine]

    assert found() == mine, "ordered by id; withdrawn airings are listed too"
    assert found(agency="xa-bao-lam") == [late["id"], early["id"]]
    assert found(origin="provincial") == [utc["id"]]
    assert found(origin=["central", "local"]) == [late["id"], early["id"]]
    assert found(topic="nq57") == [utc["id"]]
    assert found(topic=["ai", "digital_transformation"]) == [late["id"], utc["id"], early["id"]]
    assert found(topic="ai") == [early["id"]]
    assert found(channel=station["id"]) == [late["id"]]
    assert found(media_product=product["id"]) == [utc["id"]]
    assert found(retracted="true") == [utc["id"]]
    assert found(retracted="false") == [late["id"], early["id"]]
    # 23:30 local on 14 March is on 14 March; 17:30Z on 14 March is 00:30 on 15 March local.
    assert found(**{"from": "2026-03-14", "to": "2026-03-14"}) == [late["id"]]
    assert found(**{"from": "2026-03-15", "to": "2026-03-15"}) == [utc["id"]]
    assert found(**{"from": "2026-03-14"}) == [late["id"], utc["id"]]
    assert found(to="2026-03-13") == [early["id"]]
    assert found(q="chuyen doi so") == [late["id"]]
    assert found(q="TRI TUE nhan tao") == [early["id"]]
    assert found(q="tiep song", origin="central") == []


def test_push_semantics(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = broadcast_body(source="loa-ip-bao-lam", external_id="2026-03-14-0017", topics=["nq57"])
    first = client.post(URL, json=body, headers=admin_headers)
    assert first.status_code == 201, first.text
    rows, events = count_rows(session, Broadcast), count_rows(session, AuditEvent)

    same = {**body, "started_at": "2026-03-13T23:00:00Z"}
    again = client.post(URL, json=same, headers=admin_headers)
    assert again.status_code == 200, again.text
    assert again.headers["push-outcome"] == "unchanged"
    assert again.json() == first.json()
    assert count_rows(session, Broadcast) == rows
    assert count_rows(session, AuditEvent) == events

    longer = client.post(URL, json={**body, "duration_seconds": 1800}, headers=admin_headers)
    assert longer.status_code == 200, longer.text
    assert longer.headers["push-outcome"] == "updated"
    assert longer.json()["id"] == first.json()["id"]
    assert longer.json()["duration_seconds"] == 1800
    assert count_rows(session, Broadcast) == rows
    last = audit_events(session, "broadcast", first.json()["id"])[-1]
    assert last.action == "update"
    assert last.before is not None and last.before["duration_seconds"] == 900
    assert last.after is not None and last.after["duration_seconds"] == 1800

    other_source = client.post(URL, json={**body, "source": "loa-ip-khac"}, headers=admin_headers)
    assert other_source.status_code == 201, "the key is the pair, not the external id alone"


def test_pagination_while_rows_are_inserted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for n in range(5):
        make_broadcast(client, admin_headers, title=f"Bản tin {n}")
    seen: list[int] = []
    cursor = None
    inserted = 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params=params, headers=admin_headers).json()
        seen.extend(ids(page["items"]))
        if inserted < 3:
            make_broadcast(client, admin_headers, title=f"Bản tin mới {inserted}")
            inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no broadcast is served twice"
    assert seen == ids(list_all(client, URL, headers=admin_headers)), "none is skipped"


def test_agency_bound_keys(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    reader = key_headers(session, "xa-bao-lam", [Scope.read])
    own = make_broadcast(client, headers, source="loa-ip-bao-lam", external_id="1")
    team = make_broadcast(client, headers, agency_code="to-cns-xa-bao-lam")
    assert team["agency_code"] == "to-cns-xa-bao-lam"
    foreign = make_broadcast(client, key_headers(session, "xa-ly-bon"), agency_code="xa-ly-bon")
    rows, events = count_rows(session, Broadcast), count_rows(session, AuditEvent)

    ly_bon = broadcast_body(agency_code="xa-ly-bon")
    assert_problem(client.post(URL, json=ly_bon, headers=headers), 403)
    repush = {**ly_bon, "source": "loa-ip-bao-lam", "external_id": "1"}
    assert_problem(client.post(URL, json=repush, headers=headers), 403)
    assert_problem(
        client.patch(f"{URL}/{foreign['id']}", json={"duration_seconds": 1}, headers=headers), 403
    )
    moved = client.patch(f"{URL}/{own['id']}", json={"agency_code": "xa-ly-bon"}, headers=headers)
    assert_problem(moved, 403)
    assert_problem(client.delete(f"{URL}/{foreign['id']}", headers=headers), 403)
    assert client.get(f"{URL}/{own['id']}", headers=reader).json() == own
    assert_problem(client.post(URL, json=broadcast_body(), headers=reader), 403)
    assert_problem(
        client.patch(f"{URL}/{own['id']}", json={"duration_seconds": 1}, headers=reader), 403
    )
    assert_problem(client.delete(f"{URL}/{own['id']}", headers=reader), 403)
    assert_problem(client.post(URL, json=broadcast_body()), 401)
    assert count_rows(session, Broadcast) == rows
    assert count_rows(session, AuditEvent) == events


def test_bad_input_on_writes(client: TestClient, admin_headers: dict[str, str]) -> None:
    untitled = broadcast_body()
    del untitled["title"]
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        (broadcast_body(origin="foreign"), ["body", "origin"]),
        (broadcast_body(language="latin"), ["body", "language"]),
        (broadcast_body(topics=["gossip"]), ["body", "topics", 0]),
        (broadcast_body(title="Bản tin\u0000"), ["body", "title"]),
        (broadcast_body(duration_seconds=-60), ["body", "duration_seconds"]),
        (broadcast_body(duration_seconds=0), ["body", "duration_seconds"]),
        (broadcast_body(duration_seconds=86401), ["body", "duration_seconds"]),
        (broadcast_body(duration_seconds=10**30), ["body", "duration_seconds"]),
        (broadcast_body(loudspeaker_clusters=100001), ["body", "loudspeaker_clusters"]),
        (broadcast_body(loudspeaker_clusters=-1), ["body", "loudspeaker_clusters"]),
        (broadcast_body(started_at="2026-03-14T06:00:00"), ["body", "started_at"]),
        (broadcast_body(retracted_at="2026-03-14T06:00:00"), ["body", "retracted_at"]),
        (broadcast_body(channel_id=999999), ["body", "channel_id"]),
        (broadcast_body(channel_id=2**63), ["body", "channel_id"]),
        (broadcast_body(media_product_id=999999), ["body", "media_product_id"]),
        (broadcast_body(agency_code="xa-khong-co"), ["body", "agency_code"]),
        (broadcast_body(source="loa-ip"), ["body", "external_id"]),
        (broadcast_body(external_id="1"), ["body", "source"]),
        (broadcast_body(title="x" * 1001), ["body", "title"]),
        (broadcast_body(topics=["ai"] * 21), ["body", "topics"]),
        (broadcast_body(started_at=None), ["body", "started_at"]),
        (broadcast_body(colour="red"), ["body", "colour"]),
        (untitled, ["body", "title"]),
    ]
    for body, loc in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert loc in [e["loc"] for e in problem["errors"]], (loc, problem["errors"])
    # Not JSON is 400; JSON of the wrong shape (an infinite number is not storable) 422.
    for content, status in (
        (b'{"agency_code": "xa-bao-lam", ', 400),
        (b"[]", 422),
        (b"1e999999", 422),
    ):
        malformed = client.post(
            URL, content=content, headers={**admin_headers, "Content-Type": "application/json"}
        )
        assert_problem(malformed, status)

    broadcast = make_broadcast(client, admin_headers)
    item = f"{URL}/{broadcast['id']}"
    for patch, loc in [
        ({"origin": "foreign"}, ["body", "origin"]),
        ({"duration_seconds": -1}, ["body", "duration_seconds"]),
        ({"duration_seconds": None}, ["body", "duration_seconds"]),
        ({"started_at": "2026-03-14T06:00:00"}, ["body", "started_at"]),
        ({"channel_id": 999999}, ["body", "channel_id"]),
        ({"media_product_id": 999999}, ["body", "media_product_id"]),
        ({"agency_code": "xa-khong-co"}, ["body", "agency_code"]),
        ({"title": None}, ["body", "title"]),
        ({"title": "\u0000"}, ["body", "title"]),
        ({"external_id": "2"}, ["body", "external_id"]),
    ]:
        problem = assert_problem(client.patch(item, json=patch, headers=admin_headers), 422)
        assert loc in [e["loc"] for e in problem["errors"]], (loc, problem["errors"])
    assert_problem(
        client.patch(
            item, content=b"{", headers={**admin_headers, "Content-Type": "application/json"}
        ),
        400,
    )
    for bad_id in ("0", str(2**63)):
        assert_problem(client.patch(f"{URL}/{bad_id}", json={}, headers=admin_headers), 422)
        assert_problem(client.delete(f"{URL}/{bad_id}", headers=admin_headers), 422)
    # Ids are digits in the route itself (so that /batch is no id): anything else is no URL.
    assert_problem(client.patch(f"{URL}/x", json={}, headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/x", headers=admin_headers), 404)
    assert_problem(client.get(f"{URL}/999999", headers=admin_headers), 404)
    for params in [{"origin": "x"}, {"to": "14/03/2026"}, {"channel": "0"}, {"limit": "0"}]:
        assert_problem(client.get(URL, params=params, headers=admin_headers), 422)
    assert client.get(item, headers=admin_headers).json() == broadcast


def test_push_service_answers_a_racing_duplicate_as_a_repeat(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two pushes of one key at once: the loser's insert fails on the unique key and it
    answers like a repeat instead of a 409 or a duplicate (service called without HTTP)."""
    payload = BroadcastCreate.model_validate(
        broadcast_body(source="loa-ip-bao-lam", external_id="race")
    )
    first, outcome = service.push_broadcast(session, payload=payload, actor=SYSTEM)
    assert outcome is PushOutcome.created
    real_find = push.find_pushed
    calls: list[int] = []

    def blind_once(*args: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(push, "find_pushed", blind_once)
    again, outcome = service.push_broadcast(session, payload=payload, actor=SYSTEM)
    assert outcome is PushOutcome.unchanged
    assert again.id == first.id
    assert len(calls) == 3, "blind look, insert collides, look again, repeat push"
    assert (
        session.exec(
            select(func.count()).select_from(Broadcast).where(Broadcast.external_id == "race")
        ).one()
        == 1
    )
