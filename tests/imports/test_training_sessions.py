"""An organiser's attendance sheets typed into the training template: one row per line of
attendance, the rows of a session grouped, pushed whole through the session's push."""

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.training_sessions.models import TrainingSession
from tests.imports.helpers import errors_of, filled_xlsx, outcomes, upload

TITLE = "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng"
T2026_6 = "/api/v1/plans/kh-209-2026/indicators/T2026-6/status"
SHEET: list[list[Any]] = [
    # rows 2-4: one session, its first row complete, then two lines of attendance
    ["", "Sở Văn hóa, Thể thao và Du lịch", TITLE, "Tập huấn", "Trực tiếp",
     "15/04/2026", "16/04/2026", "Hội trường UBND xã Bảo Lâm", "Bình dân học vụ số", "",
     "Tổ công nghệ số cộng đồng xã Bảo Lâm", "Thành viên Tổ công nghệ số cộng đồng", 12, 11],
    [None, None, None, None, None, None, None, None, None, None,
     "to-cns-xa-ly-bon", "Thành viên Tổ công nghệ số cộng đồng", 9, 9],
    [None, None, None, None, None, None, None, None, None, None,
     "Xã Lý Bôn", "Cán bộ thông tin cơ sở", 2, None],
    # row 5: a one-day briefing (an Excel date cell) whose passed exceed participants
    ["HN-01", "so-khcn", "Hội nghị học tập, quán triệt Nghị quyết 57-NQ/TW", "Học tập, quán triệt",
     "Kết hợp", datetime(2026, 3, 20), None, "", "Nghị quyết 57-NQ/TW", "Cán bộ, công chức",
     "so-khcn", "Cán bộ, công chức", 40, 45],
    # rows 6-7: a session whose second line names an agency that does not exist
    ["", "UBND xã Nam Quang", "Bồi dưỡng kỹ năng truyền thông cơ sở", "Bồi dưỡng", "Trực tuyến",
     "05/05/2026", "", "", "Chuyển đổi số", "",
     "xa-nam-quang", "Cán bộ thông tin cơ sở", 3, ""],
    [None, None, None, None, None, None, None, None, None, None,
     "Xã Nam Quangg", "Cán bộ thông tin cơ sở", 2, ""],
    # row 8: attendance with no participants
    ["", "xa-ly-bon", "Tập huấn an toàn thông tin", "Tập huấn", "Trực tiếp", "06/05/2026", "",
     "", "", "", "xa-ly-bon", "Người dân", "", ""],
]  # fmt: skip


def _sessions(session: Session) -> int:
    statement = select(func.count()).select_from(TrainingSession)
    return int(session.exec(statement.where(TrainingSession.source == "import")).one())


def _trained(client: TestClient) -> int:
    response = client.get(T2026_6, params={"period": "2026", "as_of": "2026-06-30"})
    assert response.status_code == 200, response.text
    return int(response.json()["numerator"])


def test_sessions_over_several_rows_then_again(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    for team, members in (("to-cns-xa-bao-lam", 12), ("to-cns-xa-ly-bon", 10)):
        figure = {"metric": "digital_team_members", "agency_code": team, "period": "2026"}
        response = client.post(
            "/api/v1/figures", json={**figure, "value": members}, headers=admin_headers
        )
        assert response.status_code == 201, response.text
    trained_before = _trained(client)
    content = filled_xlsx(client, "training-sessions", SHEET, keep_example=False)
    answer = upload(client, admin_headers, "training-sessions", content, language="vi").json()
    assert outcomes(answer) == {
        2: "created", 3: "created", 4: "created", 5: "rejected", 6: "rejected",
        7: "rejected", 8: "rejected",
    }  # fmt: skip
    assert len({r["id"] for r in answer["rows"][:3]}) == 1  # one session, three rows
    [passed] = errors_of(answer, 5)
    assert passed["column"] == "Số người đạt yêu cầu" and passed["type"] == "range"
    assert passed["reason"] == "passed không được vượt quá participants"
    assert errors_of(answer, 7)[0]["column"] == "Đơn vị tham dự"
    assert "xem dòng 7" in errors_of(answer, 6)[0]["reason"]  # its session is refused
    missing = errors_of(answer, 8)
    assert [(e["column"], e["type"]) for e in missing] == [("Số người tham dự", "missing")]

    stored = client.get(
        f"/api/v1/training-sessions/{answer['rows'][0]['id']}", headers=admin_headers
    ).json()
    assert (stored["started_on"], stored["ended_on"], stored["mode"]) == (
        "2026-04-15", "2026-04-16", "in_person"
    )  # fmt: skip
    lines = sorted((a["agency_code"], a["participants"], a["passed"]) for a in stored["attendance"])
    assert lines == [("to-cns-xa-bao-lam", 12, 11), ("to-cns-xa-ly-bon", 9, 9), ("xa-ly-bon", 2, 0)]
    assert _trained(client) == trained_before + 12 + 9  # digital-team members trained

    again = upload(client, admin_headers, "training-sessions", content).json()
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 4}
    assert _sessions(session) == 1

    SHEET[3][13] = 38  # row 5 corrected; and a line of attendance corrected on row 3
    SHEET[1][12] = 10
    third = upload(
        client,
        admin_headers,
        "training-sessions",
        filled_xlsx(client, "training-sessions", SHEET, keep_example=False),
    ).json()
    got = outcomes(third)
    assert (got[2], got[3], got[4], got[5]) == ("updated", "updated", "updated", "created")
    assert _sessions(session) == 2
    SHEET[3][13], SHEET[1][12] = 45, 9


def test_a_repeated_session_row_must_say_the_same(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    first = SHEET[0]
    again = [
        *first[:7],
        "Nhà văn hóa xã",
        *first[8:10],
        "xa-bao-lam",
        "Cán bộ thông tin cơ sở",
        1,
        1,
    ]
    content = filled_xlsx(client, "training-sessions", [first, again], keep_example=False)
    answer = upload(client, admin_headers, "training-sessions", content).json()
    assert outcomes(answer) == {2: "rejected", 3: "rejected"}
    [differs] = errors_of(answer, 3)
    assert (differs["column"], differs["type"]) == ("Địa điểm", "session_differs")


def test_a_line_of_attendance_without_a_session(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    content = filled_xlsx(client, "training-sessions", [SHEET[1]], keep_example=False)
    answer = upload(client, admin_headers, "training-sessions", content).json()
    assert errors_of(answer, 2)[0]["type"] == "no_session"


def test_a_rule_between_two_cells_points_at_the_first_it_names(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    backwards = [*SHEET[0][:5], "16/04/2026", "15/04/2026", *SHEET[0][7:]]
    content = filled_xlsx(client, "training-sessions", [backwards], keep_example=False)
    answer = upload(client, admin_headers, "training-sessions", content).json()
    [error] = errors_of(answer, 2)
    assert (error["column"], error["type"]) == ("Đến ngày", "range")
