"""Liveness and readiness for operators (outside /api/v1 and the public contract)."""

import ast
import concurrent.futures
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.core.db import READ_ONLY_OPTION, get_engine
from app.core.request_context import current_request_id

router = APIRouter(include_in_schema=False)
READY_TIMEOUT_SECONDS = 1.0
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


@lru_cache
def head_revisions() -> frozenset[str]:
    """The migrations' heads, read from the revision files' ``revision`` and
    ``down_revision`` literals; alembic itself (with mako and pygments, ~20 MB a worker)
    only when a file does not state them plainly."""
    # Where app.core.migrations.alembic_config looks (alembic itself is imported only below).
    project = Path(__file__).resolve().parents[2]
    root = project if (project / "alembic.ini").exists() else Path.cwd()
    heads = _heads_from_files(root / "migrations" / "versions")
    if heads is not None:
        return heads
    from alembic.script import ScriptDirectory

    from app.core.migrations import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _heads_from_files(versions: Path) -> frozenset[str] | None:
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        stated: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            value = getattr(node, "value", None)
            if (
                isinstance(target, ast.Name)
                and value is not None
                and target.id in ("revision", "down_revision")
            ):
                try:
                    stated[target.id] = ast.literal_eval(value)
                except ValueError:
                    return None
        revision, down = stated.get("revision"), stated.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
        elif down is not None:
            return None
    return frozenset(revisions - parents) if revisions else None


def _database_revisions() -> frozenset[str]:
    with get_engine().connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return frozenset(row[0] for row in rows)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> JSONResponse:
    """The database answers within a second and its schema is at the migrations' head."""
    future = _pool.submit(_database_revisions)
    try:
        revisions = future.result(timeout=READY_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        return _unready("the database did not answer within a second")
    except Exception as exc:  # any driver error means: not ready
        return _unready(f"the database is unreachable ({type(exc).__name__})")
    if revisions != head_revisions():
        return _unready(
            f"the database is at {sorted(revisions)}, the code expects {sorted(head_revisions())}"
        )
    return JSONResponse({"status": "ready", "revision": sorted(revisions)})


def _unready(detail: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": "https://nq57-tracker.caobang.gov.vn/problems/not-ready",
            "title": "Not ready",
            "status": 503,
            "detail": detail,
            "instance": "/readyz",
            "request_id": current_request_id(),
        },
        status_code=503,
        media_type="application/problem+json",
        headers={"Retry-After": "5"},
    )
