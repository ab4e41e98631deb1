"""Files refused as a whole: a clear 4xx problem, nothing written, the upload kept."""

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.broadcasts.models import Broadcast
from app.core.config import get_settings
from tests.helpers import assert_problem
from tests.imports.helpers import IMPORTS, csv_bytes, filled_xlsx, template, upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _set(monkeypatch: pytest.MonkeyPatch, **values: int) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"NQ57_{name.upper()}", str(value))
    get_settings.cache_clear()


def _last(client: TestClient, headers: dict[str, str]) -> dict[str, object]:
    items = client.get(IMPORTS, headers=headers, params={"limit": 500}).json()["items"]
    return items[-1]  # type: ignore[no-any-return]


def _broadcasts(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Broadcast)).one())


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("anh.png", PNG, "not a spreadsheet"),
        ("so-cu.xls", XLS, ".xls"),
        ("bao-cao.docx", None, "not an Excel workbook"),
        ("hong.xlsx", b"PK\x03\x04not really a zip", "damaged"),
    ],
)
def test_not_a_spreadsheet(
    client: TestClient, admin_headers: dict[str, str], name: str, content: bytes | None, says: str
) -> None:
    if content is None:  # a zip, but a Word document
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    problem = assert_problem(upload(client, admin_headers, "broadcasts", content, name=name), 422)
    assert says in problem["detail"]
    assert problem["errors"][0]["loc"] == ["body", "file"]
    assert problem["errors"][0]["type"] == "unknown_file_format"
    kept = _last(client, admin_headers)
    assert (kept["outcome"], kept["file_name"], kept["problem"]) == (
        "refused",
        name,
        problem["detail"],
    )


def test_another_template(client: TestClient, admin_headers: dict[str, str]) -> None:
    figures = template(client, "figures", "xlsx")
    problem = assert_problem(upload(client, admin_headers, "broadcasts", figures), 422)
    assert problem["errors"][0]["type"] == "unknown_template"
    assert "record_type=figures" in problem["detail"]
    text = csv_bytes([["Ngày", "Nội dung", "Ghi chú"], ["20/03/2026", "Bản tin", ""]])
    vi = assert_problem(
        upload(client, admin_headers, "broadcasts", text, name="x.csv", language="vi"), 422
    )
    assert vi["title"] == "Dữ liệu không hợp lệ"
    assert vi["detail"].startswith("Không dòng nào có tiêu đề cột của mẫu")
    assert "Ngày; Nội dung; Ghi chú" in vi["detail"]


def test_too_large(
    client: TestClient, session: Session, admin_headers: dict[str, str], limits: pytest.MonkeyPatch
) -> None:
    _set(limits, import_max_bytes=4096)
    content = filled_xlsx(client, "broadcasts", [], keep_example=True)
    assert len(content) > 4096
    problem = assert_problem(upload(client, admin_headers, "broadcasts", content), 413)
    assert problem["errors"][0]["type"] == "file_too_large"
    kept = _last(client, admin_headers)
    assert kept["file_size"] == len(content) and kept["outcome"] == "refused"


def test_too_many_rows(
    client: TestClient, session: Session, admin_headers: dict[str, str], limits: pytest.MonkeyPatch
) -> None:
    _set(limits, import_max_rows=2)
    rows = [
        ["", "xa-bao-lam", f"2{day}/03/2026 07:30", 15, "Bản tin", "Cơ sở tự sản xuất"]
        for day in range(3)
    ]
    content = filled_xlsx(client, "broadcasts", rows, keep_example=False)
    problem = assert_problem(upload(client, admin_headers, "broadcasts", content), 413)
    assert problem["errors"][0]["type"] == "too_many_rows"
    assert _broadcasts(session) == 0


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * size)
    return buffer.getvalue()


@pytest.mark.parametrize(("expands", "kind"), [(20, "zip_ratio"), (3, "unzipped_too_large")])
def test_zip_bombs_are_refused_before_the_workbook_is_opened(
    client: TestClient,
    admin_headers: dict[str, str],
    limits: pytest.MonkeyPatch,
    expands: int,
    kind: str,
) -> None:
    import openpyxl

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    limits.setattr(openpyxl, "load_workbook", never)
    if kind == "unzipped_too_large":
        _set(limits, import_max_unzipped_bytes=2 * 1024 * 1024)
    bomb = _bomb(expands * 1024 * 1024)
    assert len(bomb) < 400 * 1024
    problem = assert_problem(upload(client, admin_headers, "broadcasts", bomb), 413)
    assert problem["errors"][0]["type"] == kind
    assert "MiB" in problem["detail"]


def test_malformed_requests_are_refused_before_any_upload_is_kept(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    content = template(client, "broadcasts", "csv")
    no_type = client.post(IMPORTS, files={"file": ("a.csv", content)}, headers=admin_headers)
    assert assert_problem(no_type, 422)["errors"][0]["loc"] == ["body", "record_type"]
    wrong_type = client.post(
        IMPORTS,
        data={"record_type": "channels"},
        files={"file": ("a.csv", content)},
        headers=admin_headers,
    )
    assert assert_problem(wrong_type, 422)["errors"][0]["type"] == "enum"
    no_file = client.post(IMPORTS, data={"record_type": "broadcasts"}, headers=admin_headers)
    assert assert_problem(no_file, 422)["errors"][0]["loc"] == ["body", "file"]
    text = client.post(
        IMPORTS, content=content, headers={**admin_headers, "Content-Type": "text/csv"}
    )
    assert assert_problem(text, 415).get("detail")
    assert text.headers["Accept-Post"] == "multipart/form-data, application/json"
    anonymous = upload(client, {}, "broadcasts", content, name="a.csv")
    assert_problem(anonymous, 401)
    assert client.get(IMPORTS, headers=admin_headers).json()["items"] == []
