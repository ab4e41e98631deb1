"""Plan and indicator status in process, without HTTP: for comparing two versions of the
code on one data set, one after the other (the service's own code on PYTHONPATH).

    PYTHONPATH=. python -m bench.status_timing \
        --database-url postgresql+psycopg://…/nq57_bench --plans kh-nq57-ho-chi-minh-2026

Each plan: one cold call (nothing kept yet in the process), then --calls warm ones; prints
the cold time and the warm median and 95th percentile of plan status and of one indicator.
"""

import argparse
import statistics
import time

from sqlmodel import Session

from app.core.db import create_db_engine
from app.listeners import register_listeners
from app.status.service import indicator_status, plan_status


def _time_calls(engine: object, plan: str, indicator: str, calls: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"plan": [], "indicator": []}
    for _ in range(calls + 1):
        with Session(engine) as session:  # type: ignore[call-overload]
            start = time.perf_counter()
            plan_status(session, plan_code=plan, period=None, as_of=None)
            timings["plan"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            indicator_status(session, plan_code=plan, code=indicator, period=None, as_of=None)
            timings["indicator"].append((time.perf_counter() - start) * 1000)
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--plans", nargs="+", default=["kh-nq57-ho-chi-minh-2026"])
    parser.add_argument("--indicator", default="T2026-1")
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args(argv)
    register_listeners()
    engine = create_db_engine(args.database_url)
    for plan in args.plans:
        timings = _time_calls(engine, plan, args.indicator, args.calls)
        for what, values in timings.items():
            warm = sorted(values[1:])
            p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
            print(
                f"{plan} {what}: cold {values[0]:.1f} ms, warm p50 "
                f"{statistics.median(warm):.1f} ms, p95 {p95:.1f} ms"
            )


if __name__ == "__main__":
    main()
