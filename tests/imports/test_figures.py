"""Figures as departments report them: periods written the Vietnamese way, one value per
(metric, agency, period), a corrected value replacing the old one; T2026-1 follows."""

from fastapi.testclient import TestClient

from tests.imports.helpers import csv_bytes, errors_of, outcomes, template, upload

T2026_1 = "/api/v1/plans/kh-209-2026/indicators/T2026-1/status"
HEADER = ["Chỉ số (*)", "Đơn vị (*)", "Kỳ báo cáo (*)", "Giá trị (*)", "Ghi chú"]
ROWS = [
    ["Tổng số cán bộ, công chức, viên chức", "Sở Khoa học và Công nghệ", "Quý 1/2026", "50", ""],
    ["Số được học tập, quán triệt NQ57", "so-khcn", "2026-Q1", 40, "Hội nghị ngày 20/3/2026"],
    ["Số được học tập, quán triệt NQ57", "Sở Tài chính", "Quý 5/2026", 12, ""],  # no Q5
    ["Tổng số cán bộ, công chức, viên chức", "Xã Bảo Lâm", "Năm 2026", "-3", ""],  # negative
    ["Số người dùng VNeID", "Xã Bảo Lâm", "Năm 2026", 10, ""],  # not a metric
    ["Dân số", "Xã Bảo Lâm", "Năm 2026", "12.345", "Điều tra dân số giữa kỳ"],
]


def _numerator(client: TestClient) -> float:
    response = client.get(T2026_1, params={"period": "2026", "as_of": "2026-06-30"})
    assert response.status_code == 200, response.text
    return float(response.json()["numerator"])


def test_figures_then_corrected(client: TestClient, admin_headers: dict[str, str]) -> None:
    before = _numerator(client)
    answer = upload(
        client, admin_headers, "figures", csv_bytes([HEADER, *ROWS]), name="so-lieu.csv"
    ).json()
    assert outcomes(answer) == {
        2: "created", 3: "created", 4: "rejected", 5: "rejected", 6: "rejected", 7: "created"
    }  # fmt: skip
    assert errors_of(answer, 4)[0]["column"] == "Kỳ báo cáo (*)"
    assert (errors_of(answer, 5)[0]["column"], errors_of(answer, 5)[0]["type"]) == (
        "Giá trị (*)", "greater_than_equal"
    )  # fmt: skip
    assert errors_of(answer, 6)[0]["type"] == "unknown_choice"
    assert _numerator(client) == before + 40

    population = client.get(f"/api/v1/figures/{answer['rows'][-1]['id']}", headers=admin_headers)
    assert (population.json()["value"], population.json()["period"]) == (12345, "2026")

    again = upload(client, admin_headers, "figures", csv_bytes([HEADER, *ROWS])).json()
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 3}
    corrected = [list(row) for row in ROWS]
    corrected[1][3] = 45  # the same figure, a new value: updated, not a second figure
    third = upload(client, admin_headers, "figures", csv_bytes([HEADER, *corrected])).json()
    assert outcomes(third)[3] == "updated"
    assert _numerator(client) == before + 45


def test_the_figures_template_round_trips(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """The CSV template as downloaded, one line added under its example."""
    content = template(client, "figures", "csv") + "Dân số,xa-ly-bon,2026,8 500,\r\n".encode()
    answer = upload(client, admin_headers, "figures", content, name="mau.csv").json()
    assert answer["counts"]["created"] == 1 and answer["rows_total"] == 1
