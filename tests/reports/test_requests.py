"""Ad-hoc (đột xuất) report requests and the reports that answer them."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.reports.models import ReportRequest
from tests.channels.factories import count_rows
from tests.helpers import assert_problem, list_all
from tests.plans.factories import audit_actions
from tests.reports.helpers import PLAN, REPORTS, act, at, create_report, key_headers

REQUESTS = "/api/v1/report-requests"


def make_request(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "plan_code": PLAN,
        "title": "Báo cáo đột xuất kết quả tuyên truyền Nghị quyết số 57-NQ/TW",
        "reference": "512/SVHTTDL-TTBCXB",
        "window_start": "2026-01-27",
        "window_end": "2026-05-31",
        "due_on": "2026-06-05",
        "agency_codes": ["bao-ptth-cb", "cong-ttdt-tinh"],
        **overrides,
    }
    response = client.post(REQUESTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_with_groups_and_answer(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = make_request(client, admin_headers, group_codes=["bao-chi-tinh"])
    assert request["agency_codes"] == ["bao-ptth-cb", "cong-ttdt-tinh", "tap-chi-nncb"]
    assert request["deadline"] == "2026-06-05"
    assert client.get(f"{REQUESTS}/{request['id']}", headers=admin_headers).headers["ETag"]
    press = key_headers(session, "bao-ptth-cb")
    report = create_report(client, press, "bao-ptth-cb", None, request_id=request["id"])
    assert report["period"] == f"request-{request['id']}" and report["period_kind"] == "ad_hoc"
    assert (report["window_start"], report["window_end"]) == ("2026-01-27", "2026-05-31")
    act(client, monkeypatch, report["id"], "submit", press, at("2026-06-05", "16:00"))
    body = client.get(
        f"{REPORTS}/compliance", params={"request": request["id"]}, headers=admin_headers
    ).json()
    assert {e["agency_code"]: e["state"] for e in body["agencies"]} == {
        "bao-ptth-cb": "on_time", "cong-ttdt-tinh": "missing", "tap-chi-nncb": "missing",
    }  # fmt: skip
    # An agency the request does not ask cannot answer it.
    body = {"plan_code": PLAN, "agency_code": "xa-bao-lam", "request_id": request["id"]}
    assert_problem(client.post(REPORTS, json=body, headers=admin_headers), 422)
    # The window is fixed once someone filed; the agencies who filed stay asked.
    url = f"{REQUESTS}/{request['id']}"
    assert_problem(client.patch(url, json={"window_end": "2026-05-30"}, headers=admin_headers), 409)
    assert_problem(
        client.patch(url, json={"agency_codes": ["tap-chi-nncb"]}, headers=admin_headers), 409
    )
    assert_problem(client.delete(url, headers=admin_headers), 409)


def test_deadline_on_tet_moves_past_it(client: TestClient, admin_headers: dict[str, str]) -> None:
    request = make_request(client, admin_headers, window_end="2026-02-10", due_on="2026-02-17")
    assert request["due_on"] == "2026-02-17" and request["deadline"] == "2026-02-23"


def test_update_and_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    request = make_request(client, admin_headers)
    url = f"{REQUESTS}/{request['id']}"
    etag = client.get(url, headers=admin_headers).headers["ETag"]
    response = client.patch(
        url,
        json={"due_on": "2026-06-10", "agency_codes": ["xa-bao-lam"]},
        headers={**admin_headers, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert response.json()["agency_codes"] == ["xa-bao-lam"]
    stale = client.patch(url, json={"title": "X"}, headers={**admin_headers, "If-Match": etag})
    assert_problem(stale, 412)
    assert_problem(client.patch(url, json={"due_on": "2026-05-01"}, headers=admin_headers), 422)
    assert_problem(client.patch(url, json={"title": None}, headers=admin_headers), 422)
    assert_problem(client.patch(url, json={"agency_codes": None}, headers=admin_headers), 422)
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert_problem(client.get(url, headers=admin_headers), 404)
    assert audit_actions(session, "report_request", request["id"]) == [
        "create", "update", "delete",
    ]  # fmt: skip


def test_list_filters(client: TestClient, admin_headers: dict[str, str]) -> None:
    a = make_request(client, admin_headers, title="Sơ kết 6 tháng chuyển đổi số")
    b = make_request(client, admin_headers, agency_codes=["xa-bao-lam"], due_on="2026-07-01")
    ids = lambda items: [i["id"] for i in items]  # noqa: E731
    assert ids(list_all(client, REQUESTS, headers=admin_headers)) == [a["id"], b["id"]]
    assert ids(list_all(client, REQUESTS, headers=admin_headers, agency="xa-bao-lam")) == [b["id"]]
    assert ids(list_all(client, REQUESTS, headers=admin_headers, q="so ket")) == [a["id"]]
    assert ids(list_all(client, REQUESTS, headers=admin_headers, **{"from": "2026-06-30"})) == [
        b["id"]
    ]
    assert ids(list_all(client, REQUESTS, headers=admin_headers, to="2026-06-05")) == [a["id"]]
    assert ids(list_all(client, REQUESTS, headers=admin_headers, plan=PLAN, limit=1)) == ids([a, b])
    assert_problem(
        client.get(REQUESTS, params={"from": "2026-07-01", "to": "2026-06-01"},
                   headers=admin_headers), 422,
    )  # fmt: skip


def test_only_admin_writes(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    writer = key_headers(session, "so-vhttdl")
    before = count_rows(session, ReportRequest)
    body = {
        "plan_code": PLAN, "title": "X", "window_start": "2026-02-01",
        "window_end": "2026-02-28", "due_on": "2026-03-05", "agency_codes": ["xa-bao-lam"],
    }  # fmt: skip
    assert_problem(client.post(REQUESTS, json=body, headers=writer), 403)
    assert count_rows(session, ReportRequest) == before
    request = make_request(client, admin_headers)
    url = f"{REQUESTS}/{request['id']}"
    assert_problem(client.patch(url, json={"title": "Y"}, headers=writer), 403)
    assert_problem(client.delete(url, headers=writer), 403)
    assert client.get(url, headers=writer).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"agency_codes": [], "group_codes": []},
        {"agency_codes": ["xa-khong-co"]},
        {"group_codes": ["nhom-khong-co"]},
        {"plan_code": "kh-khong-co"},
        {"window_start": "2026-06-01"},
        {"due_on": "2026-02-27"},
        {"window_start": "2025-01-01", "window_end": "2025-12-31"},
        {"window_start": "2026-13-01"},
        {"title": ""},
        {"title": "x" * 501},
        {"agency_codes": ["xa-bao-lam"] * 2001},
        {"extra": True},
    ],
)
def test_bad_input(
    client: TestClient, admin_headers: dict[str, str], overrides: dict[str, Any]
) -> None:
    body = {
        "plan_code": PLAN, "title": "Báo cáo", "window_start": "2026-02-01",
        "window_end": "2026-02-28", "due_on": "2026-03-05", "agency_codes": ["xa-bao-lam"],
        **overrides,
    }  # fmt: skip
    assert_problem(client.post(REQUESTS, json=body, headers=admin_headers), 422)
    assert_problem(client.get(f"{REQUESTS}/{2**63}", headers=admin_headers), 422)
