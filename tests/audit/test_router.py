from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.core.vocab import Scope
from tests.auth.factories import make_key
from tests.helpers import assert_problem, list_all, make_agency

URL = "/api/v1/audit-events"
ITEM_FIELDS = {
    "id",
    "occurred_at",
    "actor",
    "actor_key_id",
    "agency_code",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "request_id",
}


def test_only_admins_read_the_trail(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    _, writer = make_key(session)
    _, admin_key = make_key(session, agency_code="so-vhttdl", scopes=(Scope.admin,))
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(URL, headers=writer), 403)
    assert client.get(URL, headers=admin_key).status_code == 200
    assert client.get(URL, headers=admin_headers).status_code == 200


def test_writes_leave_events_with_before_after_and_request_id(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    headers = {**admin_headers, "X-Request-ID": "req-audit-1"}
    make_agency(client, headers)
    patched = client.patch(
        "/api/v1/agencies/xa-thu-nghiem", json={"name": "UBND xã Đổi Tên"}, headers=admin_headers
    )
    assert patched.status_code == 200
    events = list_all(client, URL, headers=admin_headers, entity_id="xa-thu-nghiem")
    assert [e["action"] for e in events] == ["create", "update"]
    created, updated = events
    assert set(created) == ITEM_FIELDS
    assert created["entity"] == "agency"
    assert created["actor"] == "bootstrap-admin"
    assert created["actor_key_id"] is None
    assert created["agency_code"] == "xa-thu-nghiem"
    assert created["request_id"] == "req-audit-1"
    assert created["before"] is None
    assert created["after"]["name"] == "UBND xã Thử Nghiệm"
    assert updated["before"]["name"] == "UBND xã Thử Nghiệm"
    assert updated["after"]["name"] == "UBND xã Đổi Tên"
    assert updated["request_id"] != "req-audit-1"
    assert datetime.fromisoformat(created["occurred_at"]).utcoffset() is not None


def test_filters(client: TestClient, session: Session, admin_headers: dict[str, str]) -> None:
    # A national administrator's key (a national body's): groups are national.
    national = {"code": "bo-vhttdl", "kind": "central_body", "parent_code": None}
    make_agency(client, admin_headers, name="Bộ Văn hóa, Thể thao và Du lịch", **national)
    prefix, admin_key = make_key(session, agency_code="bo-vhttdl", scopes=(Scope.admin,))
    make_agency(client, admin_headers, code="xa-loc-mot", name="Xã Lọc Một")
    make_agency(client, admin_key, code="xa-loc-hai", name="Xã Lọc Hai")
    group = {"code": "nhom-loc", "name": "Nhóm lọc", "members": ["xa-loc-mot"]}
    assert client.post("/api/v1/agency-groups", json=group, headers=admin_key).status_code == 201
    assert client.delete("/api/v1/agency-groups/nhom-loc", headers=admin_key).status_code == 204

    def ids(**params: str) -> list[str]:
        events = list_all(client, URL, headers=admin_headers, **params)
        return [f"{e['action']}:{e['entity']}:{e['entity_id']}" for e in events]

    assert ids(entity="agency_group", entity_id="nhom-loc") == [
        "create:agency_group:nhom-loc",
        "delete:agency_group:nhom-loc",
    ]
    assert ids(entity="agency", entity_id="xa-loc-hai") == ["create:agency:xa-loc-hai"]
    assert ids(agency="xa-loc-mot") == ["create:agency:xa-loc-mot"]
    by_key = [
        "create:agency:xa-loc-hai",
        "create:agency_group:nhom-loc",
        "delete:agency_group:nhom-loc",
    ]
    assert ids(actor=prefix) == by_key
    assert ids(actor=f"key:{prefix}") == by_key
    assert ids(actor="system", entity="api_key", entity_id=prefix) == [f"create:api_key:{prefix}"]
    assert ids(action="delete", actor=prefix) == ["delete:agency_group:nhom-loc"]
    assert ids(action="create", entity="agency", actor="bootstrap-admin")[-1:] == [
        "create:agency:xa-loc-mot"
    ]
    assert ids(entity="khong-co") == []
    key_events = list_all(client, URL, headers=admin_headers, actor=prefix)
    key_id = key_events[0]["actor_key_id"]
    assert key_id is not None
    assert all(e["actor_key_id"] == key_id for e in key_events)


def test_from_to_are_local_days(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    make_agency(client, admin_headers)
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == "xa-thu-nghiem")).one()
    # 17:30 UTC on 1 March is 00:30 on 2 March in Cao Bằng.
    event.occurred_at = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    session.add(event)
    session.commit()

    def found(**params: str) -> bool:
        events = list_all(client, URL, headers=admin_headers, entity_id="xa-thu-nghiem", **params)
        return bool(events)

    assert found(**{"from": "2026-03-02", "to": "2026-03-02"})
    assert found(**{"from": "2026-03-02"})
    assert found(to="2026-03-02")
    assert not found(to="2026-03-01")
    assert not found(**{"from": "2026-03-03"})
    item = list_all(client, URL, headers=admin_headers, entity_id="xa-thu-nghiem")[0]
    assert item["occurred_at"] in ("2026-03-01T17:30:00Z", "2026-03-01T17:30:00+00:00")


def test_pagination_is_stable_by_id(client: TestClient, admin_headers: dict[str, str]) -> None:
    for n in range(5):
        make_agency(client, admin_headers, code=f"xa-trang-{n}", name=f"Xã Trang {n}")
    paged = list_all(client, URL, headers=admin_headers, limit=2)
    whole = list_all(client, URL, headers=admin_headers)
    assert [e["id"] for e in paged] == [e["id"] for e in whole]
    assert [e["id"] for e in whole] == sorted(e["id"] for e in whole)
    assert len({e["id"] for e in paged}) == len(paged) >= 5


def test_bad_query_is_422(client: TestClient, admin_headers: dict[str, str]) -> None:
    for params in (
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"from": "yesterday"},
        {"entity": "x" * 41},
        {"entity_id": "x" * 121},
        {"actor": "x" * 121},
        {"action": "x" * 21},
        {"agency": "x" * 81},
        {"limit": "0"},
        {"limit": "501"},
        {"cursor": "%%%"},
    ):
        assert_problem(client.get(URL, params=params, headers=admin_headers), 422)


def test_seeded_trail_is_listed(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    total = len(session.exec(select(col(AuditEvent.id))).all())
    assert len(list_all(client, URL, headers=admin_headers)) == total
