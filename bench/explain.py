"""Where a request's time goes: run one GET in process, time each SQL statement it
issues, and show PostgreSQL's plan (EXPLAIN ANALYZE) of the slowest.

    python -m bench.explain --database-url postgresql+psycopg://…/nq57_bench \\
        "/api/v1/plans/kh-nq57-ho-chi-minh-2026/status?period=2026&as_of=2026-12-31"

The request is made twice (the first warms caches); the second is measured: total time,
time in SQL, statements grouped by their text, and the plans of the ``--plans`` slowest.
``--cold`` forgets what status keeps across requests (app/status/inputs.py) before the
second, as a change of figures, training, channels or agencies would.
"""

import argparse
import os
import secrets
import threading
import time
from collections import defaultdict
from typing import Any


def explain(url: str, path: str, *, plans: int = 3, cold: bool = False) -> None:
    os.environ["NQ57_DATABASE_URL"] = url
    os.environ["NQ57_ADMIN_API_KEY"] = admin_key = "explain-" + secrets.token_hex(16)
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from app.core.config import get_settings
    from app.core.db import get_engine
    from app.main import create_app

    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = get_engine()
    seen: list[tuple[str, Any, float]] = []
    lock = threading.Lock()
    recording = [False]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _statement: str, _params: Any, *_: Any) -> None:
        conn.info["nq57_started"] = time.perf_counter()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if recording[0]:
            with lock:
                seen.append((statement, params, time.perf_counter() - conn.info["nq57_started"]))

    headers = {"Authorization": f"Bearer {admin_key}"}
    with TestClient(create_app()) as client:
        client.get(path, headers=headers)
        if cold:
            from app.status.inputs import RESULTS

            RESULTS.clear()
        recording[0] = True
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        total = time.perf_counter() - began
        recording[0] = False
    groups: dict[str, list[float]] = defaultdict(list)
    slowest: dict[str, tuple[float, str, Any]] = {}
    for statement, params, seconds in seen:
        key = " ".join(statement.split())[:160]
        groups[key].append(seconds)
        if seconds > slowest.get(key, (0.0, "", None))[0]:
            slowest[key] = (seconds, statement, params)
    in_sql = sum(s for _, _, s in seen)
    print(f"{path}\n  status {response.status_code}, {len(response.content)} bytes")
    print(f"  {1000 * total:.1f} ms in all, {1000 * in_sql:.1f} ms in {len(seen)} SQL statements")
    ranked = sorted(groups.items(), key=lambda kv: -sum(kv[1]))
    for key, times in ranked[:10]:
        print(f"  {1000 * sum(times):8.1f} ms {len(times):4d}x  {key}")
    with engine.connect() as conn:
        for key, _ in ranked[:plans]:
            _, statement, params = slowest[key]
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print(f"\n--- plan of: {key[:120]}")
            driver = conn.connection.driver_connection
            assert driver is not None
            with driver.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                for (line,) in cursor.fetchall():
                    if len(line) > 220:
                        line = line[:217] + "..."
                    print("  " + line)
            driver.rollback()
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--plans", type=int, default=3, help="how many plans to show")
    parser.add_argument("--cold", action="store_true", help="measure without kept results")
    parser.add_argument("path", nargs="+", help="GET paths, e.g. /api/v1/broadcasts?agency=…")
    args = parser.parse_args(argv)
    for path in args.path:
        explain(args.database_url, path, plans=args.plans, cold=args.cold)


if __name__ == "__main__":
    main()
