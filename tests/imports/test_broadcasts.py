"""A commune's loudspeaker logbook typed into the broadcast template: every row answered,
a second upload creates nothing, corrections update, indicator T2026-5 follows."""

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.broadcasts.models import Broadcast
from tests.channels.factories import audit_events, key_headers
from tests.imports.helpers import errors_of, filled_xlsx, outcomes, upload

T2026_5 = "/api/v1/plans/kh-209-2026/indicators/T2026-5/status"
AS_OF = {"period": "2026", "as_of": "2026-06-30"}
NQ57 = "Nghị quyết 57-NQ/TW"

# As a commune officer types the logbook: names as people say them, dates day first,
# an Excel date cell, "15 phút", and the usual mistakes.
LOGBOOK: list[list[Any]] = [
    # row 3
    ["", "UBND xã Bảo Lâm", "20/03/2026 07:30", 15, f"Tiếp sóng thời sự về {NQ57}",
     "Tỉnh (phát lại)", "", NQ57, 12],
    # row 4: an Excel date cell, a duration with its unit, two topics, Tày
    ["", "Xã Lý Bôn", datetime(2026, 3, 21, 17, 0), "15 phút", "Bản tin Bình dân học vụ số",
     "Trung ương", "Tiếng Tày", "Bình dân học vụ số; Chuyển đổi số", None],
    # row 5: 31 February
    ["", "Nam Quang", "31/02/2026 07:30", 10, "Tin hoạt động chuyển đổi số của xã",
     "Cơ sở tự sản xuất", "", "Chuyển đổi số", None],
    # row 6: a commune that does not exist
    ["", "Xã Bảo Lâmm", "22/03/2026 07:00", 10, "Tin địa phương", "Cơ sở tự sản xuất", "",
     NQ57, None],
    # row 7: no title
    ["", "xa-quang-lam", "22/03/2026 18:00", 20, "", "Tỉnh (phát lại)", "", NQ57, None],
    # row 8: a ward, an hour and a half
    ["", "Phường Thục Phán", "23/03/2026 06:00", "1 giờ 30 phút",
     "Chuyên mục Khoa học, công nghệ và chuyển đổi số", "Tỉnh", "", "Khoa học, công nghệ",
     20],
    # row 9: row 3 typed twice
    ["", "UBND xã Bảo Lâm", "20/03/2026 07:30", 15, f"Tiếp sóng thời sự về {NQ57}",
     "Tỉnh (phát lại)", "", NQ57, 12],
    # row 10: a day without its time
    ["", "Xã Yên Thổ", "24/03/2026", 15, "Bản tin sáng", "Cơ sở tự sản xuất", "", NQ57, None],
    # row 11: 0 minutes, refused by the push rules (duration 1 to 86,400 s)
    ["YT-0001", "Xã Yên Thổ", "24/03/2026 19:00", 0, "Bản tin tối", "Trung ương", "", NQ57,
     None],
    # row 12: a topic not in the list
    ["", "Xã Yên Thổ", "25/03/2026 19:00", 10, "Bản tin tối", "Trung ương", "", "Thể thao",
     None],
]  # fmt: skip
GOOD = {3: "created", 4: "created", 8: "created"}
BAD = {5: "date", 6: "unknown_agency", 7: "missing", 9: "duplicate_row", 10: "time_missing"}


def _status(client: TestClient) -> dict[str, Any]:
    response = client.get(T2026_5, params=AS_OF)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _imported(session: Session) -> int:
    statement = select(func.count()).select_from(Broadcast).where(Broadcast.source == "import")
    return int(session.exec(statement).one())


def _counted(status: dict[str, Any]) -> set[str]:
    return {row["agency_code"] for row in status["breakdown"] if row["counts"]}


