"""Generate the synthetic national data set at a scale, into a PostgreSQL database.

    python -m bench.generate --scale 0.01 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/nq57_bench

Scale 1 is the nation for one year (2026): 34 provinces, 3,321 communes and wards,
about 10 million broadcasts, 1 million media products, 50,000 training sessions, figures
for every agency and one plan per province. Every scale keeps the whole catalogue (all
34 provinces, every commune and ward, their channels, figures and plans); the records
(broadcasts, media products, training sessions) scale linearly. The same seed gives the
same data. The database is dropped and created again unless ``--keep``.
"""

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench import catalogue, people, records
from bench.load import (
    Loader,
    conninfo,
    count_tallies,
    database_name,
    migrate_and_seed,
    recreate_database,
    without_secondary_indexes,
)

BROADCASTS_AT_1 = 10_000_000
MEDIA_PRODUCTS_AT_1 = 1_000_000
TRAINING_SESSIONS_AT_1 = 50_000
MARKER = "nq57-bench"
BULK_REBUILD_ROWS = 500_000  # above this, indexes are rebuilt after the load


def volumes(scale: float) -> dict[str, int]:
    return {
        "broadcasts": round(BROADCASTS_AT_1 * scale),
        "media_products": round(MEDIA_PRODUCTS_AT_1 * scale),
        "training_sessions": round(TRAINING_SESSIONS_AT_1 * scale),
    }


def marker(url: str) -> dict[str, Any] | None:
    """What the generator left on the database (its comment), or None."""
    try:
        with psycopg.connect(conninfo(url)) as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            ).fetchone()
    except psycopg.OperationalError:
        return None
    if not row or not row[0] or not row[0].startswith(MARKER + " "):
        return None
    return dict(json.loads(row[0].removeprefix(MARKER + " ")))


def _holds_other_data(url: str) -> bool:
    """True when the database exists, has tables and was not made by this generator."""
    try:
        with psycopg.connect(conninfo(url)) as conn:
            row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            tables = row.fetchone()
    except psycopg.OperationalError:
        return False  # no such database yet
    return bool(tables and tables[0]) and marker(url) is None


def _step(timings: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - started, 3)
    print(f"  {name:<28} {now - started:8.2f} s", file=sys.stderr, flush=True)
    return now


def generate(
    url: str, scale: float, *, seed: int = 57, keep: bool = False, force: bool = False
) -> dict[str, Any]:
    """Build the data set; returns what was made and how long each step took. Refuses to
    drop a database with tables that this generator did not make, unless ``force``."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if not keep and not force and _holds_other_data(url):
        raise SystemExit(
            f"{database_name(url)} holds tables this generator did not make; "
            "name another database, or pass --force to drop it"
        )
    wanted = volumes(scale)
    timings: dict[str, float] = {}
    print(f"generating scale {scale} into {database_name(url)}: {wanted}", file=sys.stderr)
    started = time.perf_counter()
    t = started
    if not keep:
        recreate_database(url)
    seed_report = migrate_and_seed(url)
    t = _step(timings, "migrate + seed", t)

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}/{part}")

    with psycopg.connect(conninfo(url)) as conn:
        try:  # consistent by construction: skip the per-row foreign-key triggers
            conn.execute("SET session_replication_role = replica")
        except psycopg.Error:
            conn.rollback()
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        loader = Loader(conn)
        world = catalogue.build(loader, rng("catalogue"))
        conn.commit()
        t = _step(timings, "catalogue + channels", t)
        if wanted["media_products"] >= BULK_REBUILD_ROWS:
            with without_secondary_indexes(conn, "media_product"):
                pools = records.media_products(
                    loader, rng("media"), world, wanted["media_products"]
                )
                t = _step(timings, "media products (COPY)", t)
            t = _step(timings, "media products (indexes)", t)
        else:
            pools = records.media_products(loader, rng("media"), world, wanted["media_products"])
            t = _step(timings, "media products (COPY)", t)
        conn.commit()
        if wanted["broadcasts"] >= BULK_REBUILD_ROWS:
            with without_secondary_indexes(conn, "broadcast"):
                records.broadcasts(loader, rng("broadcasts"), world, wanted["broadcasts"], pools)
                t = _step(timings, "broadcasts (COPY)", t)
            t = _step(timings, "broadcasts (indexes)", t)
        else:
            records.broadcasts(loader, rng("broadcasts"), world, wanted["broadcasts"], pools)
            t = _step(timings, "broadcasts (COPY)", t)
        conn.commit()
        people.training_sessions(loader, rng("training"), world, wanted["training_sessions"])
        people.figures(loader, rng("figures"), world)
        conn.commit()
        t = _step(timings, "training + figures", t)
    count_tallies(url)
    t = _step(timings, "status tallies", t)
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        t = _step(timings, "vacuum analyze", t)
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "agency",
                "agency_group",
                "agency_group_member",
                "plan",
                "indicator",
                "channel",
                "media_product",
                "media_product_channel",
                "broadcast",
                "training_session",
                "training_attendance",
                "training_participant",
                "figure",
            )
        }
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        info = {
            "scale": scale,
            "seed": seed,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "plans": [w.plan_code for w in world.provinces],
        }
        conn.execute(
            f'COMMENT ON DATABASE "{database_name(url)}" IS '
            + psycopg.sql.quote(f"{MARKER} {json.dumps(info)}")
        )
    timings["total"] = round(time.perf_counter() - started, 3)
    return {
        **info,
        "seed_report": seed_report,
        "rows": counts,
        "database_bytes": size[0] if size else None,
        "copy_seconds": {k: round(v, 3) for k, v in loader.seconds.items()},
        "seconds": timings,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--database-url", required=True, help="postgresql+psycopg://…/<db>")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--keep", action="store_true", help="do not drop the database first")
    parser.add_argument("--force", action="store_true", help="drop it even if not generated")
    parser.add_argument("--out", help="write what was made (JSON) to this file")
    args = parser.parse_args(argv)
    result = generate(
        args.database_url, args.scale, seed=args.seed, keep=args.keep, force=args.force
    )
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(json.dumps(result["rows"]), file=sys.stderr)
    print(f"done in {result['seconds']['total']:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
