"""Status keeps what it computes from the catalogue, the figures and the training under
the data's version (app/core/data_versions.py, app/status/inputs.py). Every way of
changing that data must show in the next answer: through the API, in SQL by hand, and
after a transaction that was rolled back.
"""

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.data_versions import DOMAINS, read_versions
from app.status import service as status_service
from app.status.inputs import ResultCache
from tests.indicators.scenario import Scenario

AS_OF = {"period": "2026", "as_of": "2026-06-30"}


def _value(s: Scenario, code: str) -> tuple[float, float]:
    status = s.status(code, **AS_OF)
    return status["numerator"], status["denominator"]


def test_figure_writes_show_at_once(client: TestClient, admin_headers: dict[str, str]) -> None:
    s = Scenario(client, admin_headers)
    s.figure("staff_total", "so-khcn", "2026", 50)
    assert _value(s, "T2026-1") == (0, 50)
    made = s.figure("staff_briefed", "so-khcn", "2026", 20)
    assert _value(s, "T2026-1") == (20, 50)
    url = f"/api/v1/figures/{made['id']}"
    etag = client.get(url, headers=admin_headers).headers["etag"]
    patched = client.patch(url, json={"value": 30}, headers={**admin_headers, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    assert _value(s, "T2026-1") == (30, 50)
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert _value(s, "T2026-1") == (0, 50)


def test_training_writes_show_at_once(client: TestClient, admin_headers: dict[str, str]) -> None:
    s = Scenario(client, admin_headers)
    s.figure("comms_staff_total", "so-khcn", "2026", 10)
    assert _value(s, "T2030-9") == (0, 10)
    attendance = [{"agency_code": "so-khcn", "audience": "comms_staff", "participants": 4}]
    made = s.training("2026-04-04", audiences=["comms_staff"], attendance=attendance)
    assert _value(s, "T2030-9") == (4, 10)
    url = f"/api/v1/training-sessions/{made['id']}"
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert _value(s, "T2030-9") == (0, 10)


def test_catalogue_writes_show_at_once(client: TestClient, admin_headers: dict[str, str]) -> None:
    s = Scenario(client, admin_headers)
    assert _value(s, "T2026-5")[1] == 56
    created = client.post(
        "/api/v1/agencies",
        json={
            "code": "xa-moi",
            "name": "UBND xã Mới",
            "kind": "commune",
            "parent_code": "ubnd-tinh",
        },
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    assert _value(s, "T2026-5")[1] == 57
    patched = client.patch(
        "/api/v1/agency-groups/he-thong-ttcs",
        json={"member_kinds": ["ward"]},
        headers=admin_headers,
    )
    assert patched.status_code == 200, patched.text
    assert _value(s, "T2026-5")[1] == 3


def test_writes_in_sql_show_at_once(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """The versions are kept by triggers, not by the service's own code."""
    s = Scenario(client, admin_headers)
    s.figure("staff_total", "so-khcn", "2026", 50)
    s.figure("staff_briefed", "so-khcn", "2026", 20)
    assert _value(s, "T2026-1") == (20, 50)
    session.execute(sa.text("UPDATE figure SET value = 45 WHERE metric = 'staff_briefed'"))
    session.commit()
    assert _value(s, "T2026-1") == (45, 50)
    session.execute(sa.text("DELETE FROM agency_group_member"))
    session.execute(sa.text("UPDATE agency_group SET member_kinds = ''"))
    session.commit()
    assert _value(s, "T2026-1") == (0, 0)


def test_every_domain_gets_a_new_version_per_write(session: Session) -> None:
    before = read_versions(session)
    assert set(before) == set(DOMAINS)
    session.execute(sa.text("UPDATE agency SET name = name WHERE code = 'so-khcn'"))
    after = read_versions(session)
    assert after["catalogue"] != before["catalogue"]
    assert (after["figures"], after["training"]) == (before["figures"], before["training"])


def test_a_version_seen_in_a_rolled_back_transaction_does_not_come_back(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """A status read inside a transaction that is then rolled back keeps a result under
    that transaction's version: no later transaction may get the same version."""
    s = Scenario(client, admin_headers)
    s.figure("staff_total", "so-khcn", "2026", 50)

    def evaluated() -> tuple[float, float]:
        status = status_service.indicator_status(
            session, plan_code="kh-209-2026", code="T2026-1", **AS_OF
        )
        return status.numerator, status.denominator

    seen: list[Any] = []
    for value in (10, 30):
        savepoint = session.begin_nested()
        session.execute(
            sa.text(
                "INSERT INTO figure (metric, agency_code, period, period_start, period_end,"
                " value, version, created_at, updated_at) VALUES ('staff_briefed', 'so-khcn',"
                " '2026', '2026-01-01', '2026-12-31', :value, 1, '2026-01-05', '2026-01-05')"
            ),
            {"value": value},
        )
        seen.append(read_versions(session)["figures"])
        assert evaluated() == (value, 50)
        savepoint.rollback()
    assert seen[0] != seen[1]
    assert evaluated() == (0, 50)


def test_the_results_kept_are_bounded_by_the_agencies_they_hold() -> None:
    cache = ResultCache(max_agencies=10)
    cache.put("a", {"x": 1, "y": 2})  # 3 with the entry itself
    cache.put("b", ({"x": 1.0}, {"x": "roster"}))  # 3
    assert cache.get("a") == {"x": 1, "y": 2}  # now the most recently used
    cache.put("c", ["p", "q", "r"])  # 4: 10 in all, still within
    assert cache.get("b") is not None
    cache.put("d", ["s"])  # 2 more: the least recently used ("a") goes
    assert cache.get("a") is None
    assert [cache.get(key) is not None for key in ("b", "c", "d")] == [True, True, True]
    cache.put("e", list(range(50)))  # alone above the bound: kept, the others go
    assert cache.get("e") is not None
    assert [cache.get(key) for key in ("b", "c", "d")] == [None, None, None]
