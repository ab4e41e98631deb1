"""Budget lines (kinh phí, section IV): estimates, approval, spending, totals."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.budget.models import BudgetLine
from tests.channels.factories import count_rows
from tests.helpers import assert_problem, list_all
from tests.plans.factories import audit_actions, key_headers

LINES = "/api/v1/budget-lines"
PLAN = "kh-209-2026"


def make_line(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "plan_code": PLAN,
        "task_number": 8,
        "agency_code": "so-vhttdl",
        "year": 2026,
        "content": "Tuyên truyền trực quan qua băng rôn, pano, áp phích",
        "estimate_vnd": 350_000_000,
        **overrides,
    }
    response = client.post(LINES, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_estimate_approve_spend(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    dept = key_headers(session, "so-vhttdl")
    line = make_line(client, dept)
    assert (line["task_number"], line["plan_code"]) == (8, PLAN)
    assert line["approved_vnd"] is None and line["spent_vnd"] == 0
    url = f"{LINES}/{line['id']}"
    # Only the coordinator approves.
    assert_problem(client.put(f"{url}/approval", json={"approved_vnd": 1}, headers=dept), 403)
    etag = client.get(url, headers=dept).headers["ETag"]
    approved = client.put(
        f"{url}/approval",
        json={"approved_vnd": 300_000_000},
        headers={**admin_headers, "If-Match": etag},
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_vnd"] == 300_000_000 and approved.json()["approved_at"]
    # Approved: the agency reports spending but no longer changes its estimate.
    spent = client.patch(url, json={"spent_vnd": 120_500_000}, headers=dept)
    assert spent.status_code == 200 and spent.json()["spent_vnd"] == 120_500_000
    assert_problem(client.patch(url, json={"estimate_vnd": 1}, headers=dept), 409)
    assert_problem(client.delete(url, headers=dept), 409)
    assert (
        client.patch(url, json={"estimate_vnd": 320_000_000}, headers=admin_headers).json()[
            "estimate_vnd"
        ]
        == 320_000_000
    )
    assert audit_actions(session, "budget_line", line["id"]) == [
        "create", "approve", "update", "update",
    ]  # fmt: skip


def test_totals_per_task_and_agency(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    a = make_line(client, admin_headers)
    make_line(client, admin_headers, task_number=6, estimate_vnd=200_000_000, spent_vnd=50_000_000)
    make_line(client, admin_headers, task_number=9, agency_code="so-khcn", estimate_vnd=80_000_000)
    make_line(client, admin_headers, year=2027, estimate_vnd=400_000_000)
    client.put(f"{LINES}/{a['id']}/approval", json={"approved_vnd": 300_000_000},
               headers=admin_headers)  # fmt: skip
    reader = key_headers(session, "so-tc")
    response = client.get(f"{LINES}/totals", params={"plan": PLAN, "year": 2026}, headers=reader)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == {
        "lines": 3, "estimate_vnd": 630_000_000, "approved_vnd": 300_000_000,
        "spent_vnd": 50_000_000,
    }  # fmt: skip
    by_task = {t["task_number"]: t for t in body["by_task"]}
    assert sorted(by_task) == list(range(1, 10))
    assert by_task[8]["estimate_vnd"] == 350_000_000 and by_task[8]["lines"] == 1
    assert by_task[1]["lines"] == 0 and by_task[1]["estimate_vnd"] == 0
    by_agency = {t["agency_code"]: t for t in body["by_agency"]}
    assert by_agency["so-vhttdl"]["estimate_vnd"] == 550_000_000
    assert by_agency["so-khcn"]["name"] == "Sở Khoa học và Công nghệ"
    every_year = client.get(f"{LINES}/totals", params={"plan": PLAN}, headers=reader).json()
    assert every_year["total"]["estimate_vnd"] == 1_030_000_000 and every_year["year"] is None


def test_list_filters(client: TestClient, admin_headers: dict[str, str]) -> None:
    a = make_line(client, admin_headers, content="In tờ gấp chuyển đổi số")
    b = make_line(client, admin_headers, task_number=6)
    c = make_line(client, admin_headers, agency_code="so-khcn", year=2027)
    ids = lambda items: [i["id"] for i in items]  # noqa: E731
    assert ids(list_all(client, LINES, headers=admin_headers)) == ids([a, b, c])
    assert ids(list_all(client, LINES, headers=admin_headers, task=6)) == [b["id"]]
    assert ids(list_all(client, LINES, headers=admin_headers, agency="so-khcn")) == [c["id"]]
    assert ids(list_all(client, LINES, headers=admin_headers, year=2027)) == [c["id"]]
    assert ids(list_all(client, LINES, headers=admin_headers, plan=PLAN, limit=1)) == ids([a, b, c])
    assert ids(list_all(client, LINES, headers=admin_headers, q="TO GAP")) == [a["id"]]
    assert_problem(client.get(LINES), 401)


def test_authorization(client: TestClient, session: Session, admin_headers: dict[str, str]) -> None:
    other = key_headers(session, "xa-bao-lam")
    before = count_rows(session, BudgetLine)
    body = {"plan_code": PLAN, "task_number": 8, "agency_code": "so-vhttdl", "year": 2026,
            "estimate_vnd": 1}  # fmt: skip
    assert_problem(client.post(LINES, json=body, headers=other), 403)
    assert count_rows(session, BudgetLine) == before
    line = make_line(client, admin_headers)
    url = f"{LINES}/{line['id']}"
    assert_problem(client.patch(url, json={"spent_vnd": 5}, headers=other), 403)
    assert_problem(client.delete(url, headers=other), 403)
    assert client.get(url, headers=admin_headers).json()["spent_vnd"] == 0
    mine = key_headers(session, "so-vhttdl")
    assert client.delete(url, headers=mine).status_code == 204
    assert_problem(client.get(url, headers=mine), 404)


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"estimate_vnd": -1}, 422),
        ({"estimate_vnd": 10**16}, 422),
        ({"estimate_vnd": 1.5}, 422),
        ({"task_number": 10}, 422),
        ({"task_number": 0}, 422),
        ({"agency_code": "xa-khong-co"}, 422),
        ({"plan_code": "kh-khong-co"}, 422),
        ({"year": 2025}, 422),
        ({"year": 99999}, 422),
        ({"content": "x" * 5001}, 422),
        ({"note": "a\x00"}, 422),
        ({"approved_vnd": 5}, 422),
    ],
)
def test_bad_input(
    client: TestClient, admin_headers: dict[str, str], overrides: dict[str, Any], status: int
) -> None:
    body = {"plan_code": PLAN, "task_number": 8, "agency_code": "so-vhttdl", "year": 2026,
            "estimate_vnd": 1, **overrides}  # fmt: skip
    assert_problem(client.post(LINES, json=body, headers=admin_headers), status)


def test_conflicts_and_unknowns(client: TestClient, admin_headers: dict[str, str]) -> None:
    line = make_line(client, admin_headers)
    body = {"plan_code": PLAN, "task_number": 8, "agency_code": "so-vhttdl", "year": 2026,
            "estimate_vnd": 1}  # fmt: skip
    assert_problem(client.post(LINES, json=body, headers=admin_headers), 409)
    url = f"{LINES}/{line['id']}"
    assert_problem(client.patch(url, json={"estimate_vnd": None}, headers=admin_headers), 422)
    assert_problem(client.put(f"{url}/approval", json={}, headers=admin_headers), 422)
    assert_problem(client.put(f"{url}/approval", json={"approved_vnd": -5},
                              headers=admin_headers), 422)  # fmt: skip
    assert_problem(client.get(f"{LINES}/999999", headers=admin_headers), 404)
    assert_problem(client.get(f"{LINES}/{2**63}", headers=admin_headers), 422)
    assert_problem(client.get(f"{LINES}/totals", params={"plan": "khac"},
                              headers=admin_headers), 404)  # fmt: skip
    assert_problem(client.get(f"{LINES}/totals", headers=admin_headers), 422)
