from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.channels.models import Channel
from app.core.service import local_today
from app.core.vocab import Scope
from tests.channels.factories import audit_events, count_rows, ids, key_headers, make_channel
from tests.helpers import assert_problem, list_all

URL = "/api/v1/channels"


def test_create_read_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = {
        "agency_code": "cong-ttdt-tinh",
        "kind": "portal_section",
        "name": "Chuyên mục Chuyển đổi số",
        "url": "https://caobang.gov.vn/chuyen-doi-so",
        "dedicated": True,
        "launched_on": "2026-02-15",
    }
    created = client.post(URL, json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers["push-outcome"] == "created"
    channel = created.json()
    assert created.headers["location"] == f"{URL}/{channel['id']}"
    assert channel["dedicated"] is True
    assert channel["active"] is True
    assert channel["source"] is None

    got = client.get(f"{URL}/{channel['id']}", headers=admin_headers)
    assert got.status_code == 200
    assert got.headers["etag"] == created.headers["etag"]
    etag = got.headers["etag"]

    patched = client.patch(
        f"{URL}/{channel['id']}",
        json={"closed_on": "2026-03-01"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["closed_on"] == "2026-03-01"
    assert patched.json()["active"] is False
    assert patched.headers["etag"] != etag
    stale = client.patch(
        f"{URL}/{channel['id']}", json={"name": "x"}, headers={**admin_headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    assert_problem(
        client.delete(f"{URL}/{channel['id']}", headers={**admin_headers, "If-Match": etag}), 412
    )

    deleted = client.delete(f"{URL}/{channel['id']}", headers=admin_headers)
    assert deleted.status_code == 204
    assert_problem(client.get(f"{URL}/{channel['id']}", headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/{channel['id']}", headers=admin_headers), 404)
    events = audit_events(session, "channel", channel["id"])
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].before is not None and events[1].before["closed_on"] is None
    assert events[1].after is not None and events[1].after["closed_on"] == "2026-03-01"
    assert events[2].before is not None and events[2].after is None


def test_records_need_a_key(client: TestClient) -> None:
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(f"{URL}/1"), 401)


def test_filters(client: TestClient, admin_headers: dict[str, str]) -> None:
    today = local_today()
    station = make_channel(client, admin_headers, launched_on="2025-07-01")
    section = make_channel(
        client,
        admin_headers,
        agency_code="cong-ttdt-tinh",
        kind="portal_section",
        name="Chuyên mục Chuyển đổi số tỉnh Cao Bằng",
        dedicated=True,
        launched_on="2026-02-15",
    )
    closed = make_channel(
        client,
        admin_headers,
        agency_code="bao-ptth-cb",
        kind="press_column",
        name="Chuyên mục Khoa học và Đời sống",
        launched_on="2020-01-01",
        closed_on=str(today - timedelta(days=1)),
    )
    future = make_channel(
        client,
        admin_headers,
        agency_code="bao-ptth-cb",
        kind="tv_programme",
        name="Chương trình Đổi mới sáng tạo",
        dedicated=True,
        launched_on=str(today + timedelta(days=10)),
    )
    mine = [station["id"], section["id"], closed["id"], future["id"]]

    def found(**params: object) -> list[int]:
        return [i for i in ids(list_all(client, URL, headers=admin_headers, **params)) if i in mine]

    assert found() == mine, "ordered by id"
    assert found(agency="bao-ptth-cb") == [closed["id"], future["id"]]
    assert found(kind="portal_section") == [section["id"]]
    assert found(kind=["press_column", "tv_programme"]) == [closed["id"], future["id"]]
    assert found(dedicated="true") == [section["id"], future["id"]]
    assert found(dedicated="false") == [station["id"], closed["id"]]
    assert found(active_on="2025-12-31") == [station["id"], closed["id"]]
    assert found(active_on=str(today)) == [station["id"], section["id"]]
    # closed_on is the day the outlet closed; launched_on its first day.
    assert closed["id"] in found(active_on=str(today - timedelta(days=2)))
    assert closed["id"] not in found(active_on=str(today - timedelta(days=1)))
    assert future["id"] not in found(active_on=str(today + timedelta(days=9)))
    assert future["id"] in found(active_on=str(today + timedelta(days=10)))
    assert found(q="chuyen doi so") == [section["id"]]
    assert found(q="KHOA HOC") == [closed["id"]]
    assert found(q="doi moi sang tao", dedicated="true") == [future["id"]]
    actives = {c["id"]: c["active"] for c in list_all(client, URL, headers=admin_headers)}
    assert [actives[i] for i in mine] == [True, True, False, False]


def test_push_semantics(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = {
        "agency_code": "xa-bao-lam",
        "kind": "loudspeaker_station",
        "name": "Đài truyền thanh xã Bảo Lâm",
        "source": "loa-ip-bao-lam",
        "external_id": "dai-1",
    }
    first = client.post(URL, json=body, headers=admin_headers)
    assert first.status_code == 201, first.text
    rows = count_rows(session, Channel)
    events = count_rows(session, AuditEvent)

    again = client.post(URL, json=body, headers=admin_headers)
    assert again.status_code == 200, again.text
    assert again.headers["push-outcome"] == "unchanged"
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert "location" not in again.headers
    assert count_rows(session, Channel) == rows
    assert count_rows(session, AuditEvent) == events

    changed = client.post(URL, json={**body, "dedicated": True}, headers=admin_headers)
    assert changed.status_code == 200, changed.text
    assert changed.headers["push-outcome"] == "updated"
    assert changed.json()["id"] == first.json()["id"]
    assert changed.json()["dedicated"] is True
    assert count_rows(session, Channel) == rows
    last = audit_events(session, "channel", first.json()["id"])[-1]
    assert last.action == "update"
    assert last.before is not None and last.before["dedicated"] is False
    assert last.after is not None and last.after["dedicated"] is True


def test_pagination_while_rows_are_inserted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for n in range(5):
        make_channel(client, admin_headers, name=f"Kênh {n}")
    seen: list[int] = []
    cursor = None
    inserted = 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params=params, headers=admin_headers).json()
        seen.extend(ids(page["items"]))
        if inserted < 3:
            make_channel(client, admin_headers, name=f"Kênh mới {inserted}")
            inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no channel is served twice"
    assert seen == ids(list_all(client, URL, headers=admin_headers)), "none is skipped"


def test_agency_bound_keys(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    own = make_channel(client, headers)
    team = make_channel(client, headers, agency_code="to-cns-xa-bao-lam", kind="social_media")
    assert team["agency_code"] == "to-cns-xa-bao-lam"

    other = key_headers(session, "xa-ly-bon")
    foreign = make_channel(client, other, agency_code="xa-ly-bon")
    rows, events = count_rows(session, Channel), count_rows(session, AuditEvent)
    body = {"agency_code": "xa-ly-bon", "kind": "loudspeaker_station", "name": "Đài Lý Bôn"}
    assert_problem(client.post(URL, json=body, headers=headers), 403)
    assert_problem(client.patch(f"{URL}/{foreign['id']}", json={"name": "x"}, headers=headers), 403)
    moved = client.patch(f"{URL}/{own['id']}", json={"agency_code": "xa-ly-bon"}, headers=headers)
    assert_problem(moved, 403)
    assert_problem(client.delete(f"{URL}/{foreign['id']}", headers=headers), 403)
    assert count_rows(session, Channel) == rows
    assert count_rows(session, AuditEvent) == events
    assert client.get(f"{URL}/{foreign['id']}", headers=headers).json()["name"] == foreign["name"]

    reader = key_headers(session, "xa-bao-lam", [Scope.read])
    assert client.get(f"{URL}/{own['id']}", headers=reader).status_code == 200
    assert_problem(
        client.post(URL, json={**body, "agency_code": "xa-bao-lam"}, headers=reader), 403
    )
    assert_problem(client.patch(f"{URL}/{own['id']}", json={"name": "x"}, headers=reader), 403)
    assert_problem(client.delete(f"{URL}/{own['id']}", headers=reader), 403)
    assert_problem(client.post(URL, json=body), 401)
    assert count_rows(session, Channel) == rows


def test_bad_input_on_writes(client: TestClient, admin_headers: dict[str, str]) -> None:
    good = {"agency_code": "xa-bao-lam", "kind": "loudspeaker_station", "name": "Đài"}
    cases = [
        {**good, "kind": "radio_tower"},
        {**good, "name": "Đài\u0000"},
        {**good, "name": ""},
        {**good, "name": "x" * 301},
        {**good, "url": "javascript:alert(1)"},
        {**good, "url": "https://x.vn/" + "a" * 2000},
        {**good, "launched_on": "2026-02-01", "closed_on": "2026-01-01"},
        {**good, "launched_on": "2026-13-01"},
        {**good, "dedicated": "maybe"},
        {**good, "agency_code": "khong-co"},
        {**good, "agency_code": "Not A Code"},
        {**good, "source": "cms"},
        {**good, "external_id": "1"},
        {**good, "source": "cms", "external_id": "x" * 201},
        {**good, "unknown": 1},
        {k: v for k, v in good.items() if k != "name"},
    ]
    for body in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    malformed = client.post(
        URL,
        content=b'{"agency_code": ',
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert_problem(malformed, 400)
    assert_problem(client.post(URL, json=[good], headers=admin_headers), 422)

    channel = make_channel(client, admin_headers, launched_on="2026-01-10")
    item = f"{URL}/{channel['id']}"
    for patch in [
        {"kind": "radio_tower"},
        {"name": None},
        {"name": "\u0000"},
        {"closed_on": "2026-01-01"},
        {"agency_code": "khong-co"},
        {"source": "cms"},
        {"dedicated": None},
    ]:
        assert_problem(client.patch(item, json=patch, headers=admin_headers), 422)
    malformed_patch = client.patch(
        item, content=b"{", headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert_problem(malformed_patch, 400)
    for bad_id in ("0", "-1", str(10**30), "abc"):
        assert_problem(client.get(f"{URL}/{bad_id}", headers=admin_headers), 422)
        assert_problem(client.patch(f"{URL}/{bad_id}", json={}, headers=admin_headers), 422)
        assert_problem(client.delete(f"{URL}/{bad_id}", headers=admin_headers), 422)
    assert_problem(client.patch(f"{URL}/999999", json={}, headers=admin_headers), 404)
    for params in [{"kind": "x"}, {"active_on": "yesterday"}, {"dedicated": "2"}, {"q": "x" * 201}]:
        assert_problem(client.get(URL, params=params, headers=admin_headers), 422)
    assert (
        client.get(f"{URL}/{channel['id']}", headers=admin_headers).json()["name"]
        == "Đài truyền thanh xã Bảo Lâm"
    )


def test_a_used_channel_cannot_be_deleted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    channel = make_channel(client, admin_headers)
    aired = client.post(
        "/api/v1/broadcasts",
        json={
            "agency_code": "xa-bao-lam",
            "channel_id": channel["id"],
            "title": "Bản tin chuyển đổi số",
            "origin": "local",
            "started_at": "2026-03-14T06:00:00+07:00",
            "duration_seconds": 600,
        },
        headers=admin_headers,
    )
    assert aired.status_code == 201, aired.text
    assert_problem(client.delete(f"{URL}/{channel['id']}", headers=admin_headers), 409)
    assert client.get(f"{URL}/{channel['id']}", headers=admin_headers).status_code == 200
