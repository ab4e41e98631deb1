"""The upload as the request carries it: a multipart form (Swagger UI's file picker,
``curl -F``) or JSON with the file in base64, read before the request touches the database,
and how the contract describes both."""

import base64
import hashlib
import json
from typing import Any, ClassVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from app.core.config import get_settings
from app.core.errors import AppError, Problem, problem_content, problem_responses
from app.imports.messages import say
from app.imports.schemas import MAX_FILE_NAME, ImportUpload, RecordType
from app.imports.service import Upload

ACCEPTED = "multipart/form-data, application/json"
_READ_CHUNK = 1024 * 1024
# FastAPI's words for a body it could not parse; the problem handler words it better.
_UNPARSED = "There was an error parsing the body"


class UnsupportedUpload(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"
    headers: ClassVar[dict[str, str] | None] = {"Accept-Post": ACCEPTED}


class _FormFields(BaseModel):
    """The form's fields besides the file (text in a form: ``dry_run=true``)."""

    model_config = ConfigDict(extra="ignore")
    record_type: RecordType
    dry_run: bool = False


def _body_errors(exc: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
    )


def _clean_name(name: str | None) -> str:
    """The file's own name (no folders), storable as text."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    base = base.encode("utf-8", "replace").decode("utf-8")
    return base[:MAX_FILE_NAME] or "upload"


async def _drain(file: UploadFile, limit: int) -> tuple[bytes, int, str]:
    """The file's bytes (none past ``limit``: only its size and hash are then kept)."""
    digest = hashlib.sha256()
    kept = bytearray()
    size = 0
    while chunk := await file.read(_READ_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if size <= limit:
            kept += chunk
    return (bytes(kept) if size <= limit else b""), size, digest.hexdigest()


async def _from_form(request: Request) -> Upload:
    form = await request.form(max_files=1, max_fields=10)
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            loc = ("body", "file")
            raise RequestValidationError(
                [{"type": "missing", "loc": loc, "msg": "Field required", "input": None}]
            )
        try:
            fields = _FormFields.model_validate(
                {k: v for k, v in form.items() if isinstance(v, str)}
            )
        except ValidationError as exc:
            raise _body_errors(exc) from None
        content, size, sha256 = await _drain(file, get_settings().import_max_bytes)
        name = _clean_name(file.filename)
    finally:
        await form.close()
    return Upload(fields.record_type, name, content, size, sha256, fields.dry_run)


async def _from_json(request: Request) -> Upload:
    body = await request.body()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error"}
        raise RequestValidationError(
            [{**error, "input": {}, "ctx": {"error": exc.msg}}], body=exc.doc
        ) from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise HTTPException(status_code=400, detail=_UNPARSED) from exc
    try:
        upload = ImportUpload.model_validate(data)
    except ValidationError as exc:
        raise _body_errors(exc) from None
    content = base64.b64decode(upload.content_base64)
    limit = get_settings().import_max_bytes
    sha256 = hashlib.sha256(content).hexdigest()
    kept = content if len(content) <= limit else b""
    name = _clean_name(upload.file_name)
    return Upload(upload.record_type, name, kept, len(content), sha256, upload.dry_run)


async def read_upload(request: Request) -> Upload:
    """The upload, read before the request touches the database (a slow upload over a
    commune's weak link must not eat the request's time for the database)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _from_form(request)  # the latter has no file: 422 says so
    if media == "application/json":
        return await _from_json(request)
    said = f"`{media[:100]}`" if media else "no Content-Type"
    raise UnsupportedUpload(
        say(
            "Send the file as multipart/form-data (fields file, record_type, dry_run) or as "
            f"application/json (record_type, file_name, content_base64); the request had {said}.",
            "Hãy gửi tệp dạng multipart/form-data (các trường file, record_type, dry_run) hoặc "
            f"application/json (record_type, file_name, content_base64); yêu cầu đã gửi {said}.",
        )
    )


# --- the contract -------------------------------------------------------------------------

_EXAMPLE_CSV = (
    '"Xã, phường (*)",Thời gian bắt đầu phát (*),Thời lượng (phút) (*),'
    '"Tên tin, bài, chương trình (*)",Nguồn nội dung (*),Chủ đề\r\n'
    "UBND xã Bảo Lâm,20/03/2026 17:30,15 phút,"
    "Tiếp sóng chương trình thời sự về Nghị quyết 57-NQ/TW,Tỉnh (phát lại),"
    "Nghị quyết 57-NQ/TW; Chuyển đổi số\r\n"
)
_JSON_EXAMPLE = {
    "record_type": "broadcasts",
    "file_name": "so-phat-thanh-xa-bao-lam-thang-3.csv",
    "content_base64": base64.b64encode(_EXAMPLE_CSV.encode("utf-8")).decode("ascii"),
    "dry_run": False,
}


def _json_schema() -> dict[str, Any]:
    schema = ImportUpload.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    schema["description"] = (
        "The file as JSON. The example's file is a CSV with one airing of xã Bảo Lâm:\n\n"
        + "\n".join(f"    {line}" for line in _EXAMPLE_CSV.splitlines())
    )
    return schema


_FORM_SCHEMA = {
    "type": "object",
    "required": ["file", "record_type"],
    # The form reads at most ten fields (400 past them): no others belong in it.
    "additionalProperties": False,
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "The template filled in: .xlsx, or .csv (UTF-8).",
        },
        "record_type": {"$ref": "#/components/schemas/RecordType"},
        "dry_run": {
            "type": "boolean",
            "default": False,
            "description": "Answer the same, but write no record (the upload is kept).",
        },
    },
}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": _FORM_SCHEMA},
            "application/json": {"schema": _json_schema(), "example": _JSON_EXAMPLE},
        },
    }
}
UPLOAD_ERRORS = {
    **problem_responses(401, 403, 413, 422, 429, 503),
    415: {
        "model": Problem,
        "description": "The body is neither `multipart/form-data` nor `application/json`",
        "content": problem_content(415),
    },
}
