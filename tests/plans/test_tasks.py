from importlib import resources
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import assert_problem, list_all
from tests.plans.factories import PLAN, audit_actions, key_headers

URL = f"{PLAN}/tasks"


def collapse(text: str) -> str:
    return " ".join(text.split())


def numbers(client: TestClient, **params: Any) -> list[int]:
    return [t["number"] for t in list_all(client, URL, **params)]


def task_body(**overrides: Any) -> dict[str, Any]:
    return {
        "number": 10,
        "title": "Tuyên truyền về Bình dân học vụ số trên hệ thống thông tin cơ sở",
        "schedule_kind": "years",
        "schedule_years": [2027, 2026],
        "deadline_text": "Năm 2026, 2027",
        "lead_text": "UBND các xã, phường",
        "leads": [{"group_code": "he-thong-ttcs"}, {"agency_code": "so-khcn"}],
        "coordinators": [{"agency_code": "so-vhttdl"}],
        **overrides,
    }


def test_seeded_tasks_are_listed_anonymously_in_order(client: TestClient) -> None:
    tasks = list_all(client, URL)
    assert [t["number"] for t in tasks] == list(range(1, 10))
    third = tasks[2]
    assert [p["agency_code"] for p in third["leads"]] == ["bao-ptth-cb", "tap-chi-nncb"]
    assert third["leads"][0]["name"]
    assert third["leads"][0]["group_code"] is None
    assert third["coordinators"][-1] == {
        "agency_code": None,
        "group_code": "so-ban-nganh-dia-phuong",
        "name": "Các sở, ban, ngành, địa phương",
    }
    assert third["schedule_kind"] == "years"
    assert third["schedule_years"] == [2026, 2027]
    assert third["deadline_text"] == "Năm 2026, 2027"
    assert third["plan_code"] == "kh-209-2026"
    assert tasks[0]["leads"] == [
        {
            "agency_code": None,
            "group_code": "so-ban-nganh-dia-phuong",
            "name": "Các sở, ban, ngành, địa phương",
        }
    ]
    assert tasks[7]["coordinators"] == []
    one = client.get(f"{URL}/3")
    assert one.status_code == 200 and one.headers["etag"]
    assert one.json() == third
    assert_problem(client.get(f"{URL}/10"), 404)
    assert_problem(client.get(f"{URL}/0"), 422)
    assert_problem(client.get(f"{URL}/{10**20}"), 422)
    assert_problem(client.get("/api/v1/plans/kh-khong-co/tasks"), 404)


def test_task_titles_are_verbatim(client: TestClient) -> None:
    source = collapse(
        (resources.files("app.seed") / "data" / "kh-209-ubnd-cao-bang.txt").read_text("utf-8")
    )
    tasks = list_all(client, URL)
    for task in tasks:
        assert collapse(task["title"]) in source, task["number"]
        for line in task["title"].splitlines():
            assert collapse(line) in source, task["number"]
    lines = tasks[2]["title"].splitlines()
    assert len(lines) == 3 and all(line.startswith("- ") for line in lines)


def test_filter_by_agency_directly_or_through_groups(client: TestClient) -> None:
    # A commune leads task 1 through "các sở, ban, ngành, địa phương" …
    assert numbers(client, agency="xa-bao-lam") == [1]
    assert numbers(client, agency="xa-bao-lam", role="lead") == [1]
    # … and coordinates through that group and "hệ thống thông tin cơ sở" (task 9).
    assert numbers(client, agency="xa-bao-lam", role="coordinating") == [3, 4, 5, 6, 7, 9]
    assert numbers(client, agency="so-vhttdl") == [1, 2, 6, 7, 8]
    assert numbers(client, agency="bao-ptth-cb") == [3]
    assert numbers(client, agency="bao-ptth-cb", role="coordinating") == [6, 9]
    assert numbers(client, agency="to-cns-xa-bao-lam") == []
    assert numbers(client, agency="to-cns-xa-bao-lam", role="coordinating") == [9]
    assert_problem(client.get(URL, params={"agency": "xa-khong-co"}), 404)
    assert_problem(client.get(URL, params={"agency": "Xa Bao Lam"}), 422)
    assert_problem(client.get(URL, params={"agency": "so-khcn", "role": "owner"}), 422)


