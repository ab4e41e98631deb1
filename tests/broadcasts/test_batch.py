"""Batches: per-item outcomes in order, one bad item never sinks the others."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.broadcasts.models import Broadcast
from app.core.vocab import Scope
from app.media_products.models import MediaProduct
from tests.channels.factories import count_rows, key_headers
from tests.helpers import assert_problem

URL = "/api/v1/broadcasts/batch"


def airing(external_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": "Tiếp sóng bản tin chuyển đổi số",
        "origin": "provincial",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        "source": "loa-ip-bao-lam",
        "external_id": external_id,
        **overrides,
    }


def test_mixed_batch_gives_each_item_its_outcome(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    first = client.post("/api/v1/broadcasts", json=airing("old-1"), headers=headers)
    assert first.status_code == 201
    client.post("/api/v1/broadcasts", json=airing("old-2"), headers=headers)
    before = count_rows(session, Broadcast)
    items = [
        airing("new-1"),  # 0 created
        airing("bad", duration_seconds=-5),  # 1 rejected: invalid
        airing("old-1"),  # 2 unchanged: the same as stored
        airing("old-2", duration_seconds=1200),  # 3 updated
        airing("new-1"),  # 4 unchanged: a duplicate within the batch
        airing("other", agency_code="xa-ly-bon"),  # 5 rejected: another commune
        {"not": "a broadcast"},  # 6 rejected
        airing("new-2", agency_code="khong-co"),  # 7 rejected: unknown agency
        airing("new-3"),  # 8 created
        "a string",  # 9 rejected
    ]
    response = client.post(URL, json={"items": items}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    outcomes = [item["outcome"] for item in body["items"]]
    assert outcomes == [
        "created",
        "rejected",
        "unchanged",
        "updated",
        "unchanged",
        "rejected",
        "rejected",
        "rejected",
        "created",
        "rejected",
    ]
    assert [item["index"] for item in body["items"]] == list(range(10))
    assert body["counts"] == {"created": 2, "updated": 1, "unchanged": 2, "rejected": 5}
    assert body["items"][2]["id"] == first.json()["id"]
    assert body["items"][4]["id"] == body["items"][0]["id"]
    assert body["items"][1]["problem"]["status"] == 422
    assert body["items"][1]["problem"]["errors"][0]["loc"][:3] == ["body", "items", 1]
    assert body["items"][5]["problem"]["status"] == 403
    assert body["items"][7]["problem"]["errors"][0]["loc"] == ["body", "items", 7, "agency_code"]
    assert count_rows(session, Broadcast) == before + 2
    updated = client.get(f"/api/v1/broadcasts/{body['items'][3]['id']}", headers=headers)
    assert updated.json()["duration_seconds"] == 1200


def test_dry_run_answers_the_same_and_writes_nothing(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    before = count_rows(session, Broadcast)
    items = [airing("d-1"), airing("d-2", origin="mars"), airing("d-1")]
    dry = client.post(URL, params={"dry_run": "true"}, json={"items": items}, headers=headers)
    assert dry.status_code == 200, dry.text
    assert [i["outcome"] for i in dry.json()["items"]] == ["created", "rejected", "unchanged"]
    assert dry.json()["dry_run"] is True
    assert count_rows(session, Broadcast) == before
    real = client.post(URL, json={"items": items}, headers=headers)
    assert [i["outcome"] for i in real.json()["items"]] == ["created", "rejected", "unchanged"]
    assert count_rows(session, Broadcast) == before + 1


def test_whole_batch_refused_before_anything_is_written(
    client: TestClient, session: Session
) -> None:
    headers = key_headers(session, "xa-bao-lam")
    before = count_rows(session, Broadcast)
    not_json = client.post(
        URL, content=b'{"items": [', headers={**headers, "Content-Type": "application/json"}
    )
    assert_problem(not_json, 400)
    too_many = client.post(
        URL, json={"items": [airing(f"x-{i}") for i in range(5001)]}, headers=headers
    )
    assert_problem(too_many, 422)
    assert_problem(client.post(URL, json={"items": []}, headers=headers), 422)
    assert_problem(client.post(URL, json={"items": [airing("y")]}), 401)
    read_only = key_headers(session, "xa-bao-lam", scopes=[Scope.read])
    assert_problem(client.post(URL, json={"items": [airing("y")]}, headers=read_only), 403)
    assert count_rows(session, Broadcast) == before


def test_a_full_batch_of_5000(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    items = [
        airing(f"full-{i}", started_at=f"2026-04-01T{i % 24:02d}:00:00+07:00") for i in range(5000)
    ]
    response = client.post(URL, json={"items": items}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["counts"]["created"] == 5000
    again = client.post(URL, json={"items": items}, headers=headers)
    assert again.json()["counts"]["unchanged"] == 5000


def test_media_product_batch(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "cong-ttdt-tinh")
    product = {
        "agency_code": "cong-ttdt-tinh",
        "kind": "news",
        "title": "Cao Bằng triển khai Kế hoạch 209/KH-UBND",
        "published_at": "2026-02-02T09:00:00+07:00",
        "topics": ["nq57"],
        "source": "cong-ttdt-tinh",
        "external_id": "a-1",
    }
    before = count_rows(session, MediaProduct)
    items = [product, {**product, "external_id": "a-2", "channel_ids": [999999]}, product]
    response = client.post("/api/v1/media-products/batch", json={"items": items}, headers=headers)
    assert response.status_code == 200, response.text
    assert [i["outcome"] for i in response.json()["items"]] == ["created", "rejected", "unchanged"]
    assert count_rows(session, MediaProduct) == before + 1


def test_items_without_a_key_are_always_new(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    keyless = {k: v for k, v in airing("unused").items() if k not in ("source", "external_id")}
    before = count_rows(session, Broadcast)
    response = client.post(URL, json={"items": [keyless, keyless]}, headers=headers)
    assert [i["outcome"] for i in response.json()["items"]] == ["created", "created"]
    assert len({i["id"] for i in response.json()["items"]}) == 2
    assert count_rows(session, Broadcast) == before + 2


def test_two_agencies_pushing_the_same_pair_each_keep_their_own(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """Vendors ship the same software to many communes: one pair, two owners, two rows."""
    stored = client.post(
        "/api/v1/broadcasts",
        json=airing("shared-1", agency_code="xa-ly-bon"),
        headers=admin_headers,
    )
    assert stored.status_code == 201
    headers = key_headers(session, "xa-bao-lam")
    response = client.post(URL, json={"items": [airing("shared-1")]}, headers=headers)
    item = response.json()["items"][0]
    assert item["outcome"] == "created"
    assert item["id"] != stored.json()["id"]
    theirs = client.get(f"/api/v1/broadcasts/{stored.json()['id']}", headers=admin_headers)
    assert theirs.json()["agency_code"] == "xa-ly-bon"
    ours = client.get(f"/api/v1/broadcasts/{item['id']}", headers=admin_headers)
    assert ours.json()["agency_code"] == "xa-bao-lam"
    again = client.post(URL, json={"items": [airing("shared-1")]}, headers=headers)
    assert again.json()["items"][0] == {**item, "outcome": "unchanged"}


def test_a_batch_names_media_products_and_leaves_an_audit_trail(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    product = client.post(
        "/api/v1/media-products",
        json={
            "agency_code": "so-vhttdl",
            "kind": "radio_segment",
            "title": "Bình dân học vụ số: kỹ năng số cho mọi người",
            "published_at": "2026-03-01T08:00:00+07:00",
            "topics": ["digital_literacy"],
        },
        headers=admin_headers,
    ).json()
    headers = key_headers(session, "xa-bao-lam")
    item = airing("from-product", media_product_id=product["id"], topics=[])
    del item["title"]
    response = client.post(URL, json={"items": [item]}, headers=headers)
    created = response.json()["items"][0]
    assert created["outcome"] == "created", response.text
    stored = client.get(f"/api/v1/broadcasts/{created['id']}", headers=headers).json()
    assert stored["title"] == product["title"]
    assert stored["topics"] == ["digital_literacy"]
    events = client.get(
        "/api/v1/audit-events",
        params={"entity": "broadcast", "entity_id": str(created["id"])},
        headers=admin_headers,
    ).json()["items"]
    assert [e["action"] for e in events] == ["create"]
    assert events[0]["after"]["title"] == product["title"]
