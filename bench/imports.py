"""Spreadsheet intake through the running service: a commune logbook of 5,000 airings as
an .xlsx, uploaded to POST /api/v1/imports, timed end to end, with the workers' memory.

    .venv/bin/python -m bench.imports \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/nq57_imports_bench

It creates the database when missing, migrates and seeds it (seeding only adds what is
missing), makes a write key bound to the province's people's committee (its key writes
every commune, as a district officer's would), builds the workbook the way the template
is filled (agency names, ``dd/mm/yyyy hh:mm`` text, minutes, Vietnamese labels), starts
``uvicorn app.main:app`` on 127.0.0.1 (bench/server.py), then uploads it three times: the
first creates every row, the second finds every row unchanged, the third is a dry run.
Each is timed from the first byte sent to the last byte of the answer, while a thread
samples the server's resident memory (VmRSS of the supervisor and workers, every 0.1 s).

What the run added is removed at the end (its broadcasts, off the status tallies, their
audit events, its uploads and its key) unless ``--keep``. Loopback only; exits non-zero
when an upload does not answer every row as expected.
"""

import argparse
import io
import json
import random
import secrets
import sys
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import psycopg
import sqlalchemy as sa

from bench.load import conninfo, migrate_and_seed
from bench.material import BROADCAST_TITLES
from bench.server import MemorySampler, Server, serve

KEY_NAME = "bench-imports"
PROVINCE = "ubnd-tinh"
LABELS = {"central": "Trung ương (phát lại)", "provincial": "Tỉnh (phát lại)"}
LOCAL_LABEL = "Cơ sở tự sản xuất"
TOPICS = ("Nghị quyết 57-NQ/TW", "Chuyển đổi số", "Bình dân học vụ số; Chuyển đổi số", "")
TARGET_SECONDS = 5.0


def ensure_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo(admin), autocommit=True) as conn:
        if (
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
            ).fetchone()
            is None
        ):
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def communes(url: str) -> list[str]:
    """The names people write: the seed's communes and wards ("UBND xã Bảo Lâm")."""
    with psycopg.connect(conninfo(url)) as conn:
        rows = conn.execute(
            "SELECT name FROM agency WHERE kind IN ('commune', 'ward') AND parent_code = %s "
            "ORDER BY code",
            (PROVINCE,),
        ).fetchall()
    return [name for (name,) in rows]


def create_key(url: str) -> str:
    from sqlmodel import Session

    from app.auth.service import create_api_key
    from app.core.db import create_db_engine
    from app.core.principal import SYSTEM
    from app.core.vocab import Scope
    from app.listeners import register_listeners

    register_listeners()
    engine = create_db_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            _key, secret = create_api_key(
                session, agency_code=PROVINCE, scopes=[Scope.write, Scope.read],
                name=KEY_NAME, expires_at=None, actor=SYSTEM,
            )  # fmt: skip
            return secret
    finally:
        engine.dispose()


def logbook_rows(names: list[str], count: int, tag: str, rng: random.Random) -> list[list[Any]]:
    """``count`` airings spread over 2026 as the template's columns hold them; the ID
    column carries the run's tag, so that each run creates its own rows."""
    rows = []
    start = datetime(2026, 1, 5, 5, 0)
    for n in range(count):
        origin = rng.choice(("central", "provincial", "local"))
        title = rng.choice(BROADCAST_TITLES[origin])
        when = start + timedelta(minutes=97 * n)
        rows.append([
            f"{tag}-{n:05d}", rng.choice(names), when.strftime("%d/%m/%Y %H:%M"),
            rng.choice((10, 15, 20, 30)), title, LABELS.get(origin, LOCAL_LABEL), "",
            rng.choice(TOPICS), rng.randint(1, 20),
        ])  # fmt: skip
    return rows


def build_workbook(rows: list[list[Any]]) -> bytes:
    """The template's data sheet as Excel saves it: shared strings, and a ``<dimension>``
    (openpyxl's write-only mode leaves it out, and a reader then scans the sheet twice)."""
    from openpyxl import Workbook

    from app.imports.layouts import BROADCASTS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Dữ liệu"
    sheet.append([column.title for column in BROADCASTS.columns])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed_upload(server: Server, key: str, content: bytes, *, dry_run: bool) -> dict[str, Any]:
    sampler = MemorySampler(server)
    with sampler, httpx.Client(base_url=server.base, timeout=120) as http:
        started = time.perf_counter()
        response = http.post(
            "/api/v1/imports",
            data={"record_type": "broadcasts", "dry_run": str(dry_run).lower()},
            files={"file": ("so-phat-thanh.xlsx", content)},
            headers={"Authorization": f"Bearer {key}", "Accept-Language": "vi"},
        )
        seconds = time.perf_counter() - started
    if response.status_code != 201:
        raise SystemExit(f"upload answered {response.status_code}: {response.text[:500]}")
    answer = response.json()
    return {
        "seconds": round(seconds, 3),
        "counts": answer["counts"],
        "answer_bytes": len(response.content),
        "memory": sampler.report(),
    }


