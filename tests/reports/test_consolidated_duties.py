"""The consolidated report lists section V duties beside the tasks and the budget by
funding source, in JSON, .xlsx and .docx alike."""

from io import BytesIO

from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.reports.helpers import PLAN, REPORTS

PARAMS = {"plan": PLAN, "period": "2026-Q1"}


def _prepare(client: TestClient, admin: dict[str, str]) -> None:
    progress = {"agency_code": "so-tc", "period": "2026-Q1", "status": "in_progress"}
    response = client.post(
        f"/api/v1/plans/{PLAN}/duties/V.4/progress", json=progress, headers=admin
    )
    assert response.status_code == 201, response.text
    for source, amount in (("provincial_budget", 90_000_000), ("other_lawful", 10_000_000)):
        line = {
            "plan_code": PLAN, "duty_code": "V.2.5", "agency_code": "so-vhttdl", "year": 2026,
            "funding_source": source, "estimate_vnd": amount,
        }  # fmt: skip
        response = client.post("/api/v1/budget-lines", json=line, headers=admin)
        assert response.status_code == 201, response.text


def test_duties_and_funding_sources_in_every_form(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    _prepare(client, admin_headers)
    body = client.get(f"{REPORTS}/consolidated", params=PARAMS, headers=admin_headers).json()
    duties = {d["code"]: d for d in body["task_board"]["duties"]}
    assert len(duties) == 16 and duties["V.4"]["status"] == "on_track"
    sources = {s["funding_source"]: s for s in body["budget"]["by_funding_source"]}
    assert sources["other_lawful"]["estimate_vnd"] == 10_000_000
    by_duty = {d["duty_code"]: d for d in body["budget"]["by_duty"]}
    assert by_duty["V.2.5"]["estimate_vnd"] == 100_000_000

    xlsx = client.get(f"{REPORTS}/consolidated.xlsx", params=PARAMS, headers=admin_headers)
    book = load_workbook(BytesIO(xlsx.content))
    rows = {r[0]: r for r in book["Nhiệm vụ mục V"].iter_rows(min_row=2, values_only=True)}
    assert list(rows) == list(duties)
    assert rows["V.4"][1] == duties["V.4"]["text"] and rows["V.4"][2] == "Sở Tài chính"
    assert rows["V.4"][3] == duties["V.4"]["status_label_vi"]
    budget = {r[0]: r for r in book["Kinh phí"].iter_rows(min_row=2, values_only=True)}
    assert budget["V.2.5"][3] == 100_000_000 and budget[None][3] == 100_000_000
    funding = {r[0]: r for r in book["Kinh phí theo nguồn"].iter_rows(min_row=2, values_only=True)}
    assert funding["Nguồn kinh phí huy động hợp pháp khác"][2] == 10_000_000
    assert funding["Ngân sách tỉnh"][2] == 90_000_000

    docx = client.get(f"{REPORTS}/consolidated.docx", params=PARAMS, headers=admin_headers)
    document = Document(BytesIO(docx.content))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert duties["V.5.4"]["text"] in cells and "V.5.4" in cells
    paragraphs = [p.text for p in document.paragraphs]
    assert "- Ngân sách tỉnh: dự toán 90.000.000 đồng; được bố trí 0 đồng; đã chi 0 đồng." in (
        paragraphs
    )
