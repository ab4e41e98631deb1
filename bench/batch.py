"""Where a batch push's time and memory go: post batches of 5,000 airings of a province's
communes in process (through the test client, no network), time each SQL statement they
issue, then trace the Python memory of one more batch by step.

    python -m bench.batch --database-url postgresql+psycopg://…/nq57_bench --batches 3

The COPYs (staging rows, audit events) do not pass SQLAlchemy's statement events: they
are in the total, not in the statements. What the batches add is removed at the end
(their broadcasts, tallies and audit events).
"""

import argparse
import json
import os
import random
import secrets
import time
import tracemalloc
from collections import defaultdict
from typing import Any

import psycopg

from bench.load import conninfo
from bench.measure import BATCH_SIZE, find_target, make_items

SOURCE = "bench-batch"
# The steps of app/broadcasts/bulk.py (and app/status/tallies/maintenance.py) after which
# memory is read.
STEPS = ("_validate", "_check_references", "_stage", "_insert_new", "count_rows")


def _remove(url: str) -> None:
    from bench.run import delete_pushed

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "DELETE FROM audit_event WHERE entity = 'broadcast' AND entity_id IN "
            "(SELECT id::text FROM broadcast WHERE source LIKE %s)",
            (SOURCE + "%",),
        )
    delete_pushed(url, SOURCE)


def _trace_steps(marks: list[tuple[str, float, float]]) -> None:
    """Wrap each step so that it records the traced memory after it and the peak within
    it (the peak is reset at each mark)."""
    from app.broadcasts import bulk
    from app.status.tallies import maintenance

    def wrap(owner: Any, name: str) -> None:
        step = getattr(owner, name)

        def traced(*args: Any, **kwargs: Any) -> Any:
            result = step(*args, **kwargs)
            if tracemalloc.is_tracing():
                current, peak = tracemalloc.get_traced_memory()
                marks.append((name, current / 2**20, peak / 2**20))
                tracemalloc.reset_peak()
            return result

        setattr(owner, name, traced)

    for name in STEPS:
        wrap(maintenance if name == "count_rows" else bulk, name)


def profile(url: str, *, batches: int, ubnd: str, seed: int) -> None:
    os.environ["NQ57_DATABASE_URL"] = url
    os.environ["NQ57_ADMIN_API_KEY"] = admin_key = "batch-" + secrets.token_hex(16)
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from app.core.config import get_settings
    from app.core.db import get_engine
    from app.main import create_app

    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = get_engine()
    seen: list[tuple[str, float]] = []
    recording = [False]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, *_: Any) -> None:
        conn.info["nq57_started"] = time.perf_counter()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if recording[0]:
            seen.append(
                (" ".join(statement.split())[:110], time.perf_counter() - conn.info["nq57_started"])
            )

    marks: list[tuple[str, float, float]] = []
    _trace_steps(marks)
    target = find_target(url, ubnd)
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"}
    url_path = "/api/v1/broadcasts/batch"
    try:
        with TestClient(create_app()) as client:
            warm = make_items(target, f"{SOURCE}-warm", 50, rng)
            client.post(url_path, content=json.dumps({"items": warm}), headers=headers)
            by_statement: dict[str, float] = defaultdict(float)
            for n in range(batches):
                body = json.dumps({"items": make_items(target, f"{SOURCE}-{n}", BATCH_SIZE, rng)})
                seen.clear()
                recording[0] = True
                began = time.perf_counter()
                response = client.post(url_path, content=body, headers=headers)
                total = time.perf_counter() - began
                recording[0] = False
                in_sql = sum(seconds for _, seconds in seen)
                print(f"batch {n + 1}: {response.status_code}, {1000 * total:.0f} ms, "
                      f"{1000 * in_sql:.0f} ms in {len(seen)} statements")  # fmt: skip
                for statement, seconds in seen:
                    by_statement[statement] += seconds / batches
            print("statements, mean ms per batch:")
            for statement, seconds in sorted(by_statement.items(), key=lambda kv: -kv[1]):
                print(f"  {1000 * seconds:7.1f}  {statement}")
            # One more batch, traced (tracing slows it down: it is not in the times above).
            body = json.dumps({"items": make_items(target, f"{SOURCE}-traced", BATCH_SIZE, rng)})
            tracemalloc.start()
            client.post(url_path, content=body, headers=headers).raise_for_status()
            _, rest = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print("Python memory of one more batch (tracemalloc), MiB after / peak within:")
            for name, current, step_peak in marks:
                print(f"  {name:<20} {current:6.1f} / {step_peak:6.1f}")
            whole = max([rest / 2**20, *(step_peak for _, _, step_peak in marks)])
            print(f"  peak of the batch    {whole:6.1f}")
    finally:
        engine.dispose()
        _remove(url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--agency", default="ubnd-ho-chi-minh", help="the province's UBND")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    profile(args.database_url, batches=args.batches, ubnd=args.agency, seed=args.seed)


if __name__ == "__main__":
    main()
