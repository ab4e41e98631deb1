import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.core.idempotency_record import IdempotencyRecord
from app.core.vocab import Scope
from tests.auth.factories import make_key
from tests.helpers import assert_problem, list_all

URL = "/api/v1/api-keys"
PUBLIC_FIELDS = {
    "id",
    "prefix",
    "name",
    "agency_code",
    "scopes",
    "expires_at",
    "revoked_at",
    "last_used_at",
    "created_at",
}


def _create(client: TestClient, headers: dict[str, str], **overrides: object) -> dict:  # type: ignore[type-arg]
    body = {
        "agency_code": "xa-bao-lam",
        "scopes": ["write", "read"],
        "name": "Phần mềm truyền thanh xã Bảo Lâm",
        **overrides,
    }
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_shows_the_secret_once_and_it_works(
    client: TestClient, admin_headers: dict[str, str], session: Session
) -> None:
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    response = client.post(
        URL,
        json={
            "agency_code": "xa-bao-lam",
            "scopes": ["write", "read", "write"],
            "name": "Phần mềm truyền thanh xã Bảo Lâm",
            "expires_at": expires.astimezone().isoformat(),
        },
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    assert set(created) == PUBLIC_FIELDS | {"key"}
    assert created["key"].startswith(f"nq57_{created['prefix']}_")
    assert created["scopes"] == ["read", "write"]
    assert created["agency_code"] == "xa-bao-lam"
    assert created["revoked_at"] is None and created["last_used_at"] is None
    assert datetime.fromisoformat(created["expires_at"]) == expires
    assert response.headers["location"] == f"{URL}/{created['prefix']}"

    row = session.exec(select(ApiKey).where(ApiKey.prefix == created["prefix"])).one()
    assert created["key"] not in row.secret_hash, "only the hash is stored"
    assert row.secret_hash != created["key"]

    # The key is an admin-less write key: it may read records but not the key list.
    new_headers = {"Authorization": f"Bearer {created['key']}"}
    assert_problem(client.get(URL, headers=new_headers), 403)


def test_no_response_or_audit_event_ever_holds_the_secret_or_its_hash(
    client: TestClient, admin_headers: dict[str, str], session: Session
) -> None:
    created = _create(client, admin_headers)
    secret, prefix = created["key"], created["prefix"]
    secret_hash = session.exec(select(ApiKey.secret_hash).where(ApiKey.prefix == prefix)).one()
    texts = [
        client.get(URL, headers=admin_headers).text,
        client.get(f"{URL}/{prefix}", headers=admin_headers).text,
        client.post(f"{URL}/{prefix}/revoke", headers=admin_headers).text,
        client.get(URL, params={"revoked": "true"}, headers=admin_headers).text,
        client.get(
            "/api/v1/audit-events", params={"entity": "api_key"}, headers=admin_headers
        ).text,
    ]
    for text in texts:
        assert secret not in text
        assert secret_hash not in text
        assert "secret_hash" not in text
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_id == prefix)).all()
    assert [e.action for e in events] == ["create", "revoke"]
    for event in events:
        dumped = json.dumps([event.before, event.after])
        assert "secret_hash" not in dumped and secret_hash not in dumped and secret not in dumped
    # Nor is it kept by the idempotency store (see tests/core/test_idempotency.py).
    assert session.exec(select(IdempotencyRecord)).all() == []


def test_list_filters_and_pagination(
    client: TestClient, admin_headers: dict[str, str], session: Session
) -> None:
    bao_lam = _create(client, admin_headers, name="A")
    read_only = _create(client, admin_headers, name="B", scopes=["read"])
    other = _create(client, admin_headers, name="C", agency_code="bao-ptth-cb")
    client.post(f"{URL}/{other['prefix']}/revoke", headers=admin_headers)

    everything = list_all(client, URL, headers=admin_headers, limit=1)
    prefixes = [k["prefix"] for k in everything]
    assert prefixes == [bao_lam["prefix"], read_only["prefix"], other["prefix"]]
    assert all(set(k) == PUBLIC_FIELDS for k in everything)

    def prefixes_of(**params: str) -> list[str]:
        return [k["prefix"] for k in list_all(client, URL, headers=admin_headers, **params)]

    assert prefixes_of(agency="xa-bao-lam") == [bao_lam["prefix"], read_only["prefix"]]
    assert prefixes_of(revoked="true") == [other["prefix"]]
    assert prefixes_of(revoked="false") == [bao_lam["prefix"], read_only["prefix"]]
    assert prefixes_of(scope="write") == [bao_lam["prefix"], other["prefix"]]
    assert prefixes_of(agency="khong-co") == []
    assert_problem(client.get(URL, params={"scope": "root"}, headers=admin_headers), 422)
    assert_problem(client.get(URL, params={"cursor": "nonsense"}, headers=admin_headers), 422)


