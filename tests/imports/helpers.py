"""Filling the service's own templates as a person would, and uploading them."""

import io
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook

IMPORTS = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(client: TestClient, record_type: str, extension: str) -> bytes:
    response = client.get(f"{IMPORTS}/templates/{record_type}.{extension}")
    assert response.status_code == 200, response.text
    return response.content


def filled_xlsx(
    client: TestClient, record_type: str, rows: Sequence[Sequence[Any]], *, keep_example: bool
) -> bytes:
    """The downloaded workbook with ``rows`` typed under the header (after the example
    row when it is kept, over it otherwise)."""
    book = load_workbook(io.BytesIO(template(client, record_type, "xlsx")))
    sheet = book["Dữ liệu"]
    first = 3 if keep_example else 2
    if not keep_example:
        sheet.delete_rows(2)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=first + offset, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(lines: Sequence[Sequence[Any]], *, bom: bool = True, delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in lines:
        writer.writerow(["" if value is None else value for value in line])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def upload(
    client: TestClient,
    headers: dict[str, str],
    record_type: str,
    content: bytes,
    *,
    name: str = "so-theo-doi.xlsx",
    dry_run: bool | None = None,
    language: str | None = None,
) -> Response:
    data = {"record_type": record_type}
    if dry_run is not None:
        data["dry_run"] = "true" if dry_run else "false"
    extra = {"Accept-Language": language} if language else {}
    return client.post(
        IMPORTS,
        data=data,
        files={"file": (name, content, XLSX if name.endswith(".xlsx") else "text/csv")},
        headers={**headers, **extra},
    )


def outcomes(answer: dict[str, Any]) -> dict[int, str]:
    return {row["row"]: row["outcome"] for row in answer["rows"]}


def errors_of(answer: dict[str, Any], row: int) -> list[dict[str, Any]]:
    found = next(r for r in answer["rows"] if r["row"] == row)
    return found["errors"]  # type: ignore[no-any-return]
