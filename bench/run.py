"""The benchmark, in one command:

    python -m bench.run --scale 0.01 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/nq57_bench \\
        --out bench/results/2026-11-26-scale-0.01.json

It (re)creates the database and generates the data set (``--reuse`` keeps one already
generated at the same scale and seed), starts uvicorn with two workers on 127.0.0.1,
creates an agency-bound write key with ``nq57 keys create``, then measures plan and
indicator status, list endpoints, batch ingest over HTTP (with the service's peak
resident memory), the same rows through a plain COPY, and one POST per broadcast.
Every phase is bounded in requests and seconds. Rows it added are removed at the end.
Writes the results as JSON and prints a table.
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.generate import generate, marker
from bench.load import conninfo
from bench.measure import BATCH_SIZE, batch_ingest, copy_rows, find_target, make_items, single_posts
from bench.reads import (
    AS_OF,
    fast_path_check,
    list_params,
    list_phase,
    national_phase,
    page_phase,
    status_phase,
    widgets_in_process,
)
from bench.server import ROOT, Server, serve

KEY_NAME = "benchmark"
TARGETS = {  # the targets, stated for scale 1 on the 2-core machine
    "batch_rows_per_s": 30_000,
    "batch_vs_copy": 0.25,
    "plan_status_p95_ms": 50,
    "indicator_status_p95_ms": 20,
    "plan_page_p95_ms": 100,  # app/pages: the plan page a person reads
    "widget_p95_ms": 30,  # the worst of a portal's widgets (plan, indicator, badge)
    "list_p95_ms": 30,
    "memory_pss_mib": 300,  # workers and supervisor, shared pages counted once
    "memory_rss_sum_mib": 300,  # the same, adding each process's VmRSS
}


def machine(url: str) -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    with psycopg.connect(conninfo(url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        settings: dict[str, str] = dict(
            conn.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                "('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', "
                "'synchronous_commit', 'random_page_cost', 'jit', 'maintenance_work_mem', "
                "'max_wal_size', 'checkpoint_timeout')"
            ).fetchall()
        )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_total_gib": round(int(meminfo[1]) / 1024 / 1024, 1),
        "postgresql": version[0] if version else None,
        "postgresql_settings": settings,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "app", "migrations")
    return {"commit": git("rev-parse", "HEAD"), "app_uncommitted_files": len(changed.splitlines())}


def create_key(url: str, agency: str) -> tuple[str, str]:
    """An agency-bound read/write key by ``nq57 keys create``; when that command fails,
    the same service function in process. Returns (secret, how it was made)."""
    nq57 = Path(sys.executable).with_name("nq57")
    command = [str(nq57)] if nq57.exists() else [sys.executable, "-m", "app.cli"]
    done = subprocess.run(
        [*command, "keys", "create", "--agency", agency, "--scope", "write", "--scope", "read",
         "--name", KEY_NAME],
        env={**os.environ, "NQ57_DATABASE_URL": url}, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode == 0:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        return answer["key"], "nq57 keys create"
    from sqlmodel import Session

    from app.auth.service import create_api_key
    from app.core.db import create_db_engine
    from app.core.principal import SYSTEM
    from app.core.vocab import Scope
    from app.listeners import register_listeners

    register_listeners()
    error = (done.stderr.strip().splitlines() or ["?"])[-1]
    print(f"nq57 keys create failed ({error}); creating the key in process", file=sys.stderr)
    engine = create_db_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            _key, secret = create_api_key(
                session, agency_code=agency, scopes=[Scope.write, Scope.read], name=KEY_NAME,
                expires_at=None, actor=SYSTEM,
            )  # fmt: skip
            return secret, f"app.auth.service.create_api_key (CLI failed: {error})"
    finally:
        engine.dispose()


def delete_pushed(url: str, source_prefix: str) -> None:
    """Delete the run's broadcasts that came through the API, taking them off the status
    tallies (the rows the COPY phase wrote were never counted: plain SQL removes them)."""
    from sqlmodel import Session, col

    from app.broadcasts.models import Broadcast
    from app.core.db import create_db_engine, without_statement_timeout
    from app.status import tallies

    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            without_statement_timeout(session)
            tallies.delete_records(
                session,
                "broadcast",
                col(Broadcast.source).like(source_prefix + "%"),
                col(Broadcast.source).not_like(source_prefix + "-copy%"),
            )
            session.commit()
    finally:
        engine.dispose()


def cleanup(url: str, source_prefix: str) -> None:
    """Remove what the run added: its broadcasts, its keys and their audit events."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        prefixes = [p for (p,) in conn.execute("SELECT prefix FROM api_key WHERE name = %s",
                                               (KEY_NAME,))]  # fmt: skip
        delete_pushed(url, source_prefix)
        conn.execute("DELETE FROM broadcast WHERE source LIKE %s", (source_prefix + "%",))
        conn.execute(
            "DELETE FROM audit_event WHERE actor = ANY(%s) "
            "OR (entity = 'api_key' AND entity_id = ANY(%s))",
            ([f"key:{p}" for p in prefixes], prefixes),
        )
        conn.execute("DELETE FROM api_key WHERE name = %s", (KEY_NAME,))
        conn.execute("VACUUM (ANALYZE) broadcast, audit_event")


