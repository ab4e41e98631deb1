"""The task board: every task with its leads and a state derived from progress."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.vocab import Scope
from tests.helpers import assert_problem
from tests.reports.helpers import PLAN, REPORTS, key_headers, progress

BOARD = f"{REPORTS}/task-board"


def _board(client: TestClient, headers: dict[str, str], period: str) -> dict[int, dict[str, Any]]:
    response = client.get(BOARD, params={"plan": PLAN, "period": period}, headers=headers)
    assert response.status_code == 200, response.text
    return {t["number"]: t for t in response.json()["tasks"]}


def test_all_nine_tasks_with_their_leads(client: TestClient, session: Session) -> None:
    reader = key_headers(session, "xa-bao-lam", [Scope.read])
    response = client.get(BOARD, params={"plan": PLAN, "period": "2026-Q1"}, headers=reader)
    body = response.json()
    assert (body["window_start"], body["window_end"]) == ("2025-12-15", "2026-03-14")
    tasks = {t["number"]: t for t in body["tasks"]}
    assert sorted(tasks) == list(range(1, 10))
    assert [p["agency_code"] for p in tasks[3]["leads"]] == ["bao-ptth-cb", "tap-chi-nncb"]
    assert tasks[1]["leads"][0]["group_code"] == "so-ban-nganh-dia-phuong"
    assert tasks[1]["leads"][0]["name"] == "Các sở, ban, ngành, địa phương"
    assert tasks[1]["lead_agencies"] > 50
    # Nobody filed progress: every task is lagging.
    assert {t["status"] for t in tasks.values()} == {"lagging"}
    assert body["summary"]["lagging"] == 9


def test_states_from_progress(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    progress(client, admin_headers, 1, "xa-bao-lam", "2026-03")  # a month inside Q1
    progress(client, admin_headers, 5, "so-khcn", "2026-Q1")
    progress(client, admin_headers, 6, "so-vhttdl", "2026-Q1", "blocked")
    progress(client, admin_headers, 3, "bao-ptth-cb", "2026-Q1", "done")
    progress(client, admin_headers, 8, "so-vhttdl", "2026-Q2")  # another quarter
    progress(client, admin_headers, 9, "xa-ly-bon", "2026-Q1")  # not a lead of task 9
    tasks = _board(client, admin_headers, "2026-Q1")
    assert tasks[1]["status"] == "on_track"
    assert tasks[1]["lead_agencies_reported"] == ["xa-bao-lam"]
    assert tasks[5]["status"] == "on_track"
    assert tasks[6]["status"] == "blocked" and tasks[6]["status_label_vi"] == "Vướng mắc"
    # One of task 3's two leads reported done: in progress, not done.
    assert tasks[3]["status"] == "on_track"
    assert tasks[8]["status"] == "lagging" and tasks[9]["status"] == "lagging"
    assert tasks[8]["reason"].startswith("Không đơn vị chủ trì")
    assert _board(client, admin_headers, "2026-Q2")[8]["status"] == "on_track"
    # The half-year reads Q1, Q2 and their months.
    assert _board(client, admin_headers, "2026-H1")[8]["status"] == "on_track"


def test_dated_task_done_or_overdue(client: TestClient, admin_headers: dict[str, str]) -> None:
    # Task 3 is due "Năm 2026, 2027": seen from Q1 2028 it is overdue unless done.
    assert _board(client, admin_headers, "2027")[3]["status"] == "lagging"
    assert _board(client, admin_headers, "2028-Q1")[3]["status"] == "overdue"
    progress(client, admin_headers, 3, "bao-ptth-cb", "2027-Q3", "done")
    assert _board(client, admin_headers, "2028-Q1")[3]["status"] == "overdue"
    progress(client, admin_headers, 3, "tap-chi-nncb", "2027-Q4", "done")
    board = _board(client, admin_headers, "2028-Q1")
    assert board[3]["status"] == "done" and board[3]["status_label_vi"] == "Hoàn thành"
    # Recurring tasks are never "done" nor overdue.
    assert board[1]["status"] == "lagging"


def test_task_board_bad_query(client: TestClient, admin_headers: dict[str, str]) -> None:
    assert_problem(client.get(BOARD, params={"plan": PLAN, "period": "2026-H2"},
                              headers=admin_headers), 422)  # fmt: skip
    assert_problem(client.get(BOARD, params={"plan": PLAN}, headers=admin_headers), 422)
    assert_problem(client.get(BOARD, params={"plan": "khac", "period": "2026"},
                              headers=admin_headers), 404)  # fmt: skip
    assert_problem(client.get(BOARD, params={"plan": PLAN, "period": "2026"}), 401)