def test_filter_through_an_explicit_group_member(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    group = {"code": "nhom-thu", "name": "Nhóm thử", "members": ["tap-chi-nncb"]}
    assert client.post("/api/v1/agency-groups", json=group, headers=admin_headers).is_success
    body = task_body(leads=[{"group_code": "nhom-thu"}], coordinators=[])
    assert client.post(URL, json=body, headers=admin_headers).status_code == 201
    assert numbers(client, agency="tap-chi-nncb") == [3, 10]


def test_filter_by_schedule_kind_and_search(client: TestClient) -> None:
    assert numbers(client, schedule_kind="recurring") == [1, 5, 6, 8, 9]
    assert numbers(client, schedule_kind="years") == [3]
    assert numbers(client, schedule_kind="from_year_recurring") == [2, 4, 7]
    assert_problem(client.get(URL, params={"schedule_kind": "weekly"}), 422)
    assert numbers(client, q="bang ron, khau hieu, PANO") == [8]
    assert numbers(client, q="tổ chuyển đổi số cộng đồng") == [9]
    assert numbers(client, q="thuong xuyen", schedule_kind="recurring") == [1, 5, 6, 8, 9]
    assert numbers(client, q="không có nhiệm vụ này") == []


def test_pagination(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params=params).json()
        seen.extend(t["number"] for t in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(range(1, 10))
    assert pages == 3


def test_create_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post(URL, json=task_body(), headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{URL}/10"
    task = created.json()
    assert task["schedule_years"] == [2026, 2027]
    assert [(p["group_code"], p["agency_code"]) for p in task["leads"]] == [
        ("he-thong-ttcs", None),
        (None, "so-khcn"),
    ]
    assert task["leads"][0]["name"] == "Hệ thống thông tin cơ sở"
    assert numbers(client, agency="xa-bao-lam") == [1, 10]
    etag = client.get(f"{URL}/10").headers["etag"]

    patched = client.patch(
        f"{URL}/10",
        json={"leads": [{"agency_code": "so-khcn"}, {"agency_code": "so-vhttdl"}]},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert [p["agency_code"] for p in patched.json()["leads"]] == ["so-khcn", "so-vhttdl"]
    assert patched.json()["coordinators"] == task["coordinators"], "untouched list is kept"
    assert patched.headers["etag"] != etag
    assert numbers(client, agency="xa-bao-lam") == [1]
    stale = client.patch(
        f"{URL}/10", json={"title": "Khác"}, headers={**admin_headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    same = client.patch(
        f"{URL}/10",
        json={"leads": [{"agency_code": "so-khcn"}, {"agency_code": "so-vhttdl"}]},
        headers=admin_headers,
    )
    assert same.headers["etag"] == patched.headers["etag"], "no change, no new version"

    cleared = client.patch(
        f"{URL}/10",
        json={"coordinators": [], "schedule_kind": "recurring", "schedule_years": []},
        headers=admin_headers,
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["coordinators"] == []
    assert cleared.json()["schedule_kind"] == "recurring"
    renumbered = client.patch(f"{URL}/10", json={"number": 11}, headers=admin_headers)
    assert renumbered.status_code == 200
    assert_problem(client.get(f"{URL}/10"), 404)
    assert_problem(client.patch(f"{URL}/11", json={"number": 3}, headers=admin_headers), 409)

    assert client.delete(f"{URL}/11", headers=admin_headers).status_code == 204
    assert_problem(client.get(f"{URL}/11"), 404)
    assert numbers(client) == list(range(1, 10))
    assert audit_actions(session, "task", "kh-209-2026/10") == ["create", "update", "update"]
    assert audit_actions(session, "task", "kh-209-2026/11") == ["update", "delete"]


def test_only_admin_writes(client: TestClient, session: Session) -> None:
    writer = key_headers(session, "so-vhttdl")
    assert_problem(client.post(URL, json=task_body()), 401)
    assert_problem(client.post(URL, json=task_body(), headers=writer), 403)
    assert_problem(client.patch(f"{URL}/3", json={"title": "x"}, headers=writer), 403)
    assert_problem(client.delete(f"{URL}/3", headers=writer), 403)
    assert numbers(client) == list(range(1, 10))


def test_bad_input(client: TestClient, admin_headers: dict[str, str]) -> None:
    cases = [
        task_body(number=0),
        task_body(number=10**12),
        task_body(number="mười"),
        task_body(schedule_kind="weekly"),
        task_body(schedule_years=[1999]),
        task_body(schedule_years=[]),
        task_body(schedule_kind="recurring"),
        task_body(schedule_kind="from_year_recurring", schedule_years=[2026, 2027]),
        task_body(schedule_years=list(range(2000, 2040))),
        task_body(deadline_text="x" * 201),
        task_body(deadline_text=""),
        task_body(title="x" * 5001),
        task_body(leads=[]),
        task_body(leads=[{"agency_code": "so-khcn", "group_code": "bao-chi-tinh"}]),
        task_body(leads=[{}]),
        task_body(leads=[{"agency_code": "so-khong-co"}]),
        task_body(leads=[{"group_code": "nhom-khong-co"}]),
        task_body(leads=[{"agency_code": "so-khcn"}, {"agency_code": "so-khcn"}]),
        task_body(leads=[{"agency_code": f"so-{n}"} for n in range(101)]),
        task_body(coordinators=[{"agency": "so-khcn"}]),
        task_body(coordinators=None),
        task_body(unknown=True),
    ]
    for body in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    assert_problem(client.post(URL, json=task_body(number=3), headers=admin_headers), 409)
    patch_cases = [
        {"title": None},
        {"leads": None},
        {"leads": []},
        {"coordinators": None},
        {"schedule_kind": "recurring"},
        {"schedule_years": [2026, 2027, 2028]},
        {"coordinators": [{"group_code": "nhom-khong-co"}]},
        {"number": -1},
    ]
    for body in patch_cases:
        problem = assert_problem(client.patch(f"{URL}/2", json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    assert client.get(f"{URL}/2").json()["schedule_kind"] == "from_year_recurring"
    assert_problem(client.patch(f"{URL}/99", json={}, headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/99", headers=admin_headers), 404)
