"""A key links its media products only to channels of agencies it may write: its own, those
under it (a commune's digital team), or, for an admin key, any."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.media_products.models import MediaProduct, MediaProductChannel
from tests.channels.factories import count_rows, key_headers, make_channel
from tests.helpers import assert_problem

URL = "/api/v1/media-products"
OWN, TEAM, OTHER = "xa-bao-lam", "to-cns-xa-bao-lam", "xa-ly-bon"


def product(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "kind": "article",
        "title": "Bảo Lâm phổ cập kỹ năng số cho người dân",
        "published_at": "2026-03-14T08:30:00+07:00",
        "topics": ["nq57"],
        **overrides,
    }


def channels(client: TestClient, admin_headers: dict[str, str]) -> dict[str, int]:
    """A page of the commune, one of its digital team and one of another commune."""
    return {
        code: make_channel(client, admin_headers, agency_code=code, kind="social_media")["id"]
        for code in (OWN, TEAM, OTHER)
    }


def counts(session: Session) -> tuple[int, int, int]:
    return (
        count_rows(session, MediaProduct),
        count_rows(session, MediaProductChannel),
        count_rows(session, AuditEvent),
    )


def test_single_push_links_only_channels_the_key_may_write(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    ids = channels(client, admin_headers)
    headers = key_headers(session, OWN)
    mine = client.post(URL, json=product(channel_ids=[ids[OWN], ids[TEAM]]), headers=headers)
    assert mine.status_code == 201, mine.text
    assert mine.json()["channel_ids"] == sorted([ids[OWN], ids[TEAM]])

    before = counts(session)
    body = product(title="Sang kênh xã khác", channel_ids=[ids[OWN], ids[OTHER]])
    problem = assert_problem(client.post(URL, json=body, headers=headers), 403)
    assert problem["detail"] == (
        f"A key of '{OWN}' may not link records to channel {ids[OTHER]} of '{OTHER}'."
    )
    assert [e["loc"] for e in problem["errors"]] == [["body", "channel_ids", 1]]
    # An unknown channel is still invalid input, checked before the owners.
    unknown = product(channel_ids=[ids[OTHER], 987654321])
    assert_problem(client.post(URL, json=unknown, headers=headers), 422)
    assert counts(session) == before

    linked = client.post(URL, json=body, headers=admin_headers)
    assert linked.status_code == 201, linked.text
    assert linked.json()["channel_ids"] == sorted([ids[OWN], ids[OTHER]])


def test_batch_rejects_only_the_item_linking_another_communes_channel(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    ids = channels(client, admin_headers)
    items = [
        product(source="cong-xa", external_id="1", channel_ids=[ids[OWN]]),
        product(source="cong-xa", external_id="2", channel_ids=[ids[TEAM], ids[OTHER]]),
        product(source="cong-xa", external_id="3", channel_ids=[ids[TEAM]]),
    ]
    before = counts(session)
    response = client.post(f"{URL}/batch", json={"items": items}, headers=key_headers(session, OWN))
    assert response.status_code == 200, response.text
    results = response.json()["items"]
    assert [r["outcome"] for r in results] == ["created", "rejected", "created"]
    problem = results[1]["problem"]
    assert (problem["status"], problem["type"].rsplit("/", 1)[1]) == (403, "forbidden")
    assert f"channel {ids[OTHER]} of '{OTHER}'" in problem["detail"]
    assert [e["loc"] for e in problem["errors"]] == [["body", "items", 1, "channel_ids", 1]]
    products, links, _ = counts(session)
    assert (products, links) == (before[0] + 2, before[1] + 2)

    admin = client.post(f"{URL}/batch", json={"items": [items[1]]}, headers=admin_headers)
    assert [r["outcome"] for r in admin.json()["items"]] == ["created"]


def test_patch_checks_only_the_links_it_adds(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """A link an admin made stays until someone removes it; the commune's key may keep it
    or drop it, and edit the rest, but not add it back."""
    ids = channels(client, admin_headers)
    made = client.post(URL, json=product(channel_ids=[ids[OTHER]]), headers=admin_headers)
    assert made.status_code == 201, made.text
    url = f"{URL}/{made.json()['id']}"
    headers = key_headers(session, OWN)

    untouched = client.patch(url, json={"views": 120}, headers=headers)
    assert (untouched.status_code, untouched.json()["channel_ids"]) == (200, [ids[OTHER]])
    kept = client.patch(url, json={"channel_ids": [ids[OTHER], ids[OWN]]}, headers=headers)
    assert kept.status_code == 200, kept.text
    dropped = client.patch(url, json={"channel_ids": [ids[TEAM]]}, headers=headers)
    assert (dropped.status_code, dropped.json()["channel_ids"]) == (200, [ids[TEAM]])

    before, stored = counts(session), client.get(url, headers=admin_headers).json()
    again = {"title": "Thêm lại kênh xã khác", "channel_ids": [ids[TEAM], ids[OTHER]]}
    problem = assert_problem(client.patch(url, json=again, headers=headers), 403)
    assert [e["loc"] for e in problem["errors"]] == [["body", "channel_ids", 1]]
    assert counts(session) == before
    assert client.get(url, headers=admin_headers).json() == stored

    admin = client.patch(url, json=again, headers=admin_headers)
    assert (admin.status_code, admin.json()["channel_ids"]) == (200, sorted(again["channel_ids"]))
