"""The uploads kept: listed like every list, each with its rows; a key sees its own
agency's. The file as JSON; the templates themselves."""

import base64
import hashlib
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.core.vocab import LABELS_VI, ContentOrigin
from tests.channels.factories import key_headers
from tests.helpers import assert_problem, list_all
from tests.imports.helpers import IMPORTS, filled_xlsx, template, upload

ROW = ["", "xa-bao-lam", "20/03/2026 07:30", 15, "Bản tin xã Bảo Lâm", "Cơ sở tự sản xuất"]


def test_uploads_are_listed_and_kept_with_their_rows(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    commune = key_headers(session, "xa-bao-lam")
    other = key_headers(session, "xa-ly-bon")
    content = filled_xlsx(client, "broadcasts", [ROW], keep_example=False)
    mine = upload(client, commune, "broadcasts", content, name="C:\\Users\\xa\\so thang 3.xlsx")
    assert mine.status_code == 201, mine.text
    for _ in range(2):
        upload(client, other, "broadcasts", content, dry_run=True)
    upload(client, admin_headers, "figures", b"%PDF-1.7\x00")

    everything = list_all(client, IMPORTS, headers=admin_headers, limit=2)
    assert [u["record_type"] for u in everything] == ["broadcasts"] * 3 + ["figures"]
    assert [u["outcome"] for u in everything] == ["completed"] * 3 + ["refused"]
    first = everything[0]
    assert first["file_name"] == "so thang 3.xlsx"  # the name without the folders
    assert first["file_sha256"] == hashlib.sha256(content).hexdigest()
    assert (first["file_size"], first["file_format"]) == (len(content), "xlsx")
    assert first["agency_code"] == "xa-bao-lam" and first["actor"].startswith("key:")
    assert first["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert "rows" not in first
    assert list_all(client, IMPORTS, headers=admin_headers, record_type="figures")[0][
        "problem"
    ].startswith("The file is not a spreadsheet")

    own = list_all(client, IMPORTS, headers=commune)
    assert [u["id"] for u in own] == [first["id"]]
    detail = client.get(f"{IMPORTS}/{first['id']}", headers=commune).json()
    assert detail["rows"][0]["row"] == 2 and detail["rows"][0]["outcome"] == "created"
    assert_problem(client.get(f"{IMPORTS}/{first['id']}", headers=other), 404)
    assert_problem(client.get(f"{IMPORTS}/{first['id']}"), 401)
    assert client.get(f"{IMPORTS}/{first['id']}", headers=admin_headers).status_code == 200


def test_the_file_as_json(client: TestClient, admin_headers: dict[str, str]) -> None:
    """The contract's own example, then a file that is not base64-clean."""
    example = client.get("/openapi.json").json()["paths"][IMPORTS]["post"]["requestBody"]
    body = example["content"]["application/json"]["example"]
    answer = client.post(IMPORTS, json=body, headers=admin_headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["counts"]["created"] == 1
    assert answer.json()["file_format"] == "csv"
    content = filled_xlsx(client, "broadcasts", [ROW], keep_example=False)
    encoded = base64.b64encode(content).decode()
    xlsx = {"record_type": "broadcasts", "file_name": "so.xlsx", "content_base64": encoded}
    dry = client.post(IMPORTS, json={**xlsx, "dry_run": True}, headers=admin_headers).json()
    assert dry["dry_run"] is True and dry["counts"]["created"] == 1
    broken = client.post(IMPORTS, json={**xlsx, "content_base64": "a"}, headers=admin_headers)
    assert assert_problem(broken, 422)["errors"][0]["loc"] == ["body", "content_base64"]
    not_json = client.post(
        IMPORTS,
        content=b'{"record_type": ',
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert "line 1" in assert_problem(not_json, 400)["detail"]


def test_templates(client: TestClient) -> None:
    """Anyone may download them (the catalogue is public): Vietnamese headers, drop-down
    lists of the Vietnamese labels and of the agencies, the note, an example row."""
    book = load_workbook(io.BytesIO(template(client, "broadcasts", "xlsx")))
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    data = book["Dữ liệu"]
    headers = [cell.value for cell in data[1]]
    assert headers[:3] == ["Mã dòng", "Xã, phường (*)", "Thời gian bắt đầu phát (*)"]
    assert data["B2"].value == "UBND xã Bảo Lâm" and data["C2"].value == "20/03/2026 07:30"
    lists = book["Danh mục"]
    sources = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    origin = sources["F2:F10001"].split("!")[1].replace("$", "")
    labels = [row[0].value for row in lists[origin]]
    assert labels == list(LABELS_VI[ContentOrigin].values())
    agencies = [row[0].value for row in lists[sources["B2:B10001"].split("!")[1].replace("$", "")]]
    assert "UBND xã Bảo Lâm" in agencies and "UBND phường Thục Phán" in agencies
    assert len(agencies) == 56  # the communes and wards only
    note = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Mã dòng" in note and "bản ghi MỚI" in note and "dry_run" in note

    for record_type in ("broadcasts", "media-products", "training-sessions", "figures"):
        response = client.get(f"{IMPORTS}/templates/{record_type}.csv")
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads UTF-8 by
        assert "# MẪU NHẬP" in response.content.decode("utf-8-sig").splitlines()[0]
        assert "attachment" in response.headers["content-disposition"]
        assert client.get(f"{IMPORTS}/templates/{record_type}.xlsx").status_code == 200
    assert_problem(client.get(f"{IMPORTS}/templates/channels.xlsx"), 422)


def test_an_untouched_template_writes_nothing(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for record_type in ("broadcasts", "media-products", "training-sessions", "figures"):
        for extension in ("xlsx", "csv"):
            content = template(client, record_type, extension)
            answer = upload(client, admin_headers, record_type, content, name=f"m.{extension}")
            assert answer.status_code == 201, answer.text
            assert answer.json()["rows_total"] == 0, (record_type, extension)
            assert len(answer.json()["notes"]) == 2  # the example skipped; no data rows


def test_an_idempotency_key_replays_the_json_upload(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """A multipart body's boundary changes with every send, so its bytes never repeat:
    re-sending the file itself is what is safe (its rows come back `unchanged`)."""
    content = filled_xlsx(client, "broadcasts", [ROW], keep_example=False)
    body = {
        "record_type": "broadcasts",
        "file_name": "so.xlsx",
        "content_base64": base64.b64encode(content).decode(),
    }
    headers = {**admin_headers, "Idempotency-Key": "so-thang-3-lan-1"}
    first = client.post(IMPORTS, json=body, headers=headers)
    again = client.post(IMPORTS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(list_all(client, IMPORTS, headers=admin_headers)) == 1


def test_an_idempotency_key_replays_a_multipart_upload(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Each send draws a new multipart boundary; the key still names the same upload."""
    content = filled_xlsx(client, "broadcasts", [ROW], keep_example=False)
    headers = {**admin_headers, "Idempotency-Key": "so-thang-3-tep"}
    first = upload(client, headers, "broadcasts", content)
    again = upload(client, headers, "broadcasts", content)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    other_file = filled_xlsx(client, "broadcasts", [ROW, ROW], keep_example=False)
    assert upload(client, headers, "broadcasts", other_file).status_code == 422


def test_a_template_lists_hostile_agency_names_as_text(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Agency names come from outside: one holding a control character must not break the
    workbook, one that reads like a formula stays text (the exports' rule)."""
    for code, name in (("xa-thu-1", "Xã \x07Thử"), ("xa-thu-2", '=HYPERLINK("http://x","y")')):
        body = {"code": code, "name": name, "kind": "commune"}
        created = client.post("/api/v1/agencies", json=body, headers=admin_headers)
        assert created.status_code == 201, created.text
    book = load_workbook(io.BytesIO(template(client, "broadcasts", "xlsx")))
    values = [cell for row in book["Danh mục"].iter_rows() for cell in row if cell.value]
    assert all(cell.data_type == "s" for cell in values)
    texts = {cell.value for cell in values}
    assert "Xã Thử" in texts
    assert '\'=HYPERLINK("http://x","y")' in texts