def verdicts(results: dict[str, Any], plan: str) -> dict[str, Any]:
    """Each target against what was measured (None for a phase that did not run)."""
    ingest = results.get("ingest")
    status = results.get("status", {}).get(plan, {})
    memory = ingest["http_batch"]["memory"] if ingest else {}
    lists = [v.get("p95_ms", 0) for v in results.get("lists", {}).values()]
    pages = results.get("pages", {}).get(plan, {})
    measured = {
        "batch_rows_per_s": ingest["http_batch"]["rows_per_s"] if ingest else None,
        "batch_vs_copy": ingest["batch_vs_copy"] if ingest else None,
        "plan_status_p95_ms": status.get("plan_status", {}).get("p95_ms"),
        "indicator_status_p95_ms": status.get("indicator_status", {}).get("p95_ms"),
        "plan_page_p95_ms": pages.get("plan_page", {}).get("p95_ms"),
        "widget_p95_ms": pages.get("worst_widget_p95_ms"),
        "list_p95_ms": max(lists) if lists else None,
        "memory_pss_mib": memory.get("peak_workers_and_supervisor_pss_mib"),
        "memory_rss_sum_mib": memory.get("peak_workers_and_supervisor_rss_mib"),
    }
    out = {}
    for name, target in TARGETS.items():
        value = measured[name]
        higher_is_better = name in ("batch_rows_per_s", "batch_vs_copy")
        met = None if value is None else (value >= target if higher_is_better else value <= target)
        out[name] = {"measured": value, "target": target, "met": met}
    return out


def status_targets(results: dict[str, Any]) -> dict[str, bool | None]:
    """Every timed plan (kh-209-2026 beside the province's) against the status targets."""
    out: dict[str, bool | None] = {}
    for plan, s in results.get("status", {}).items():
        measured = [
            (s.get("plan_status", {}).get("p95_ms"), TARGETS["plan_status_p95_ms"]),
            (s.get("indicator_status", {}).get("p95_ms"), TARGETS["indicator_status_p95_ms"]),
        ]
        known = [value <= target for value, target in measured if value is not None]
        out[plan] = all(known) if len(known) == len(measured) else None
    return out


