"""A key airs its broadcasts only on stations of agencies it may write: its own, those under
it (a commune's digital team), or, for an admin key, any. The media product aired may be
anyone's: relaying provincial content on a commune's loudspeakers is normal."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.broadcasts.models import Broadcast
from tests.channels.factories import count_rows, key_headers, make_channel
from tests.helpers import assert_problem

URL = "/api/v1/broadcasts"
OWN, TEAM, OTHER = "xa-bao-lam", "to-cns-xa-bao-lam", "xa-ly-bon"


def airing(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "title": "Bản tin chuyển đổi số",
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 600,
        "topics": ["nq57"],
        **overrides,
    }


def stations(client: TestClient, admin_headers: dict[str, str]) -> dict[str, int]:
    """A loudspeaker station of the commune, of its digital team and of another commune."""
    return {
        code: make_channel(client, admin_headers, agency_code=code)["id"]
        for code in (OWN, TEAM, OTHER)
    }


def provincial_product(client: TestClient, admin_headers: dict[str, str]) -> int:
    body = {
        "agency_code": "cong-ttdt-tinh",
        "kind": "news",
        "title": "Cao Bằng triển khai Kế hoạch 209/KH-UBND",
        "published_at": "2026-02-02T09:00:00+07:00",
    }
    response = client.post("/api/v1/media-products", json=body, headers=admin_headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def counts(session: Session) -> tuple[int, int]:
    return count_rows(session, Broadcast), count_rows(session, AuditEvent)


def test_single_push_airs_only_on_stations_the_key_may_write(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    ids = stations(client, admin_headers)
    relayed = provincial_product(client, admin_headers)
    headers = key_headers(session, OWN)
    for code in (OWN, TEAM):
        response = client.post(URL, json=airing(channel_id=ids[code]), headers=headers)
        assert response.status_code == 201, response.text
    relay = airing(channel_id=ids[OWN], media_product_id=relayed, origin="provincial")
    assert client.post(URL, json=relay, headers=headers).status_code == 201

    before = counts(session)
    problem = assert_problem(
        client.post(URL, json=airing(channel_id=ids[OTHER]), headers=headers), 403
    )
    assert problem["detail"] == (
        f"A key of '{OWN}' may not link records to channel {ids[OTHER]} of '{OTHER}'."
    )
    assert [e["loc"] for e in problem["errors"]] == [["body", "channel_id"]]
    assert_problem(client.post(URL, json=airing(channel_id=987654321), headers=headers), 422)
    assert counts(session) == before

    admin = client.post(URL, json=airing(channel_id=ids[OTHER]), headers=admin_headers)
    assert admin.status_code == 201, admin.text


def test_batch_rejects_only_the_items_on_another_communes_station(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    ids = stations(client, admin_headers)
    relayed = provincial_product(client, admin_headers)
    headers = key_headers(session, OWN)

    def item(n: int, **overrides: Any) -> dict[str, Any]:
        return airing(source="loa-ip", external_id=f"b-{n}", **overrides)

    items = [
        item(0, channel_id=ids[OWN]),
        item(1, channel_id=ids[OTHER]),  # another commune's station
        item(2, channel_id=ids[TEAM], media_product_id=relayed, origin="provincial"),
        item(3, channel_id=987654321),  # no such channel
        item(4, channel_id=ids[OTHER], agency_code=TEAM),  # still the other commune's
        item(5),
    ]
    before = count_rows(session, Broadcast)
    response = client.post(f"{URL}/batch", json={"items": items}, headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["items"]
    assert [r["outcome"] for r in results] == [
        "created",
        "rejected",
        "created",
        "rejected",
        "rejected",
        "created",
    ]
    assert [results[i]["problem"]["status"] for i in (1, 3, 4)] == [403, 422, 403]
    problem = results[1]["problem"]
    single = client.post(URL, json=items[1], headers=headers).json()
    assert (problem["type"], problem["detail"]) == (single["type"], single["detail"])
    assert [e["loc"] for e in problem["errors"]] == [["body", "items", 1, "channel_id"]]
    assert count_rows(session, Broadcast) == before + 3

    admin = client.post(f"{URL}/batch", json={"items": [items[1]]}, headers=admin_headers)
    assert [r["outcome"] for r in admin.json()["items"]] == ["created"]


def test_patch_checks_the_station_only_when_it_changes(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """An airing an admin put on another commune's station stays editable by the commune's
    key; moving it there again is refused."""
    ids = stations(client, admin_headers)
    made = client.post(URL, json=airing(channel_id=ids[OTHER]), headers=admin_headers)
    assert made.status_code == 201, made.text
    url = f"{URL}/{made.json()['id']}"
    headers = key_headers(session, OWN)

    untouched = client.patch(url, json={"duration_seconds": 1200}, headers=headers)
    assert (untouched.status_code, untouched.json()["channel_id"]) == (200, ids[OTHER])
    restated = client.patch(
        url, json={"channel_id": ids[OTHER], "loudspeaker_clusters": 3}, headers=headers
    )
    assert restated.status_code == 200, restated.text
    moved = client.patch(url, json={"channel_id": ids[TEAM]}, headers=headers)
    assert (moved.status_code, moved.json()["channel_id"]) == (200, ids[TEAM])

    before, stored = counts(session), client.get(url, headers=admin_headers).json()
    back = {"channel_id": ids[OTHER], "duration_seconds": 60}
    problem = assert_problem(client.patch(url, json=back, headers=headers), 403)
    assert [e["loc"] for e in problem["errors"]] == [["body", "channel_id"]]
    assert counts(session) == before
    assert client.get(url, headers=admin_headers).json() == stored

    admin = client.patch(url, json=back, headers=admin_headers)
    assert (admin.status_code, admin.json()["channel_id"]) == (200, ids[OTHER])
