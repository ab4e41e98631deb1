"""Read phases: a plan's whole status, each indicator's status, and list endpoints with
filters (a page of 50). One client, one request at a time: these are latencies."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg

from bench.load import conninfo
from bench.measure import summary, timed_gets
from bench.server import Server

PERIOD = "2026"
AS_OF = "2026-12-31"
COLD_DAYS = [f"2026-12-{day:02d}" for day in range(1, 31)]


def _constant(url: str) -> Callable[[int], str]:
    return lambda _i: url


def status_phase(
    server: Server, plan: str, *, count: int, per_indicator: int, seconds: float
) -> dict[str, Any]:
    query = urlencode({"period": PERIOD, "as_of": AS_OF})
    with httpx.Client(base_url=server.base, timeout=600) as http:
        codes = [
            item["code"]
            for item in http.get(f"/api/v1/plans/{plan}/indicators", params={"limit": 100})
            .raise_for_status()
            .json()["items"]
        ]
        began = time.perf_counter()
        first = http.get(f"/api/v1/plans/{plan}/status?{query}")
        first_ms = 1000 * (time.perf_counter() - began)
        body = first.json() if first.status_code == 200 else {}
        whole, failures = timed_gets(
            http, lambda _i: f"/api/v1/plans/{plan}/status?{query}", count=count, seconds=seconds
        )
        # Each on another day: nothing the service keeps from earlier answers applies
        # (groups on that day, figures and training in that window), as after a change.
        cold, more = timed_gets(
            http,
            lambda i: f"/api/v1/plans/{plan}/status?period={PERIOD}&as_of={COLD_DAYS[i % 30]}",
            count=min(count, len(COLD_DAYS)),
            seconds=seconds,
        )
        failures += more
        per_code: dict[str, Any] = {}
        every: list[float] = []
        for code in codes:
            ms, more = timed_gets(
                http,
                _constant(f"/api/v1/plans/{plan}/indicators/{code}/status?{query}"),
                count=per_indicator,
                seconds=seconds / max(1, len(codes)),
            )
            failures += more
            every += ms
            per_code[code] = summary(ms)
    indicators = body.get("indicators", [])
    return {
        "plan": plan,
        "first_request_ms": round(first_ms, 2),
        "response_bytes": len(first.content),
        "agencies_in_breakdowns": sum(len(i.get("breakdown", [])) for i in indicators),
        "summary": body.get("summary"),
        "plan_status": summary(whole),
        "plan_status_cold": summary(cold),
        "indicator_status": summary(every),
        "per_indicator": per_code,
        "failures": failures[:5],
    }


@dataclass
class ListParams:
    units: list[str]
    busy_unit: str
    rare_unit: str
    press: str
    teams: list[str]
    group: str


def list_params(url: str, province: str, ubnd: str) -> ListParams:
    with psycopg.connect(conninfo(url)) as conn:
        units = [
            code
            for (code,) in conn.execute(
                "SELECT code FROM agency WHERE parent_code = %s AND kind IN ('commune', 'ward') "
                "ORDER BY code",
                (ubnd,),
            )
        ]
        counts: dict[str, int] = dict(
            conn.execute(
                "SELECT agency_code, count(*) FROM broadcast WHERE agency_code = ANY(%s) "
                "GROUP BY agency_code",
                (units,),
            ).fetchall()
        )
        press = conn.execute(
            "SELECT agency_code FROM media_product WHERE agency_code LIKE 'bao-%%' "
            "AND agency_code IN (SELECT code FROM agency WHERE parent_code = %s) LIMIT 1",
            (ubnd,),
        ).fetchone()
    ranked = sorted(units, key=lambda code: (counts.get(code, 0), code))
    return ListParams(
        units=units,
        busy_unit=ranked[-1],
        rare_unit=ranked[0],
        press=press[0] if press else units[0],
        teams=[f"to-cns-{code}" for code in units],
        group=f"he-thong-ttcs-{province}" if province != "cao-bang" else "he-thong-ttcs",
    )


def list_specs(p: ListParams, rng: random.Random) -> dict[str, Callable[[int], str]]:
    def url(path: str, **params: Any) -> str:
        return f"/api/v1/{path}?{urlencode({'limit': 50, **params}, doseq=True)}"

    def month() -> dict[str, str]:
        m = f"2026-{rng.randint(1, 12):02d}"
        return {"from": f"{m}-01", "to": f"{m}-28"}

    return {
        "broadcasts agency+from/to": lambda _i: url(
            "broadcasts", agency=rng.choice(p.units), **month()
        ),
        "broadcasts origin+topic": lambda _i: url(
            "broadcasts", origin="central", topic=rng.choice(["nq57", "ai", "digital_literacy"])
        ),
        "broadcasts q": lambda _i: url("broadcasts", q=rng.choice(["binh dan hoc vu so", "VOV"])),
        "broadcasts busy commune": lambda _i: url("broadcasts", agency=p.busy_unit),
        "broadcasts rare commune": lambda _i: url("broadcasts", agency=p.rare_unit),
        "broadcasts rare topic+agency": lambda _i: url(
            "broadcasts", agency=rng.choice(p.units), topic="international_cooperation"
        ),
        "media-products agency+kind+topic": lambda _i: url(
            "media-products", agency=p.press, kind=["article", "news"], topic="local_effort"
        ),
        "media-products q+from/to": lambda _i: url("media-products", q="chuyen doi so", **month()),
        "training-sessions attendee+audience": lambda _i: url(
            "training-sessions",
            attendee_agency=rng.choice(p.teams),
            audience="digital_team_members",
        ),
        "figures metric+group": lambda _i: url("figures", metric="staff_briefed", group=p.group),
        "channels kind+active_on": lambda _i: url(
            "channels", kind="loudspeaker_station", active_on="2026-06-01"
        ),
    }


def list_phase(
    server: Server, key: str, params: ListParams, *, count: int, seconds: float, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    results: dict[str, Any] = {}
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=server.base, timeout=600, headers=headers) as http:
        for name, make_url in list_specs(params, rng).items():
            ms, failures = timed_gets(http, make_url, count=count, seconds=seconds)
            results[name] = {**summary(ms), "example": make_url(0), "failures": failures[:3]}
    return results


def fast_path_check(url: str, plan_code: str, as_of_values: list[str]) -> dict[str, Any]:
    """In process: every indicator of the plan evaluated from the tallies and straight from
    the records, for each ``as_of``: whether they agree, and how long each took (ms)."""
    from sqlmodel import Session, select

    from app.core.db import create_db_engine
    from app.core.types import utcnow
    from app.core.vocab import IndicatorWindow
    from app.indicators.counting import StraightCounting, TalliedCounting
    from app.indicators.engine import evaluate
    from app.indicators.facts import Facts
    from app.indicators.models import Indicator
    from app.indicators.windows import build_window, resolve_as_of
    from app.plans.models import Plan

    engine = create_db_engine(url)
    checks: list[dict[str, Any]] = []
    try:
        with Session(engine) as session:
            plan = session.exec(select(Plan).where(Plan.code == plan_code)).one()
            indicators = session.exec(select(Indicator).where(Indicator.plan_id == plan.id)).all()
            for as_of in as_of_values:
                end = resolve_as_of(as_of, utcnow())
                timings = {"tallied": 0.0, "straight": 0.0}
                differing = []
                # Neither keeps facts across requests here: the timings compare counting.
                counters = {
                    "tallied": TalliedCounting(Facts(cache=None)),
                    "straight": StraightCounting(Facts(cache=None)),
                }
                for indicator in indicators:
                    window = build_window(plan, IndicatorWindow(indicator.window), PERIOD, end)
                    outcomes = {}
                    for name, counting in counters.items():
                        began = time.perf_counter()
                        result = evaluate(
                            session,
                            indicator.measure,
                            window,
                            list(plan.on_topic_topics),
                            indicator.target_value,
                            counting,  # type: ignore[arg-type]
                        )
                        timings[name] += 1000 * (time.perf_counter() - began)
                        outcomes[name] = (
                            result.numerator,
                            result.denominator,
                            [(r.agency.code, r.numerator, r.denominator) for r in result.breakdown],
                            result.secondary,
                        )
                    if outcomes["tallied"] != outcomes["straight"]:
                        differing.append(indicator.code)
                checks.append(
                    {
                        "as_of": as_of,
                        "same_answers": not differing,
                        "differing": differing,
                        "ms_tallied": round(timings["tallied"], 1),
                        "ms_straight": round(timings["straight"], 1),
                    }
                )
    finally:
        engine.dispose()
    return {"plan": plan_code, "checks": checks}