def test_a_logbook_then_the_same_logbook_again(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    before = _status(client)
    content = filled_xlsx(client, "broadcasts", LOGBOOK, keep_example=True)

    first = upload(client, admin_headers, "broadcasts", content)
    assert first.status_code == 201, first.text
    answer = first.json()
    assert first.headers["Location"] == f"/api/v1/imports/{answer['id']}"
    assert answer["outcome"] == "completed" and answer["file_format"] == "xlsx"
    assert outcomes(answer) == {**GOOD, **dict.fromkeys([*BAD, 11, 12], "rejected")}
    assert answer["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 7}
    for row, kind in BAD.items():
        assert [e["type"] for e in errors_of(answer, row)] == [kind], row
    assert errors_of(answer, 5)[0]["column"] == "Thời gian bắt đầu phát (*)"
    assert errors_of(answer, 6)[0]["column"] == "Xã, phường (*)"
    assert errors_of(answer, 7)[0]["column"] == "Tên tin, bài, chương trình (*)"
    assert "row 3" in errors_of(answer, 9)[0]["reason"]
    zero = errors_of(answer, 11)
    assert (zero[0]["column"], zero[0]["type"]) == ("Thời lượng (phút) (*)", "greater_than_equal")
    assert errors_of(answer, 12)[0]["type"] == "unknown_choice"
    assert any("example" in note for note in answer["notes"])  # row 2 left as it was

    after = _status(client)
    assert after["numerator"] == before["numerator"] + 3
    assert {"xa-bao-lam", "xa-ly-bon", "phuong-thuc-phan"} <= _counted(after)

    again = upload(client, admin_headers, "broadcasts", content).json()
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 7}
    assert {r["row"]: r["id"] for r in again["rows"] if r["id"]} == {
        r["row"]: r["id"] for r in answer["rows"] if r["id"]
    }
    assert _imported(session) == 3
    assert _status(client)["numerator"] == after["numerator"]


def test_rows_read_as_the_api_would_store_them(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    answer = upload(
        client,
        admin_headers,
        "broadcasts",
        filled_xlsx(client, "broadcasts", LOGBOOK, keep_example=False),
    ).json()
    ids = {r["row"]: r["id"] for r in answer["rows"]}  # the example deleted: rows from 2
    bao_lam = client.get(f"/api/v1/broadcasts/{ids[2]}", headers=admin_headers).json()
    assert bao_lam["agency_code"] == "xa-bao-lam"
    assert bao_lam["started_at"] == "2026-03-20T00:30:00Z"  # 07:30 in Cao Bằng
    assert (bao_lam["duration_seconds"], bao_lam["origin"]) == (900, "provincial")
    assert (bao_lam["source"], bao_lam["loudspeaker_clusters"]) == ("import", 12)
    ly_bon = client.get(f"/api/v1/broadcasts/{ids[3]}", headers=admin_headers).json()
    assert (ly_bon["language"], ly_bon["duration_seconds"]) == ("tay", 900)
    assert ly_bon["topics"] == ["digital_literacy", "digital_transformation"]
    thuc_phan = client.get(f"/api/v1/broadcasts/{ids[7]}", headers=admin_headers).json()
    assert thuc_phan["duration_seconds"] == 5400
    [event] = audit_events(session, "broadcast", ids[2])
    assert (event.action, event.actor) == ("create", "bootstrap-admin")


def test_corrections_update_and_the_id_column_keeps_a_row_s_identity(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    rows = [list(row) for row in LOGBOOK]
    first = upload(
        client,
        admin_headers,
        "broadcasts",
        filled_xlsx(client, "broadcasts", rows, keep_example=True),
    ).json()
    rows[0][3] = 20  # row 3: the duration corrected -> the same record, updated
    rows[2][2] = "28/02/2026 07:30"  # row 5: the date corrected -> created now
    rows[1][4] = "Bản tin Bình dân học vụ số tháng 3"  # row 4: another title: a new record
    rows[8][3] = 30  # row 11 (ID YT-0001): valid now
    second = upload(
        client,
        admin_headers,
        "broadcasts",
        filled_xlsx(client, "broadcasts", rows, keep_example=True),
    ).json()
    got = outcomes(second)
    assert (got[3], got[4], got[5], got[8], got[11]) == (
        "updated", "created", "created", "unchanged", "created"
    )  # fmt: skip
    assert next(r for r in second["rows"] if r["row"] == 3)["id"] == first["rows"][0]["id"]
    assert _imported(session) == 6  # the old title of row 4 is still there, as documented

    rows[8][4] = "Bản tin tối thứ Ba"  # a title corrected on a row with its own ID
    rows[8][2] = "24/03/2026 19:15"  # and its time
    third = upload(
        client,
        admin_headers,
        "broadcasts",
        filled_xlsx(client, "broadcasts", rows, keep_example=True),
    ).json()
    row_11 = next(r for r in third["rows"] if r["row"] == 11)
    assert row_11["outcome"] == "updated" and row_11["external_id"] == "YT-0001"
    assert row_11["id"] == next(r for r in second["rows"] if r["row"] == 11)["id"]
    stored = session.exec(select(Broadcast).where(Broadcast.external_id == "YT-0001")).one()
    assert (stored.title, stored.duration_seconds) == ("Bản tin tối thứ Ba", 1800)
    # the title's case, accents and punctuation are not its identity
    rows[0][4] = f"TIẾP SÓNG THỜI SỰ VỀ {NQ57.upper()}."
    fourth = upload(
        client,
        admin_headers,
        "broadcasts",
        filled_xlsx(client, "broadcasts", rows, keep_example=True),
    ).json()
    assert outcomes(fourth)[3] == "updated"
    assert _imported(session) == 6


def test_a_dry_run_answers_the_same_and_writes_no_record(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    before = _status(client)["numerator"]
    content = filled_xlsx(client, "broadcasts", LOGBOOK, keep_example=True)
    dry = upload(client, admin_headers, "broadcasts", content, dry_run=True).json()
    assert dry["dry_run"] is True
    assert dry["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 7}
    assert _imported(session) == 0
    assert _status(client)["numerator"] == before
    query = client.post(
        "/api/v1/imports?dry_run=true",
        data={"record_type": "broadcasts"},
        files={"file": ("so.xlsx", content)},
        headers=admin_headers,
    ).json()
    assert query["dry_run"] is True and _imported(session) == 0
    kept = client.get("/api/v1/imports", headers=admin_headers).json()["items"]
    assert [u["dry_run"] for u in kept[-2:]] == [True, True]


def test_reasons_in_vietnamese(client: TestClient, admin_headers: dict[str, str]) -> None:
    content = filled_xlsx(client, "broadcasts", LOGBOOK, keep_example=True)
    vi = upload(client, admin_headers, "broadcasts", content, language="vi").json()
    assert "không phải là một ngày có thật" in errors_of(vi, 5)[0]["reason"]
    assert "không có đơn vị 'Xã Bảo Lâmm'" in errors_of(vi, 6)[0]["reason"]
    assert errors_of(vi, 7)[0]["reason"] == "ô này bắt buộc, không được để trống"
    assert "trùng với dòng 3" in errors_of(vi, 9)[0]["reason"]
    assert "thiếu giờ" in errors_of(vi, 10)[0]["reason"]
    assert errors_of(vi, 11)[0]["reason"] == "Phải lớn hơn hoặc bằng 1"  # the push rule's own
    assert "dòng ví dụ" in vi["notes"][0]
    en = upload(client, admin_headers, "broadcasts", content).json()
    assert "is not a day of the calendar" in errors_of(en, 5)[0]["reason"]


def test_a_commune_key_writes_only_its_own_tree(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    commune = key_headers(session, "xa-bao-lam")
    rows = [
        ["", "UBND xã Bảo Lâm", "20/03/2026 07:30", 15, "Bản tin xã", "Cơ sở tự sản xuất"],
        ["", "Xã Lý Bôn", "20/03/2026 07:30", 15, "Bản tin xã", "Cơ sở tự sản xuất"],
        ["", "to-cns-xa-bao-lam", "20/03/2026 08:00", 15, "Tổ công nghệ số", "Cơ sở tự sản xuất"],
    ]
    answer = upload(
        client,
        commune,
        "broadcasts",
        filled_xlsx(client, "broadcasts", rows, keep_example=False),
        language="vi",
    ).json()
    assert outcomes(answer) == {2: "created", 3: "rejected", 4: "created"}
    [refusal] = errors_of(answer, 3)
    assert refusal["type"] == "forbidden" and refusal["column"] == "Xã, phường (*)"
    assert refusal["reason"] == "Khóa của 'xa-bao-lam' không được ghi hồ sơ của 'xa-ly-bon'."
    written = session.exec(select(Broadcast.agency_code).where(col(Broadcast.source) == "import"))
    assert sorted(written.all()) == ["to-cns-xa-bao-lam", "xa-bao-lam"]
