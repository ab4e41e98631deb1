"""Markdown tables from benchmark results, one column per run (scale):

python -m bench.table bench/results/scale-0.01.json bench/results/scale-0.1.json …
"""

import json
import sys
from pathlib import Path
from typing import Any


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return None
    return value


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(runs: list[dict[str, Any]]) -> str:
    plan = f"status.{'kh-nq57-' + runs[0]['province'] + '-2026'}"
    seed = "status.kh-209-2026"
    pages = plan.replace("status.", "pages.", 1)
    memory = "ingest.http_batch.memory.peak_workers_and_supervisor"
    before = "server.memory_before_ingest.workers_and_supervisor"
    rows: list[tuple[str, str, str]] = [
        ("broadcasts in the table", "generate.rows.broadcast", ""),
        ("batch ingest over HTTP, rows/s", "ingest.http_batch.rows_per_s", "≥ 30,000"),
        ("plain COPY of the same rows, rows/s", "ingest.copy.rows_per_s", ""),
        ("batch ÷ COPY", "ingest.batch_vs_copy", "≥ 0.25"),
        ("batch of 5,000: p50 ms", "ingest.http_batch.batch_latency.p50_ms", ""),
        ("one POST per broadcast, rows/s", "ingest.single_post.rows_per_s", ""),
        ("one POST: p50 ms", "ingest.single_post.latency.p50_ms", ""),
        ("plan status (province): p50 ms", f"{plan}.plan_status.p50_ms", ""),
        ("plan status (province): p95 ms", f"{plan}.plan_status.p95_ms", "≤ 50"),
        ("plan status, cold (another as_of each): p50 ms", f"{plan}.plan_status_cold.p50_ms", ""),
        ("plan status, cold (another as_of each): p95 ms", f"{plan}.plan_status_cold.p95_ms", ""),
        ("one indicator (province): p50 ms", f"{plan}.indicator_status.p50_ms", ""),
        ("one indicator (province): p95 ms", f"{plan}.indicator_status.p95_ms", "≤ 20"),
        ("slowest indicator T2030-9: p50 ms", f"{plan}.per_indicator.T2030-9.p50_ms", ""),
        ("tallies = straight evaluation (as of 31/12)", "fast_path.checks.0.same_answers", "same"),
        ("in process, 16 indicators: tallied ms", "fast_path.checks.0.ms_tallied", ""),
        ("in process, 16 indicators: straight ms", "fast_path.checks.0.ms_straight", ""),
        ("tallies = straight (as of 26/11 14:30)", "fast_path.checks.1.same_answers", "same"),
        ("in process, as of 26/11 14:30: tallied ms", "fast_path.checks.1.ms_tallied", ""),
        ("in process, as of 26/11 14:30: straight ms", "fast_path.checks.1.ms_straight", ""),
        ("plan status kh-209-2026: p50 ms", f"{seed}.plan_status.p50_ms", ""),
        ("plan page (province): p50 ms", f"{pages}.plan_page.p50_ms", ""),
        ("plan page (province): p95 ms", f"{pages}.plan_page.p95_ms", "≤ 100"),
        ("communes × indicators page: p95 ms", f"{pages}.communes_page.p95_ms", ""),
        ("indicator page (chart: 12 evaluations): p95 ms", f"{pages}.indicator_page.p95_ms", ""),
        ("plan widget: p95 ms", f"{pages}.plan_widget.p95_ms", ""),
        ("indicator widget: p95 ms", f"{pages}.indicator_widget.p95_ms", ""),
        ("badge: p95 ms", f"{pages}.badge.p95_ms", ""),
        ("plan widget not kept (in process): p95 ms",
         f"{pages}.not_kept_in_process.plan_widget.p95_ms", ""),
        ("worst widget p95 ms", f"{pages}.worst_widget_p95_ms", "≤ 30"),
        ("worst list p95 ms (page of 50)", "targets.list_p95_ms.measured", "≤ 30"),
        ("memory before ingest, Pss MiB", f"{before}_pss_mib", ""),
        ("memory peak in ingest, Pss MiB", f"{memory}_pss_mib", "< 300"),
        ("memory peak in ingest, Σ RSS MiB", f"{memory}_rss_mib", "< 300"),
        ("memory peak, one worker RSS MiB", "ingest.http_batch.memory.peak_one_worker_rss_mib", ""),
        ("load average (1 min) before", "load_average.before.0", ""),
    ]  # fmt: skip
    head = "| measure | " + " | ".join(f"scale {r['scale']:g}" for r in runs) + " | target |"
    lines = [head, "|---" * (len(runs) + 2) + "|"]
    for label, path, target in rows:
        values = []
        for run in runs:
            if path.endswith(".0"):
                found = _get(run, path[:-2])
                values.append(_fmt(round(found[0], 2) if found else None))
            elif path == "generate.rows.broadcast":
                rows_made = _get(run, path)
                values.append(_fmt(rows_made if rows_made else round(10_000_000 * run["scale"])))
            else:
                values.append(_fmt(_get(run, path)))
        lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")
    return "\n".join(lines)


def lists_table(runs: list[dict[str, Any]]) -> str:
    names = list(runs[0]["lists"])
    head = "| list (page of 50), p50 / p95 ms | " + " | ".join(
        f"scale {r['scale']:g}" for r in runs
    )
    lines = [head + " |", "|---" * (len(runs) + 1) + "|"]
    for name in names:
        cells = []
        for run in runs:
            found = run["lists"].get(name, {})
            cells.append(f"{_fmt(found.get('p50_ms'))} / {_fmt(found.get('p95_ms'))}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    paths = argv if argv is not None else sys.argv[1:]
    runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    runs.sort(key=lambda r: r["scale"])
    print(table(runs))
    print()
    print(lists_table(runs))


if __name__ == "__main__":
    main()
