import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.agencies.models import Agency, AgencyGroup
from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.core.idempotency import IN_FLIGHT_MARGIN, RETENTION, request_fingerprint
from app.core.idempotency_record import IdempotencyRecord
from app.core.types import utcnow
from app.core.vocab import Scope
from tests.auth.factories import make_key
from tests.helpers import assert_problem

AGENCIES = "/api/v1/agencies"
GROUPS = "/api/v1/agency-groups"
AGENCY = {"code": "xa-lap-lai", "name": "UBND xã Lặp Lại", "kind": "commune"}


def _post(
    client: TestClient,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    key: str | None = None,
) -> Response:
    extra = {"Idempotency-Key": key} if key is not None else {}
    extra["Content-Type"] = "application/json"
    return client.post(url, content=json.dumps(body), headers={**headers, **extra})


def _agencies(session: Session, code: str) -> int:
    return len(session.exec(select(Agency).where(Agency.code == code)).all())


def test_a_retry_replays_the_first_response(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    first = _post(client, AGENCIES, AGENCY, admin_headers, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = _post(client, AGENCIES, AGENCY, admin_headers, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    for header in ("content-type", "location", "etag"):
        assert again.headers[header] == first.headers[header]
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert _agencies(session, "xa-lap-lai") == 1
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_id == "xa-lap-lai")).all()
    assert len(events) == 1, "the replay wrote nothing"

    record = session.exec(select(IdempotencyRecord)).one()
    assert record.client == "bootstrap-admin"
    assert record.completed and record.response_status == 201
    assert "x-request-id" not in (record.response_headers or {})
    assert record.expires_at > utcnow() + RETENTION - timedelta(minutes=5)


def test_without_a_key_nothing_is_stored(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    assert _post(client, AGENCIES, AGENCY, admin_headers).status_code == 201
    assert_problem(_post(client, AGENCIES, AGENCY, admin_headers), 409)
    assert session.exec(select(IdempotencyRecord)).all() == []


def test_same_key_other_payload_is_422(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    assert _post(client, AGENCIES, AGENCY, admin_headers, "k-1").status_code == 201
    other = {**AGENCY, "code": "xa-khac", "name": "UBND xã Khác"}
    problem = assert_problem(_post(client, AGENCIES, other, admin_headers, "k-1"), 422)
    assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert _agencies(session, "xa-khac") == 0
    # Another path, or another query string, is another payload too.
    group = {"code": "nhom-lap-lai", "name": "Nhóm lặp lại"}
    assert_problem(_post(client, GROUPS, group, admin_headers, "k-1"), 422)
    assert_problem(_post(client, AGENCIES + "?x=1", AGENCY, admin_headers, "k-1"), 422)


def test_keys_belong_to_their_client(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    # A national administrator's key (a national body's): groups are national.
    session.add(
        Agency(code="bo-vhttdl", name="Bộ Văn hóa, Thể thao và Du lịch", kind="central_body")
    )
    session.commit()
    prefix, admin_key = make_key(session, agency_code="bo-vhttdl", scopes=(Scope.admin,))
    group = {"code": "nhom-mot", "name": "Nhóm một"}
    other = {"code": "nhom-hai", "name": "Nhóm hai"}
    assert _post(client, GROUPS, group, admin_headers, "shared").status_code == 201
    second = _post(client, GROUPS, other, admin_key, "shared")
    assert second.status_code == 201, second.text
    assert "idempotent-replayed" not in second.headers
    replay = _post(client, GROUPS, other, admin_key, "shared")
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["code"] == "nhom-hai"
    clients = {r.client for r in session.exec(select(IdempotencyRecord)).all()}
    assert clients == {"bootstrap-admin", prefix}
    assert len(session.exec(select(AgencyGroup).where(AgencyGroup.code == "nhom-hai")).all()) == 1


def test_errors_are_not_stored_so_the_client_can_fix_and_retry(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    bad = {**AGENCY, "kind": "planet"}
    assert_problem(_post(client, AGENCIES, bad, admin_headers, "fix-me"), 422)
    assert session.exec(select(IdempotencyRecord)).all() == []
    fixed = _post(client, AGENCIES, AGENCY, admin_headers, "fix-me")
    assert fixed.status_code == 201, fixed.text
    # A 409 (the code exists) is not stored either.
    assert_problem(_post(client, AGENCIES, AGENCY, admin_headers, "dup"), 409)
    assert session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "dup")).all() == []
    # Nor a 401/403: the request never reached the route with that client.
    assert_problem(_post(client, AGENCIES, AGENCY, {}, "anon"), 401)
    _, reader = make_key(session, scopes=(Scope.read,))
    assert_problem(_post(client, AGENCIES, AGENCY, reader, "ro"), 403)
    bogus = {"Authorization": "Bearer nq57_000000000000_x"}
    assert_problem(_post(client, AGENCIES, AGENCY, bogus, "bogus"), 401)
    assert len(session.exec(select(IdempotencyRecord)).all()) == 1


def test_a_request_in_flight_is_409(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = json.dumps(AGENCY).encode()
    session.add(
        IdempotencyRecord(
            client="bootstrap-admin",
            key="busy",
            request_hash=request_fingerprint("POST", AGENCIES, b"", body),
            method="POST",
            path=AGENCIES,
            completed=False,
            expires_at=utcnow() + IN_FLIGHT_MARGIN,
        )
    )
    session.commit()
    response = _post(client, AGENCIES, AGENCY, admin_headers, "busy")
    assert_problem(response, 409)
    assert response.headers["retry-after"] == "1"
    assert _agencies(session, "xa-lap-lai") == 0
    # Another payload with that key is a client bug whatever the state: 422.
    assert_problem(_post(client, AGENCIES, {**AGENCY, "name": "Khác"}, admin_headers, "busy"), 422)


def test_expired_records_are_not_replayed_and_are_purged(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = json.dumps(AGENCY).encode()
    fingerprint = request_fingerprint("POST", AGENCIES, b"", body)
    past = utcnow() - timedelta(seconds=1)
    session.add(
        IdempotencyRecord(
            client="bootstrap-admin",
            key="old",
            request_hash=fingerprint,
            method="POST",
            path=AGENCIES,
            completed=True,
            response_status=201,
            response_headers={"content-type": "application/json"},
            response_body=b'{"stale": true}',
            expires_at=past,
        )
    )
    # A claim whose worker died: its lease ran out.
    session.add(
        IdempotencyRecord(
            client="someone",
            key="dead",
            request_hash="0" * 64,
            method="POST",
            path=AGENCIES,
            expires_at=past,
        )
    )
    session.commit()
    response = _post(client, AGENCIES, AGENCY, admin_headers, "old")
    assert response.status_code == 201, response.text
    assert "idempotent-replayed" not in response.headers
    assert response.json()["code"] == "xa-lap-lai"
    records = session.exec(select(IdempotencyRecord)).all()
    assert [(r.key, r.completed) for r in records] == [("old", True)]


def test_invalid_keys_are_422(client: TestClient, admin_headers: dict[str, str]) -> None:
    for key in ("x" * 201, "", "   ", "caf\xe9", "tab\there", "k\x7f"):
        raw = key.encode("latin-1")
        response = client.post(
            AGENCIES, json=AGENCY, headers={**admin_headers, "Idempotency-Key": raw}
        )
        problem = assert_problem(response, 422)
        assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"], key
    response = client.post(
        AGENCIES, json=AGENCY, headers={**admin_headers, "Idempotency-Key": "\u1ea1".encode()}
    )
    assert_problem(response, 422)
    twice = client.post(
        AGENCIES,
        json=AGENCY,
        headers=[
            ("Authorization", admin_headers["Authorization"]),
            ("Idempotency-Key", "a"),
            ("Idempotency-Key", "b"),
        ],
    )
    assert_problem(twice, 422)
    assert client.get(f"{AGENCIES}/xa-lap-lai").status_code == 404
    longest = client.post(
        AGENCIES, json=AGENCY, headers={**admin_headers, "Idempotency-Key": "~" * 200}
    )
    assert longest.status_code == 201


def test_only_posts_under_the_api_are_concerned(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    assert _post(client, AGENCIES, AGENCY, admin_headers, "k").status_code == 201
    headers = {**admin_headers, "Idempotency-Key": "k"}
    patched = client.patch(f"{AGENCIES}/xa-lap-lai", json={"name": "Tên mới"}, headers=headers)
    assert patched.status_code == 200
    assert "idempotent-replayed" not in patched.headers
    got = client.get(f"{AGENCIES}/xa-lap-lai", headers=headers)
    assert got.json()["name"] == "Tên mới"
    assert len(session.exec(select(IdempotencyRecord)).all()) == 1


def test_a_new_api_key_secret_is_never_stored_nor_replayed(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = {"agency_code": "xa-bao-lam", "scopes": ["read"], "name": "Đài xã Bảo Lâm"}
    first = _post(client, "/api/v1/api-keys", body, admin_headers, "new-key")
    assert first.status_code == 201, first.text
    secret = first.json()["key"]
    record = session.exec(select(IdempotencyRecord)).one()
    assert secret.encode() not in (record.response_body or b"")
    assert secret not in json.dumps(record.response_headers)
    retry = _post(client, "/api/v1/api-keys", body, admin_headers, "new-key")
    problem = assert_problem(retry, 409)
    assert retry.headers["idempotent-replayed"] == "true"
    assert "secret" in problem["detail"]
    assert secret not in retry.text
    keys = session.exec(select(ApiKey).where(ApiKey.name == "Đài xã Bảo Lâm")).all()
    assert len(keys) == 1, "the retry issued no second key"


def test_body_limit_still_applies(client: TestClient, admin_headers: dict[str, str]) -> None:
    from app.core.config import get_settings

    big = b"x" * (get_settings().max_body_bytes + 1)
    response = client.post(
        AGENCIES,
        content=big,
        headers={**admin_headers, "Idempotency-Key": "big", "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


def test_authentication_comes_before_the_key(client: TestClient, session: Session) -> None:
    """Without valid credentials the answer is 401, whatever the key: nothing is claimed,
    so the same key works once the client sends its credentials."""
    # Someone else's anonymous use of the key (a shared Swagger example) is no business of
    # a request that has not authenticated.
    session.add(
        IdempotencyRecord(
            client="anonymous",
            key="anon-1",
            request_hash="0" * 64,
            method="POST",
            path=AGENCIES,
            completed=True,
            response_status=201,
            expires_at=utcnow() + RETENTION,
        )
    )
    session.commit()
    for headers in ({}, {"Authorization": "Bearer nq57_wrong_secret"}):
        for _ in range(2):
            assert_problem(_post(client, AGENCIES, AGENCY, headers, "anon-1"), 401)
    assert len(session.exec(select(IdempotencyRecord)).all()) == 1
    assert _agencies(session, "xa-lap-lai") == 0