def print_table(results: dict[str, Any]) -> None:
    print(f"\nscale {results['scale']}  ({results['date']}, load avg before "
          f"{results['load_average']['before']})")  # fmt: skip
    print(f"{'measure':<28}{'value':>14}{'target':>10}  met")
    for name, v in results["targets"].items():
        print(f"{name:<28}{v['measured']!s:>14}{v['target']!s:>10}  {v['met']}")
    for check in results.get("fast_path", {}).get("checks", []):
        print(
            f"status from tallies = straight from records, as of {check['as_of']}: "
            f"{check['same_answers']} ({check['ms_tallied']} ms vs {check['ms_straight']} ms)"
        )
    if "ingest" in results:
        ingest = results["ingest"]
        print(f"{'single POST rows/s':<28}{ingest['single_post']['rows_per_s']!s:>14}")
        print(f"{'COPY rows/s':<28}{ingest['copy']['rows_per_s']!s:>14}")
        memory = ingest["http_batch"]["memory"]
        print(f"{'memory before ingest':<28}{results['server']['memory_before_ingest']}")
        print(f"{'memory peak in ingest':<28}{memory}")
    for plan, s in results.get("status", {}).items():
        whole, one = s["plan_status"], s["indicator_status"]
        units = s.get("denominators", {}).get("T2026-5")
        print(f"status {plan}: plan p50/p95 {whole.get('p50_ms')}/{whole.get('p95_ms')} ms, "
              f"indicator p50/p95 {one.get('p50_ms')}/{one.get('p95_ms')} ms, "
              f"T2026-5 counts {units} communes and wards; "
              f"targets met: {results.get('status_targets', {}).get(plan)}")  # fmt: skip
    if "national" in results:
        n, s = results["national"], results["national"]["status"]
        print(f"national view ({n['plans']} plans, {n['ranked_indicators']} indicators ranked): "
              f"p50/p95 {s.get('p50_ms')}/{s.get('p95_ms')} ms")  # fmt: skip
    for plan, p in results.get("pages", {}).items():
        print(f"pages {plan}: " + ", ".join(
            f"{kind} p50/p95 {p[kind].get('p50_ms')}/{p[kind].get('p95_ms')} ms"
            for kind in ("plan_page", "communes_page", "indicator_page", "plan_widget",
                         "indicator_widget", "badge", "plan_widget_304")
        ))  # fmt: skip
        kept_not = p.get("not_kept_in_process", {})
        print(f"widgets {plan} not kept (in process): " + ", ".join(
            f"{kind} p50/p95 {v.get('p50_ms')}/{v.get('p95_ms')} ms" for kind, v in kept_not.items()
        ))  # fmt: skip
    for name, s in results.get("lists", {}).items():
        print(f"list {name:<40} p50 {s.get('p50_ms')} p95 {s.get('p95_ms')} ms")


def read_pages(
    server: Server, results: dict[str, Any], plans: list[str], args: argparse.Namespace
) -> None:
    """Status through the API, then the pages and widgets built on the same evaluations
    (app/pages), on the same server, so that the two sets of figures sit side by side."""
    results["status"] = {
        p: status_phase(server, p, count=args.status_requests,
                        per_indicator=args.indicator_requests, seconds=args.status_seconds)
        for p in plans
    }  # fmt: skip
    results["national"] = national_phase(server, count=10, seconds=args.status_seconds)
    results["pages"] = {
        p: page_phase(server, p, count=args.page_requests, seconds=args.status_seconds)
        for p in plans
    }
    for p in plans:
        results["pages"][p]["not_kept_in_process"] = widgets_in_process(
            args.database_url, p, count=args.page_requests
        )


