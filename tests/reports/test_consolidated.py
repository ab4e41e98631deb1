"""The consolidated report: JSON, and the .xlsx and .docx built from it."""

from datetime import date, datetime
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.reports.export_docx import _number
from tests.helpers import assert_problem
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

PARAMS = {"plan": PLAN, "period": "2026-Q1"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def scenario(
    client: TestClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for commune in ("xa-bao-lam", "xa-ly-bon", "phuong-thuc-phan"):
        broadcast(client, admin_headers, commune, "2026-02-10T07:00:00+07:00")
    broadcast(client, admin_headers, "xa-bao-lam", "2026-03-16T07:00:00+07:00")  # Q2
    product(client, admin_headers, "bao-ptth-cb", "2026-02-01T09:00:00+07:00", kind="video")
    product(client, admin_headers, "cong-ttdt-tinh", "2026-02-02T09:00:00+07:00")
    progress(client, admin_headers, 5, "so-khcn", "2026-Q1")
    line = client.post(
        "/api/v1/budget-lines",
        json={"plan_code": PLAN, "task_number": 8, "agency_code": "so-vhttdl", "year": 2026,
              "estimate_vnd": 350_000_000},
        headers=admin_headers,
    ).json()  # fmt: skip
    client.put(f"/api/v1/budget-lines/{line['id']}/approval", json={"approved_vnd": 300_000_000},
               headers=admin_headers)  # fmt: skip
    ok = create_report(
        client, admin_headers, "xa-bao-lam",
        difficulties="Loa ở xóm Nà Pồng hư hỏng.", proposals="Hỗ trợ tài liệu tiếng Tày.",
    )  # fmt: skip
    act(client, monkeypatch, ok["id"], "submit", admin_headers, at("2026-03-18"))
    act(client, monkeypatch, ok["id"], "accept", admin_headers, at("2026-03-19"), {})
    late = create_report(client, admin_headers, "bao-ptth-cb")
    act(client, monkeypatch, late["id"], "submit", admin_headers, at("2026-03-25"))


def _json(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"{REPORTS}/consolidated", params=PARAMS, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.usefixtures("scenario")
def test_consolidated_json(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = _json(client, admin_headers)
    assert body["document_number"] == "209/KH-UBND"
    assert body["status_reference"] == {"period": "2026", "as_of": "2026-03-14"}
    assert len(body["indicators"]) == 16
    t5 = next(i for i in body["indicators"] if i["code"] == "T2026-5")
    assert t5["numerator"] == 3 and t5["value"] is not None
    assert len(body["task_board"]["tasks"]) == 9
    assert body["task_board"]["tasks"][4]["status"] == "on_track"
    assert body["compliance"]["summary"]["on_time"] == 1
    assert body["compliance"]["summary"]["late"] == 1
    assert body["activity"]["broadcasts"]["count"] == 3
    assert body["activity"]["media_products"]["total"] == 2
    assert body["activity"]["agency_codes"] is None
    assert body["budget"]["year"] == 2026
    assert body["budget"]["total"]["approved_vnd"] == 300_000_000
    assert [n["agency_code"] for n in body["agency_reports"]] == ["bao-ptth-cb", "xa-bao-lam"]


@pytest.mark.usefixtures("scenario")
def test_xlsx_holds_what_the_json_gives(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = _json(client, admin_headers)
    response = client.get(f"{REPORTS}/consolidated.xlsx", params=PARAMS, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="bao-cao-kh-209-2026-2026-Q1.xlsx"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith("Báo cáo 209-KH-UBND")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng quan", "Chỉ tiêu", "Nhiệm vụ", "Nhiệm vụ mục V", "Chế độ báo cáo", "Hoạt động",
        "Kinh phí", "Kinh phí theo đơn vị", "Kinh phí theo nguồn", "Báo cáo đơn vị",
    ]  # fmt: skip
    indicators = book["Chỉ tiêu"]
    assert [c.value for c in indicators[1]][:3] == ["Mã", "Chỉ tiêu", "Năm mục tiêu"]
    rows = {r[0]: r for r in indicators.iter_rows(min_row=2, values_only=True)}
    for indicator in body["indicators"]:
        row = rows[indicator["code"]]
        assert row[3] == indicator["target_value"] and isinstance(row[3], int | float)
        assert row[5] == indicator["value"] and row[6] == indicator["numerator"]
        assert row[9] == indicator["status_label_vi"]
    compliance = {r[0]: r for r in book["Chế độ báo cáo"].iter_rows(min_row=2, values_only=True)}
    for entry in body["compliance"]["agencies"]:
        assert compliance[entry["agency_code"]][1] == entry["name"]
        assert compliance[entry["agency_code"]][2] == entry["state_label_vi"]
    assert isinstance(compliance["xa-bao-lam"][4], datetime)
    assert compliance["xa-bao-lam"][4] == datetime(2026, 3, 18, 10, 0)  # local time
    overview = {r[0]: r[1] for r in book["Tổng quan"].iter_rows(min_row=2, values_only=True)}
    assert overview["Từ ngày"].date() == date(2025, 12, 15)
    assert book["Tổng quan"]["B5"].number_format == "DD/MM/YYYY"
    budget = list(book["Kinh phí"].iter_rows(min_row=2, values_only=True))
    assert budget[-1][1] == "Tổng cộng" and budget[-1][4] == 300_000_000
    tasks = list(book["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert [t[0] for t in tasks] == list(range(1, 10))
    assert tasks[2][2] == "; ".join(p["name"] for p in body["task_board"]["tasks"][2]["leads"])


@pytest.mark.usefixtures("scenario")
def test_docx_holds_what_the_json_gives(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = _json(client, admin_headers)
    response = client.get(f"{REPORTS}/consolidated.docx", params=PARAMS, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert 'filename="bao-cao-kh-209-2026-2026-Q1.docx"' in response.headers["content-disposition"]
    document = Document(BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = paragraphs + "\n" + "\n".join(cells)
    assert "BÁO CÁO" in paragraphs
    assert "Kết quả thực hiện Kế hoạch số 209/KH-UBND" in paragraphs
    assert "quý I năm 2026" in paragraphs
    rows = {
        row.cells[0].text: [c.text for c in row.cells]
        for table in document.tables
        for row in table.rows
    }
    for indicator in body["indicators"]:
        row = rows[indicator["code"]]
        assert row[1] == indicator["title"]
        assert row[3].startswith(_number(indicator["value"]))
        assert row[4] == indicator["status_label_vi"]
    late = next(e for e in body["compliance"]["agencies"] if e["state"] == "late")
    assert late["name"] in paragraphs
    for narrative in body["agency_reports"]:
        if narrative["difficulties"]:
            assert f"{narrative['name']}: {narrative['difficulties']}" in paragraphs
    for task in body["task_board"]["tasks"]:
        assert any(task["title"] == cell for cell in cells)
    assert "GIÁM ĐỐC" in text


def test_only_admin(client: TestClient, session: Session) -> None:
    writer = key_headers(session, "xa-bao-lam")
    for path in ("consolidated", "consolidated.xlsx", "consolidated.docx"):
        assert_problem(client.get(f"{REPORTS}/{path}", params=PARAMS, headers=writer), 403)
        assert_problem(client.get(f"{REPORTS}/{path}", params=PARAMS), 401)


@pytest.mark.parametrize(
    "params",
    [{"plan": PLAN, "period": "2026-H2"}, {"plan": PLAN}, {"period": "2026"}, {"request": 0}],
)
def test_bad_query(
    client: TestClient, admin_headers: dict[str, str], params: dict[str, Any]
) -> None:
    for path in ("consolidated", "consolidated.xlsx", "consolidated.docx"):
        assert_problem(client.get(f"{REPORTS}/{path}", params=params, headers=admin_headers), 422)


def test_empty_period_and_ad_hoc(client: TestClient, admin_headers: dict[str, str]) -> None:
    """No records at all, and an ad-hoc request: the exports still open."""
    request = client.post(
        "/api/v1/report-requests",
        json={"plan_code": PLAN, "title": "Đột xuất", "window_start": "2026-01-27",
              "window_end": "2026-02-10", "due_on": "2026-02-17", "agency_codes": ["xa-bao-lam"]},
        headers=admin_headers,
    ).json()  # fmt: skip
    for params in ({"plan": PLAN, "period": "2026"}, {"request": request["id"]}):
        for path in ("consolidated.xlsx", "consolidated.docx"):
            response = client.get(f"{REPORTS}/{path}", params=params, headers=admin_headers)
            assert response.status_code == 200, response.text
    docx = client.get(f"{REPORTS}/consolidated.docx", params={"request": request["id"]},
                      headers=admin_headers)  # fmt: skip
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "từ ngày 27/01/2026 đến ngày 10/02/2026" in text


def test_exports_survive_control_characters_in_the_data(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    # XML cannot hold a vertical tab or an escape; the exported copy drops them.
    renamed = client.patch(
        "/api/v1/agencies/so-vhttdl",
        json={"name": "Sở Văn hóa,\x0b Thể thao\x1b và Du lịch"},
        headers=admin_headers,
    )
    assert renamed.status_code == 200, renamed.text
    xlsx = client.get(f"{REPORTS}/consolidated.xlsx", params=PARAMS, headers=admin_headers)
    assert xlsx.status_code == 200, xlsx.text
    docx = client.get(f"{REPORTS}/consolidated.docx", params=PARAMS, headers=admin_headers)
    assert docx.status_code == 200, docx.text
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "\x0b" not in text