def cleanup(url: str, tag: str) -> None:
    """The run's broadcasts (off the tallies first), their audit events, uploads, key."""
    from sqlmodel import Session, col

    from app.broadcasts.models import Broadcast
    from app.core.db import create_db_engine, without_statement_timeout
    from app.status import tallies

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "DELETE FROM audit_event WHERE entity = 'broadcast' AND entity_id IN (SELECT "
            "id::text FROM broadcast WHERE source = 'import' AND external_id LIKE %s)",
            (tag + "-%",),
        )
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            without_statement_timeout(session)
            tallies.delete_records(
                session, "broadcast", col(Broadcast.source) == "import",
                col(Broadcast.external_id).like(tag + "-%"),
            )  # fmt: skip
            session.commit()
    finally:
        engine.dispose()
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        prefixes = [
            p for (p,) in conn.execute("SELECT prefix FROM api_key WHERE name = %s", (KEY_NAME,))
        ]
        conn.execute(
            "DELETE FROM spreadsheet_import WHERE actor = ANY(%s)",
            ([f"key:{p}" for p in prefixes],),
        )
        conn.execute(
            "DELETE FROM audit_event WHERE entity = 'api_key' AND entity_id = ANY(%s)", (prefixes,)
        )
        conn.execute("DELETE FROM api_key WHERE name = %s", (KEY_NAME,))


def run(args: argparse.Namespace) -> dict[str, Any]:
    ensure_database(args.database_url)
    migrate_and_seed(args.database_url)
    tag = f"bench-{secrets.token_hex(3)}"
    rows = logbook_rows(communes(args.database_url), args.rows, tag, random.Random(57))
    started = time.perf_counter()
    content = build_workbook(rows)
    built = time.perf_counter() - started
    key = create_key(args.database_url)
    results: dict[str, Any] = {
        "rows": args.rows,
        "workbook_bytes": len(content),
        "workbook_build_seconds": round(built, 3),
        "workers": args.workers,
    }
    try:
        with serve(args.database_url, workers=args.workers) as server:
            results["idle_memory"] = server.memory_mib()
            results["first"] = timed_upload(server, key, content, dry_run=False)
            results["again"] = timed_upload(server, key, content, dry_run=False)
            results["dry_run"] = timed_upload(server, key, content, dry_run=True)
    finally:
        if not args.keep:
            cleanup(args.database_url, tag)
    return results


def _check(results: dict[str, Any], rows: int) -> list[str]:
    expected = {
        "first": {"created": rows, "updated": 0, "unchanged": 0, "rejected": 0},
        "again": {"created": 0, "updated": 0, "unchanged": rows, "rejected": 0},
        "dry_run": {"created": 0, "updated": 0, "unchanged": rows, "rejected": 0},
    }
    return [
        f"{name}: {results[name]['counts']} instead of {counts}"
        for name, counts in expected.items()
        if results[name]["counts"] != counts
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL; created if missing")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="leave the run's rows in place")
    args = parser.parse_args(argv)
    host = sa.engine.make_url(args.database_url).host or "localhost"
    if not (host in ("localhost", "::1") or host.startswith("127.")):
        raise SystemExit(f"loopback only: {host} is not this machine")
    results = run(args)
    print(json.dumps(results, indent=2))
    for name in ("first", "again", "dry_run"):
        phase = results[name]
        memory = phase["memory"]
        print(
            f"{name:<8} {phase['seconds']:6.2f} s  {phase['counts']}  peak RSS: one worker "
            f"{memory['peak_one_worker_rss_mib']} MiB, workers + supervisor "
            f"{memory['peak_workers_and_supervisor_rss_mib']} MiB",
            file=sys.stderr,
        )
    problems = _check(results, args.rows)
    slow = results["first"]["seconds"] > TARGET_SECONDS
    verdict = "within" if not slow else "OVER"
    print(
        f"first upload {results['first']['seconds']} s: {verdict} the {TARGET_SECONDS} s target",
        file=sys.stderr,
    )
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