def run(args: argparse.Namespace) -> dict[str, Any]:
    url, began = args.database_url, time.perf_counter()
    load_before = os.getloadavg()
    made = marker(url)
    if args.reuse and made and made.get("scale") == args.scale and made.get("seed") == args.seed:
        generated: dict[str, Any] = {"reused": made}
    else:
        generated = generate(url, args.scale, seed=args.seed, force=args.force)
    province = args.province
    ubnd = "ubnd-tinh" if province == "cao-bang" else f"ubnd-{province}"
    plan = "kh-209-2026" if province == "cao-bang" else f"kh-nq57-{province}-2026"
    also = ["kh-209-2026"] if args.also_plan is None else args.also_plan
    plans = [plan, *[p for p in also if p not in (plan, "none")]]
    key, key_by = create_key(url, ubnd)
    run_id = datetime.now(UTC).strftime("%H%M%S")
    source = f"bench-{run_id}"
    target = find_target(url, ubnd)
    rng = random.Random(args.seed)
    batch_items = make_items(target, f"{source}-http", BATCH_SIZE * args.ingest_batches, rng)
    bodies = [
        json.dumps({"items": batch_items[i : i + BATCH_SIZE]}).encode()
        for i in range(0, len(batch_items), BATCH_SIZE)
    ]
    single_items = make_items(target, f"{source}-one", args.single_max, rng)
    results: dict[str, Any] = {
        "scale": args.scale,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
        "machine": machine(url),
        "git": git_state(),
        "generate": generated,
        "province": province,
        "key": {"agency": ubnd, "created_by": key_by},
        "only": args.only,
    }

    def warm_up(server: Server) -> None:
        with httpx.Client(base_url=server.base, headers=headers, timeout=600) as http:
            for _ in range(20):  # both workers import, connect and warm up
                http.get("/api/v1/plans", params={"limit": 5}).raise_for_status()
                http.get("/api/v1/broadcasts", params={"limit": 5}).raise_for_status()
            warm = make_items(target, f"{source}-warm", 20, rng)
            http.post("/api/v1/broadcasts/batch", json={"items": warm}).raise_for_status()

    headers = {"Authorization": f"Bearer {key}"}
    results["server"] = {"workers": args.workers, "pool_size": args.pool_size}
    try:
        # Reads on one server; ingest on a fresh one, so that its memory is the ingest's
        # own and not what the status phase left in the workers.
        if args.only == "pages":
            with serve(url, workers=args.workers, pool_size=args.pool_size) as server:
                warm_up(server)
                read_pages(server, results, plans, args)
        if args.only in ("all", "reads"):
            with serve(url, workers=args.workers, pool_size=args.pool_size) as server:
                warm_up(server)
                results["server"]["memory_before_reads"] = server.memory_mib()
                read_pages(server, results, plans, args)
                results["fast_path"] = fast_path_check(
                    url, plan, [AS_OF, "2026-11-26T14:30:00+07:00"]
                )
                results["lists"] = list_phase(
                    server, key, list_params(url, province, ubnd), count=args.list_requests,
                    seconds=args.list_seconds, seed=args.seed,
                )  # fmt: skip
                results["server"]["memory_after_reads"] = server.memory_mib()
        if args.only in ("all", "ingest"):
            with serve(url, workers=args.workers, pool_size=args.pool_size) as server:
                warm_up(server)
                results["server"]["log"] = str(server.log)
                results["server"]["memory_before_ingest"] = server.memory_mib()
                http_batch = batch_ingest(
                    server, key, bodies, clients=args.clients, seconds=args.ingest_seconds
                )
                sent = batch_items[: http_batch["batches"] * BATCH_SIZE]
                copied = copy_rows(url, sent, f"{source}-copy")
                single = single_posts(
                    server, key, single_items, clients=args.clients, seconds=args.single_seconds
                )
                results["server"]["memory_at_end"] = server.memory_mib()
            results["ingest"] = {
                "http_batch": http_batch,
                "copy": copied,
                "batch_vs_copy": round(http_batch["rows_per_s"] / copied["rows_per_s"], 3),
                "single_post": single,
            }
    finally:
        cleanup(url, source)
    results["targets"] = verdicts(results, plan)
    results["status_targets"] = status_targets(results)
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["seconds"] = round(time.perf_counter() - began, 1)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", help="results JSON (default bench/results/<date>-scale-<s>.json)")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--reuse", action="store_true", help="keep a database generated alike")
    parser.add_argument("--force", action="store_true", help="drop a database not generated")
    parser.add_argument("--province", default="ho-chi-minh", help="whose plan, key and ingest")
    parser.add_argument(
        "--also-plan", action="append", help="more plans to time (default kh-209-2026; none)"
    )
    parser.add_argument(
        "--only",
        choices=("all", "reads", "ingest", "pages"),
        default="all",
        help="run only the read phases (status, pages, lists), only the ingest phases, or "
        "only status and pages",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--ingest-batches", type=int, default=24, help="batches of 5,000 at most")
    parser.add_argument("--ingest-seconds", type=float, default=90)
    parser.add_argument("--single-seconds", type=float, default=10)
    parser.add_argument("--single-max", type=int, default=20000)
    parser.add_argument("--status-requests", type=int, default=30)
    parser.add_argument("--indicator-requests", type=int, default=10)
    parser.add_argument("--page-requests", type=int, default=30, help="each kind of page")
    parser.add_argument("--status-seconds", type=float, default=60)
    parser.add_argument("--list-requests", type=int, default=30)
    parser.add_argument("--list-seconds", type=float, default=10)
    args = parser.parse_args(argv)
    results = run(args)
    out = Path(args.out or f"bench/results/{results['date'][:10]}-scale-{args.scale}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nresults: {out}  ({results['seconds']} s)")


if __name__ == "__main__":
    main()
