"""Duties as the coordinator corrects them, and agencies' progress on them."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import assert_problem
from tests.plans.factories import PLAN, audit_actions, key_headers

URL = f"{PLAN}/duties"
NEW = {
    "code": "V.2.6",
    "section": "V.2",
    "owner_text": "Sở Văn hóa, Thể thao và Du lịch",
    "text": "Tổ chức cuộc thi trực tuyến tìm hiểu về chuyển đổi số.",
    "leads": [{"agency_code": "so-vhttdl"}],
    "coordinators": [{"agency_code": "tinh-doan"}],
}


def test_the_coordinator_adds_corrects_and_removes_a_duty(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post(URL, json=NEW, headers=admin_headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["position"] == 17 and body["coordinators"][0]["agency_code"] == "tinh-doan"
    assert created.headers["location"].endswith("/duties/V.2.6")
    assert_problem(client.post(URL, json=NEW, headers=admin_headers), 409)
    assert_problem(
        client.post(URL, json={**NEW, "code": "V.2.7", "schedule_kind": "years"},
                    headers=admin_headers), 422,
    )  # fmt: skip
    stale = {"If-Match": '"0"', **admin_headers}
    assert_problem(client.patch(f"{URL}/V.2.6", json={"text": "x"}, headers=stale), 412)
    patched = client.patch(
        f"{URL}/V.2.6",
        json={"schedule_kind": "years", "schedule_years": [2026], "coordinators": []},
        headers=admin_headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["coordinators"] == [] and patched.json()["schedule_years"] == [2026]
    assert_problem(client.patch(f"{URL}/V.2.6", json={"leads": None}, headers=admin_headers), 422)
    assert client.delete(f"{URL}/V.2.6", headers=admin_headers).status_code == 204
    assert audit_actions(session, "duty", "kh-209-2026/V.2.6") == ["create", "update", "delete"]


def test_an_owner_reports_progress_and_the_board_shows_it(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    press = key_headers(session, "bao-ptth-cb")
    update = {
        "agency_code": "bao-ptth-cb",
        "period": "2026-Q1",
        "status": "in_progress",
        "narrative": "Đăng 3 bài phản bác luận điệu xuyên tạc về Nghị quyết 57.",
        "evidence": [{"kind": "url", "ref": "https://baocaobang.vn/phan-bac"}],
    }
    created = client.post(f"{URL}/V.5.4/progress", json=update, headers=press)
    assert created.status_code == 201, created.text
    progress_id = created.json()["id"]
    assert created.json()["duty_code"] == "V.5.4"
    assert_problem(client.post(f"{URL}/V.5.4/progress", json=update, headers=press), 409)
    commune = key_headers(session, "xa-bao-lam")
    assert_problem(client.post(f"{URL}/V.5.4/progress", json=update, headers=commune), 403)
    listed = client.get(f"{URL}/V.5.4/progress", params={"period": "2026"}, headers=press)
    assert [p["id"] for p in listed.json()["items"]] == [progress_id]
    board = client.get(
        "/api/v1/reports/task-board",
        params={"plan": "kh-209-2026", "period": "2026-Q1"},
        headers=admin_headers,
    ).json()
    duties = {d["code"]: d for d in board["duties"]}
    assert len(duties) == 16 and len(board["tasks"]) == 9
    assert duties["V.5.4"]["status"] == "on_track"
    assert duties["V.5.4"]["lead_agencies_reported"] == ["bao-ptth-cb"]
    assert duties["V.5.1"]["status"] == "lagging"
    assert board["duty_summary"]["on_track"] == 1 and sum(board["duty_summary"].values()) == 16
    done = client.patch(
        f"{URL}/V.5.4/progress/{progress_id}", json={"status": "blocked"}, headers=press
    )
    assert done.status_code == 200, done.text
    assert client.delete(f"{URL}/V.5.4/progress/{progress_id}", headers=press).status_code == 204
    assert_problem(client.get(f"{URL}/V.5.4/progress/{progress_id}", headers=press), 404)


def test_a_duty_with_progress_is_kept(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    body = {"agency_code": "so-tc", "period": "2026-Q1", "status": "done"}
    assert client.post(f"{URL}/V.4/progress", json=body, headers=admin_headers).status_code == 201
    assert_problem(client.delete(f"{URL}/V.4", headers=admin_headers), 409)
