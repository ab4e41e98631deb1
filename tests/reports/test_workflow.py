"""Agency reports: draft -> submitted -> accepted or returned; figures from records."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.vocab import Scope
from app.reports.models import AgencyReport
from tests.channels.factories import count_rows
from tests.helpers import assert_problem, list_all
from tests.plans.factories import audit_actions
from tests.reports.helpers import (
    PLAN,
    REPORTS,
    act,
    at,
    broadcast,
    create_report,
    key_headers,
    product,
    progress,
)


def test_create_and_get_a_draft(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    created = create_report(
        client,
        headers,
        "xa-bao-lam",
        "2026-q1",
        difficulties="Loa ở xóm vùng cao hỏng.",
        proposals="Đề nghị hỗ trợ tài liệu tiếng Tày.",
    )
    assert created["period"] == "2026-Q1" and created["period_kind"] == "quarter"
    assert (created["window_start"], created["window_end"]) == ("2025-12-15", "2026-03-14")
    assert created["deadline"] == "2026-03-20"
    assert created["status"] == "draft" and created["figures_frozen"] is False
    assert created["agency_name"] == "UBND xã Bảo Lâm"
    assert created["on_time"] is None and created["submission_count"] == 0
    response = client.get(f"{REPORTS}/{created['id']}", headers=headers)
    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.json()["difficulties"] == "Loa ở xóm vùng cao hỏng."
    assert audit_actions(session, "agency_report", created["id"]) == ["create"]


def test_figures_follow_the_regime_window(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    headers = key_headers(session, "xa-bao-lam")
    broadcast(client, headers, "xa-bao-lam", "2026-03-14T23:59:00+07:00", duration_seconds=600)
    broadcast(client, headers, "xa-bao-lam", "2026-03-15T00:00:00+07:00", duration_seconds=1200)
    broadcast(client, headers, "xa-bao-lam", "2025-12-14T23:59:00+07:00")  # before Q1
    broadcast(client, headers, "xa-bao-lam", "2026-03-10T08:00:00+07:00", topics=["good_practice"])
    broadcast(client, admin_headers, "xa-ly-bon", "2026-03-10T08:00:00+07:00")  # another commune
    # The commune's digital team does not report itself: its records count for the commune.
    team = key_headers(session, "to-cns-xa-bao-lam")
    broadcast(client, team, "to-cns-xa-bao-lam", "2026-02-10T08:00:00+07:00")
    product(client, headers, "xa-bao-lam", "2026-01-05T09:00:00+07:00", kind="infographic")
    product(
        client,
        headers,
        "xa-bao-lam",
        "2026-01-06T09:00:00+07:00",
        topics=["international_cooperation"],
    )
    retracted = product(client, headers, "xa-bao-lam", "2026-01-07T09:00:00+07:00")
    response = client.patch(
        f"/api/v1/media-products/{retracted['id']}",
        json={"retracted_at": "2026-01-08T00:00:00+07:00"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    progress(client, headers, 1, "xa-bao-lam", "2026-Q1")
    progress(client, headers, 1, "xa-bao-lam", "2026-Q2")

    q1 = create_report(client, headers, "xa-bao-lam", "2026-Q1")["figures"]
    q2 = create_report(client, headers, "xa-bao-lam", "2026-Q2")["figures"]
    half = create_report(client, headers, "xa-bao-lam", "2026-H1")["figures"]
    assert q1["agency_codes"] == ["to-cns-xa-bao-lam", "xa-bao-lam"]
    # Q1: 23:59 on 14/03 and the team's; not the off-topic one, nor 14/12/2025.
    assert q1["broadcasts"]["count"] == 2
    assert q1["broadcasts"]["duration_seconds"] == 600 + 900
    assert q1["broadcasts"]["by_origin"] == [
        {"key": "provincial", "label_vi": "Tỉnh (phát lại)", "count": 2}
    ]
    assert q2["broadcasts"]["count"] == 1 and q2["broadcasts"]["duration_seconds"] == 1200
    assert half["broadcasts"]["count"] == 3
    assert q1["media_products"]["total"] == 1
    assert q1["media_products"]["by_kind"][0]["key"] == "infographic"
    assert [(p["task_number"], p["period"]) for p in q1["task_progress"]] == [(1, "2026-Q1")]
    assert [(p["task_number"], p["period"]) for p in q2["task_progress"]] == [(1, "2026-Q2")]
    assert len(half["task_progress"]) == 2


def test_submit_freezes_figures_and_accept_locks(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = key_headers(session, "xa-bao-lam")
    report = create_report(client, headers, "xa-bao-lam")
    rid = report["id"]
    submitted = act(client, monkeypatch, rid, "submit", headers, at("2026-03-18"))
    assert submitted["status"] == "submitted" and submitted["figures_frozen"] is True
    assert submitted["on_time"] is True and submitted["submission_count"] == 1
    assert submitted["submitted_at"] == "2026-03-18T03:00:00Z"
    # A record added after submission does not change what was sent.
    broadcast(client, headers, "xa-bao-lam", "2026-03-01T08:00:00+07:00")
    again = client.get(f"{REPORTS}/{rid}", headers=headers).json()
    assert again["figures"]["broadcasts"]["count"] == 0
    assert_problem(client.patch(f"{REPORTS}/{rid}", json={"results": "x"}, headers=headers), 409)
    assert_problem(client.post(f"{REPORTS}/{rid}/submit", headers=headers), 409)
    # Only the coordinator reviews.
    assert_problem(client.post(f"{REPORTS}/{rid}/accept", json={}, headers=headers), 403)
    accepted = act(
        client, monkeypatch, rid, "accept", admin_headers, at("2026-03-21"), {"comment": "Tốt."}
    )
    assert accepted["status"] == "accepted" and accepted["review_comment"] == "Tốt."
    assert accepted["reviewed_by"] == "bootstrap-admin"
    for method, url, body in (
        ("patch", f"{REPORTS}/{rid}", {"results": "x"}),
        ("post", f"{REPORTS}/{rid}/submit", None),
        ("post", f"{REPORTS}/{rid}/return", {"comment": "Bổ sung."}),
        ("post", f"{REPORTS}/{rid}/accept", {}),
        ("delete", f"{REPORTS}/{rid}", None),
    ):
        assert_problem(client.request(method, url, json=body, headers=admin_headers), 409)
    assert audit_actions(session, "agency_report", rid) == ["create", "submit", "accept"]


def test_return_edit_and_resubmit(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = key_headers(session, "bao-ptth-cb")
    rid = create_report(client, headers, "bao-ptth-cb")["id"]
    act(client, monkeypatch, rid, "submit", headers, at("2026-03-17"))
    assert_problem(client.post(f"{REPORTS}/{rid}/return", json={}, headers=admin_headers), 422)
    returned = act(
        client, monkeypatch, rid, "return", admin_headers, at("2026-03-18"),
        {"comment": "Đề nghị bổ sung số liệu phát sóng."},
    )  # fmt: skip
    assert returned["status"] == "returned" and returned["on_time"] is None
    assert returned["figures_frozen"] is False
    edited = client.patch(
        f"{REPORTS}/{rid}", json={"results": "Đã bổ sung số liệu."}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    again = act(client, monkeypatch, rid, "submit", headers, at("2026-03-24"))
    assert again["submission_count"] == 2 and again["on_time"] is False
    assert again["first_submitted_at"] == "2026-03-17T03:00:00Z"
    assert audit_actions(session, "agency_report", rid) == [
        "create", "submit", "return", "update", "submit",
    ]  # fmt: skip


def test_submit_needs_results(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    rid = create_report(client, headers, "xa-bao-lam", results=None)["id"]
    body = assert_problem(client.post(f"{REPORTS}/{rid}/submit", headers=headers), 422)
    assert body["errors"][0]["loc"] == ["report", "results"]


def test_delete_only_drafts(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = key_headers(session, "xa-bao-lam")
    draft = create_report(client, headers, "xa-bao-lam", "2026-Q1")
    sent = create_report(client, headers, "xa-bao-lam", "2026-Q2")
    act(client, monkeypatch, sent["id"], "submit", headers, at("2026-06-16"))
    assert_problem(client.delete(f"{REPORTS}/{sent['id']}", headers=headers), 409)
    assert client.delete(f"{REPORTS}/{draft['id']}", headers=headers).status_code == 204
    assert_problem(client.get(f"{REPORTS}/{draft['id']}", headers=headers), 404)
    assert audit_actions(session, "agency_report", draft["id"]) == ["create", "delete"]


def test_if_match(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    rid = create_report(client, headers, "xa-bao-lam")["id"]
    etag = client.get(f"{REPORTS}/{rid}", headers=headers).headers["ETag"]
    ok = client.patch(
        f"{REPORTS}/{rid}", json={"proposals": "Đề xuất."}, headers={**headers, "If-Match": etag}
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"{REPORTS}/{rid}", json={"proposals": "Khác."}, headers={**headers, "If-Match": etag}
    )
    assert_problem(stale, 412)


def test_authorization(client: TestClient, session: Session, admin_headers: dict[str, str]) -> None:
    mine = key_headers(session, "xa-bao-lam")
    other = key_headers(session, "xa-ly-bon")
    reader = key_headers(session, "xa-bao-lam", [Scope.read])
    before = count_rows(session, AgencyReport)
    body = {"plan_code": PLAN, "agency_code": "xa-bao-lam", "period": "2026-Q1"}
    assert_problem(client.post(REPORTS, json=body, headers=other), 403)
    assert_problem(client.post(REPORTS, json=body, headers=reader), 403)
    assert_problem(client.post(REPORTS, json=body), 401)
    assert count_rows(session, AgencyReport) == before
    # A commune files for its digital team too; the admin files for anyone.
    create_report(client, mine, "to-cns-xa-bao-lam")
    rid = create_report(client, admin_headers, "xa-bao-lam")["id"]
    assert_problem(client.patch(f"{REPORTS}/{rid}", json={"results": "x"}, headers=other), 403)
    assert_problem(client.post(f"{REPORTS}/{rid}/submit", headers=other), 403)
    assert_problem(client.delete(f"{REPORTS}/{rid}", headers=other), 403)
    assert client.get(f"{REPORTS}/{rid}", headers=mine).json()["results"].startswith("Kết quả")
    assert_problem(client.get(f"{REPORTS}/{rid}"), 401)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"period": "2026-H2"}, 422),
        ({"period": "2026-13"}, 422),
        ({"period": "2027"}, 422),  # has not begun
        ({"period": "2025"}, 422),  # before the plan
        ({"period": "2026-Q1", "request_id": 1}, 422),
        ({"period": None}, 422),
        ({"request_id": 2**63}, 422),
        ({"request_id": 999999}, 422),
        ({"agency_code": "xa-khong-co"}, 422),
        ({"plan_code": "kh-khong-co"}, 422),
        ({"results": "x" * 50001}, 422),
        ({"results": "nul\x00"}, 422),
        ({"extra": 1}, 422),
        ({"period": 2026}, 422),
    ],
)
def test_bad_input(
    client: TestClient, admin_headers: dict[str, str], body: dict[str, Any], status: int
) -> None:
    payload = {"plan_code": PLAN, "agency_code": "xa-bao-lam", "period": "2026-Q1", **body}
    payload = {k: v for k, v in payload.items() if v is not None}
    if body.get("period", 1) is None or ("request_id" in body and "period" not in body):
        payload.pop("period", None)
    assert_problem(client.post(REPORTS, json=payload, headers=admin_headers), status)


def test_duplicate_and_unknown(client: TestClient, admin_headers: dict[str, str]) -> None:
    create_report(client, admin_headers, "xa-bao-lam")
    body = {"plan_code": PLAN, "agency_code": "xa-bao-lam", "period": "2026-Q1"}
    assert_problem(client.post(REPORTS, json=body, headers=admin_headers), 409)
    assert_problem(client.get(f"{REPORTS}/999999", headers=admin_headers), 404)
    assert_problem(client.get(f"{REPORTS}/{2**63}", headers=admin_headers), 422)
    assert_problem(client.post(f"{REPORTS}/999999/submit", headers=admin_headers), 404)
    assert_problem(client.post(f"{REPORTS}/999999/return", json={"comment": "x"},
                               headers=admin_headers), 404)  # fmt: skip


def test_list_filters(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = create_report(client, admin_headers, "xa-bao-lam", results="Tuyên truyền chuyển đổi số")
    b = create_report(client, admin_headers, "xa-ly-bon", "2026-Q2")
    c = create_report(client, admin_headers, "bao-ptth-cb", "2026-H1")
    act(client, monkeypatch, c["id"], "submit", admin_headers, at("2026-06-16"))
    ids = lambda items: [i["id"] for i in items]  # noqa: E731
    assert ids(list_all(client, REPORTS, headers=admin_headers)) == [a["id"], b["id"], c["id"]]
    assert ids(list_all(client, REPORTS, headers=admin_headers, agency="xa-ly-bon")) == [b["id"]]
    assert ids(list_all(client, REPORTS, headers=admin_headers, period="2026-q2")) == [b["id"]]
    assert ids(list_all(client, REPORTS, headers=admin_headers, status="submitted")) == [c["id"]]
    assert ids(list_all(client, REPORTS, headers=admin_headers, plan=PLAN)) == ids([a, b, c])
    assert list_all(client, REPORTS, headers=admin_headers, plan="khac") == []
    found = list_all(client, REPORTS, headers=admin_headers, q="CHUYEN DOI SO")
    assert ids(found) == [a["id"]]
    page = client.get(REPORTS, params={"limit": 2}, headers=admin_headers).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert "figures" not in page["items"][0]
    assert_problem(client.get(REPORTS, params={"status": "lost"}, headers=admin_headers), 422)
