from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import assert_problem, list_all
from tests.plans.factories import audit_actions, key_headers

URL = "/api/v1/plans"


def plan_body(**overrides: Any) -> dict[str, Any]:
    return {
        "code": "kh-thu-2027",
        "document_number": "15/KH-UBND",
        "title": "Kế hoạch thử nghiệm chuyển đổi số năm 2027",
        "issued_on": "2027-01-10",
        "issuer_code": "ubnd-tinh",
        "coordinator_code": "so-khcn",
        "start_on": "2027-01-10",
        "end_on": "2027-12-31",
        "implements": ["57-NQ/TW"],
        "on_topic_topics": ["nq57", "digital_transformation", "ai"],
        **overrides,
    }


def test_seeded_plan_is_public(client: TestClient) -> None:
    plans = list_all(client, URL)
    assert [p["code"] for p in plans] == ["kh-209-2026"]
    response = client.get(f"{URL}/kh-209-2026")
    assert response.status_code == 200
    assert response.headers["etag"]
    plan = response.json()
    assert plan["document_number"] == "209/KH-UBND"
    assert plan["issued_on"] == "2026-01-27"
    assert plan["issuer_code"] == "ubnd-tinh"
    assert plan["coordinator_code"] == "so-vhttdl"
    assert plan["end_on"] == "2030-12-31"
    assert "1139/QĐ-UBND" in plan["implements"]
    assert set(plan["on_topic_topics"]) == {
        "nq57",
        "nq71",
        "ctr29",
        "qd1139",
        "science_technology",
        "innovation",
        "digital_transformation",
        "ai",
        "digital_literacy",
    }
    assert_problem(client.get(f"{URL}/kh-khong-co"), 404)


def test_search_ignores_diacritics(client: TestClient) -> None:
    assert [p["code"] for p in list_all(client, URL, q="CHUYEN DOI SO")] == ["kh-209-2026"]
    assert [p["code"] for p in list_all(client, URL, q="209/kh-ubnd")] == ["kh-209-2026"]
    assert list_all(client, URL, q="kế hoạch không có") == []


def test_pagination(client: TestClient, admin_headers: dict[str, str]) -> None:
    for n in range(3):
        body = plan_body(code=f"kh-thu-{n}")
        assert client.post(URL, json=body, headers=admin_headers).status_code == 201
    first = client.get(URL, params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    codes = [p["code"] for p in first["items"] + rest["items"]]
    assert codes == ["kh-209-2026", "kh-thu-0", "kh-thu-1", "kh-thu-2"]
    assert rest["next_cursor"] is None


def test_create_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post(URL, json=plan_body(), headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{URL}/kh-thu-2027"
    assert created.json()["on_topic_topics"] == ["ai", "digital_transformation", "nq57"]
    assert created.json()["report_deadline_working_days"] == 5
    etag = client.get(f"{URL}/kh-thu-2027").headers["etag"]
    patched = client.patch(
        f"{URL}/kh-thu-2027",
        json={"end_on": "2028-12-31", "report_deadline_working_days": 10},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["end_on"] == "2028-12-31"
    assert patched.headers["etag"] != etag
    stale = client.patch(
        f"{URL}/kh-thu-2027", json={"title": "x"}, headers={**admin_headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    same = client.patch(f"{URL}/kh-thu-2027", json={"end_on": "2028-12-31"}, headers=admin_headers)
    assert same.headers["etag"] == patched.headers["etag"], "no change, no new version"
    deleted = client.delete(f"{URL}/kh-thu-2027", headers=admin_headers)
    assert deleted.status_code == 204
    assert_problem(client.get(f"{URL}/kh-thu-2027"), 404)
    assert audit_actions(session, "plan", "kh-thu-2027") == ["create", "update", "delete"]


def test_a_plan_with_tasks_or_indicators_is_not_deleted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    problem = assert_problem(client.delete(f"{URL}/kh-209-2026", headers=admin_headers), 409)
    assert "9 task(s)" in problem["detail"] and "16 indicator(s)" in problem["detail"]
    assert client.get(f"{URL}/kh-209-2026").status_code == 200
    assert len(list_all(client, f"{URL}/kh-209-2026/tasks")) == 9


def test_only_admin_writes(client: TestClient, session: Session) -> None:
    writer = key_headers(session, "so-vhttdl")
    assert_problem(client.post(URL, json=plan_body()), 401)
    assert_problem(client.post(URL, json=plan_body(), headers=writer), 403)
    assert_problem(client.patch(f"{URL}/kh-209-2026", json={"title": "x"}, headers=writer), 403)
    assert_problem(client.delete(f"{URL}/kh-209-2026", headers=writer), 403)
    assert client.get(f"{URL}/kh-209-2026").json()["title"].startswith("Kế hoạch tuyên truyền")


def test_bad_input(client: TestClient, admin_headers: dict[str, str]) -> None:
    cases = [
        plan_body(code="KH 209"),
        plan_body(issued_on="27/01/2026"),
        plan_body(start_on="2027-12-31", end_on="2027-01-01"),
        plan_body(on_topic_topics=["weather"]),
        plan_body(implements=["x" * 81]),
        plan_body(implements=["57-NQ/TW"] * 51),
        plan_body(report_deadline_working_days=10**12),
        plan_body(title="x" * 2001),
        plan_body(title="a\u0000b"),
        plan_body(extra=1),
        plan_body(issuer_code="khong-co"),
        plan_body(coordinator_code="khong-co"),
        {k: v for k, v in plan_body().items() if k != "title"},
    ]
    for body in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    assert_problem(client.post(URL, json=plan_body(code="kh-209-2026"), headers=admin_headers), 409)
    assert_problem(
        client.post(
            URL, content=b"[1,", headers={**admin_headers, "Content-Type": "application/json"}
        ),
        400,
    )
    patch_cases = [
        {"title": None},
        {"start_on": "2031-01-01"},
        {"coordinator_code": "khong-co"},
        {"code": "kh-moi"},
        {"on_topic_topics": ["nq57", 5]},
    ]
    for body in patch_cases:
        response = client.patch(f"{URL}/kh-209-2026", json=body, headers=admin_headers)
        assert_problem(response, 422)
    assert_problem(client.patch(f"{URL}/kh-khong-co", json={}, headers=admin_headers), 404)
    assert_problem(client.get(f"{URL}/{'x' * 81}"), 422)
