"""Spreadsheet intake: templates to fill, uploads answered row by row, the uploads kept."""

import dataclasses
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.core.access import CatalogueReader, Reader, Writer
from app.core.db import SessionDep
from app.core.errors import READ_ERRORS
from app.core.filters import QueryModel
from app.core.pagination import PageDep
from app.core.push_api import DryRun
from app.core.routes import id_path
from app.core.seeded_params import seeded_path
from app.imports import service
from app.imports.directory import listed_agencies
from app.imports.layouts import LAYOUTS
from app.imports.schemas import ImportFilters, ImportPage, ImportRead, RecordType
from app.imports.service import Upload
from app.imports.templates import build_csv, build_xlsx, file_name
from app.imports.upload import UPLOAD_BODY, UPLOAD_ERRORS, read_upload

router = APIRouter(prefix="/imports", tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# One spreadsheet at a time per process: reading a workbook and pushing its rows is Python
# under the GIL; a second in parallel gains little and doubles the memory held.
_ONE_IMPORT_AT_A_TIME = threading.Lock()

ImportId = Annotated[int, id_path("The upload's id.")]
TemplateType = Annotated[
    RecordType,
    seeded_path("What the spreadsheet holds.", "broadcasts", "Broadcasts (lượt phát thanh)"),
]


@router.post(
    "",
    response_model=ImportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a filled spreadsheet",
    responses=UPLOAD_ERRORS,
    openapi_extra=UPLOAD_BODY,
)
def create_import(
    upload: Annotated[Upload, Depends(read_upload)],
    session: SessionDep,
    actor: Writer,
    response: Response,
    dry_run: DryRun = False,
) -> ImportRead:
    """Records from a template filled in Excel or any spreadsheet (GET
    /imports/templates/…), pushed by the same rules as the API: the key writes only its
    agency tree, every write is audited, indicator status follows, and a row already
    sent (same ID, or same agency, time and title) is `unchanged` or `updated`, never
    created twice. The answer gives each data row by its number in the spreadsheet:
    `created`, `updated`, `unchanged`, or `rejected` with the column and the reason (in
    Vietnamese with `Accept-Language: vi`); one bad row never sinks the others.
    `dry_run` (query or form field) answers the same and writes no record. A file that is
    not a spreadsheet, follows another template, is too large (`NQ57_IMPORT_MAX_BYTES`,
    default 10 MiB) or expands like a zip bomb is refused as a whole (413, 422). Every
    upload is kept, refused ones too: GET /imports."""
    if dry_run and not upload.dry_run:
        upload = dataclasses.replace(upload, dry_run=True)
    with _ONE_IMPORT_AT_A_TIME:
        record = service.import_spreadsheet(session, upload=upload, actor=actor)
    response.headers["Location"] = f"/api/v1/imports/{record.id}"
    return service.to_read(record)


@router.get("", response_model=ImportPage, summary="List uploads", responses=READ_ERRORS)
def list_imports(
    filters: QueryModel[ImportFilters], session: SessionDep, actor: Reader, page: PageDep
) -> ImportPage:
    """Uploaded spreadsheets, oldest first: who, when, which file (name, SHA-256), the
    record type, dry run or not, the outcome and the counts. A key sees its own agency's
    uploads, an admin key all of them."""
    rows, next_cursor = service.list_imports(session, page=page, actor=actor, filters=filters)
    return ImportPage(items=[service.to_summary(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{import_id:int}", response_model=ImportRead, summary="Get an upload", responses=READ_ERRORS
)
def get_import(import_id: ImportId, session: SessionDep, actor: Reader) -> ImportRead:
    """One upload with the outcome of each of its rows."""
    return service.to_read(service.get_import(session, import_id, actor))


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/templates/{record_type}.xlsx",
    summary="The Excel template",
    response_class=Response,
    responses={
        200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        **READ_ERRORS,
    },
)
def get_xlsx_template(
    record_type: TemplateType, session: SessionDep, _reader: CatalogueReader
) -> Response:
    """The workbook to fill: a `Dữ liệu` sheet with Vietnamese headers, an example row
    and drop-down lists (the vocabularies' Vietnamese labels, the agencies by name), a
    `Hướng dẫn` sheet saying how to fill it and how a row is recognised when the file is
    sent again, and a `Danh mục` sheet with the lists and their codes."""
    layout = LAYOUTS[record_type]
    agencies = listed_agencies(session, layout.agency_kinds)
    return _download(build_xlsx(layout, agencies), XLSX, file_name(layout, "xlsx"))


@router.get(
    "/templates/{record_type}.csv",
    summary="The CSV template",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **READ_ERRORS,
    },
)
def get_csv_template(record_type: TemplateType, _reader: CatalogueReader) -> Response:
    """The same template as CSV, in UTF-8 with a byte order mark (so that Excel shows the
    Vietnamese as it is): the note and the allowed values in lines starting with `#`
    above the header row, then an example row."""
    layout = LAYOUTS[record_type]
    return _download(build_csv(layout), CSV, file_name(layout, "csv"))
