"""API models of the spreadsheet intake: what an upload answers and what is kept of it."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from app.core.schemas import InputModel, Page, ReadModel


class RecordType(StrEnum):
    """What a spreadsheet holds; the values are the records' collection names in URLs."""

    broadcasts = "broadcasts"
    media_products = "media-products"
    training_sessions = "training-sessions"
    figures = "figures"


Outcome = Literal["created", "updated", "unchanged", "rejected"]
UploadOutcome = Literal["completed", "refused"]
MAX_FILE_NAME = 255
# base64 of NQ57_IMPORT_MAX_BYTES' default (10 MiB) with room to spare; the setting
# itself is checked on the decoded file.
MAX_BASE64 = 16 * 1024 * 1024
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class RowError(ReadModel):
    column: str | None = Field(
        description="The column's header as the template has it; null when the problem is "
        "the row as a whole."
    )
    reason: str = Field(description="What is wrong, in the request's language (vi or en).")
    type: str = Field(description="A code that never changes with the language.")


class RowResult(ReadModel):
    row: int = Field(description="The row number as the spreadsheet shows it.")
    outcome: Outcome
    id: int | None = Field(description="The record written (or that would be); null if rejected.")
    external_id: str | None = Field(
        description="The row's identity (`source` is `import`): the ID column when filled, "
        "otherwise derived from the row's agency, time and title (see the template's note)."
    )
    errors: list[RowError] = Field(description="Why the row was rejected; empty otherwise.")


class ImportCounts(ReadModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class ImportSummary(ReadModel):
    """An upload as lists show it: who, when, which file, what came of it."""

    id: int
    record_type: RecordType
    file_name: str
    file_sha256: str
    file_size: int = Field(description="Bytes.")
    file_format: str | None = Field(description="`xlsx` or `csv`; null when not recognised.")
    dry_run: bool
    uploaded_at: datetime
    actor: str = Field(description="The key's prefix, or `bootstrap-admin`.")
    agency_code: str | None = Field(description="The uploading key's agency.")
    outcome: UploadOutcome = Field(
        description="`completed`: every row was answered (some may be rejected); `refused`: "
        "the file as a whole was (not a spreadsheet, another template, too large…)."
    )
    problem: str | None = Field(description="Why the file was refused.")
    rows_total: int
    counts: ImportCounts = Field(description="Rows by outcome.")


class ImportRead(ImportSummary):
    """An upload with the outcome of each row, in the order of the spreadsheet."""

    notes: list[str] = Field(
        description="What was read differently than typed: columns outside the template "
        "(ignored), the template's example row left as it was (skipped), the file's "
        "encoding."
    )
    rows: list[RowResult]


ImportPage = Page[ImportSummary]


class ImportUpload(InputModel):
    """The file as JSON, for clients that do not send multipart forms."""

    record_type: RecordType
    file_name: str = Field(min_length=1, max_length=MAX_FILE_NAME, examples=["so-phat-thanh.csv"])
    content_base64: str = Field(
        max_length=MAX_BASE64,
        pattern=BASE64_PATTERN,
        description="The .xlsx or .csv file, base64-encoded (RFC 4648, with padding).",
    )
    dry_run: bool = Field(default=False, description="Answer the same, but write no record.")


class ImportFilters(BaseModel):
    """The query parameters of the upload list."""

    record_type: Annotated[RecordType | None, Query(description="Uploads of this record type.")] = (
        None
    )