def test_get_and_revoke(client: TestClient, admin_headers: dict[str, str]) -> None:
    created = _create(client, admin_headers)
    prefix = created["prefix"]
    got = client.get(f"{URL}/{prefix}", headers=admin_headers)
    assert got.status_code == 200
    assert got.json() == {k: v for k, v in created.items() if k != "key"}

    revoked = client.post(f"{URL}/{prefix}/revoke", headers=admin_headers)
    assert revoked.status_code == 200, revoked.text
    revoked_at = revoked.json()["revoked_at"]
    assert revoked_at is not None
    again = client.post(f"{URL}/{prefix}/revoke", headers=admin_headers)
    assert again.json()["revoked_at"] == revoked_at, "revoking twice changes nothing"

    assert_problem(client.get(f"{URL}/000000000000", headers=admin_headers), 404)
    assert_problem(client.post(f"{URL}/000000000000/revoke", headers=admin_headers), 404)
    assert_problem(client.get(f"{URL}/{'a' * 17}", headers=admin_headers), 422)


def test_only_admins_manage_keys(
    client: TestClient, admin_headers: dict[str, str], session: Session
) -> None:
    prefix, writer = make_key(session)
    _, admin_key = make_key(session, agency_code="so-vhttdl", scopes=(Scope.admin,))
    body = {"agency_code": "xa-bao-lam", "scopes": ["admin"], "name": "leo thang"}
    for headers, status in (({}, 401), (writer, 403)):
        assert_problem(client.get(URL, headers=headers), status)
        assert_problem(client.get(f"{URL}/{prefix}", headers=headers), status)
        assert_problem(client.post(URL, json=body, headers=headers), status)
        assert_problem(client.post(f"{URL}/{prefix}/revoke", headers=headers), status)
    assert session.exec(select(ApiKey).where(ApiKey.name == "leo thang")).all() == []
    assert client.get(f"{URL}/{prefix}", headers=writer).status_code == 403
    # An admin key (not only the bootstrap one) may.
    assert client.get(f"{URL}/{prefix}", headers=admin_key).json()["revoked_at"] is None
    assert _create(client, admin_key)["agency_code"] == "xa-bao-lam"


def test_bad_input_on_create(client: TestClient, admin_headers: dict[str, str]) -> None:
    good = {"agency_code": "xa-bao-lam", "scopes": ["read"], "name": "x"}
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    cases = [
        ({**good, "agency_code": "khong-co"}, "agency_code"),
        ({**good, "agency_code": "Bad Code"}, "agency_code"),
        ({**good, "scopes": []}, "scopes"),
        ({**good, "scopes": ["root"]}, "scopes"),
        ({**good, "scopes": ["read"] * 4}, "scopes"),
        ({**good, "name": ""}, "name"),
        ({**good, "name": "x" * 201}, "name"),
        ({**good, "name": "x\u0000"}, "name"),
        ({**good, "expires_at": "2030-01-01T00:00:00"}, "expires_at"),
        ({**good, "expires_at": past}, "expires_at"),
        ({**good, "expires_at": "tomorrow"}, "expires_at"),
        ({**good, "secret_hash": "0" * 64}, "secret_hash"),
        ({k: v for k, v in good.items() if k != "scopes"}, "scopes"),
    ]
    for body, field in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert any(field in err["loc"] for err in problem["errors"]), (body, problem)
    assert_problem(
        client.post(
            URL,
            content=b"{not json",
            headers={**admin_headers, "Content-Type": "application/json"},
        ),
        400,
    )
    assert list_all(client, URL, headers=admin_headers) == []
