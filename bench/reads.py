"""Read phases: a plan's whole status, each indicator's status, the pages and widgets
built on them (app/pages), and list endpoints with filters (a page of 50). One client, one
request at a time: these are latencies."""

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
        # Whom each indicator counts: T2026-5's denominator is the province's communes
        # and wards (the seed's group, its kinds selected within the plan's province).
        "denominators": {i["code"]: i["denominator"] for i in indicators},
        "plan_status": summary(whole),
        "plan_status_cold": summary(cold),
        "indicator_status": summary(every),
        "per_indicator": per_code,
        "failures": failures[:5],
    }


def national_phase(server: Server, *, count: int, seconds: float) -> dict[str, Any]:
    """The national view (every plan evaluated, provinces ranked per shared indicator)."""
    url = f"/api/v1/status?{urlencode({'period': PERIOD, 'as_of': AS_OF})}"
    with httpx.Client(base_url=server.base, timeout=600) as http:
        first = http.get(url)
        ms, failures = timed_gets(http, _constant(url), count=count, seconds=seconds)
    body = first.json() if first.status_code == 200 else {}
    return {
        "plans": len(body.get("plans", [])),
        "ranked_indicators": len(body.get("indicators", [])),
        "status": summary(ms),
        "failures": failures[:5],
    }


def _codes(http: httpx.Client, plan: str) -> list[str]:
    answer = http.get(f"/api/v1/plans/{plan}/indicators", params={"limit": 100})
    return [item["code"] for item in answer.raise_for_status().json()["items"]]


def _revalidated(http: httpx.Client, url: str, count: int, seconds: float) -> dict[str, Any]:
    """A portal visitor's browser asking again with the ETag it holds (304, no body)."""
    etag = http.get(url).headers.get("etag", "")
    latencies, failures = [], []
    deadline = time.monotonic() + seconds
    for i in range(count):
        if i and time.monotonic() > deadline:
            break
        began = time.perf_counter()
        answer = http.get(url, headers={"If-None-Match": etag})
        latencies.append(1000 * (time.perf_counter() - began))
        if answer.status_code != 304:
            failures.append(f"{url}: {answer.status_code}, expected 304")
    return {**summary(latencies), "failures": failures[:3]}


def page_phase(server: Server, plan: str, *, count: int, seconds: float) -> dict[str, Any]:
    """The pages and widgets of app/pages, anonymous as a browser and a portal's iframe
    ask for them (period 2026, as of 31/12, the status phase's URL): each kind ``count``
    times, one at a time, the first request apart. Indicator pages and widgets go round
    the plan's indicators. An indicator page evaluates its indicator at each month's end
    for its chart (12 evaluations), so it is timed ``count // 3`` times. Widgets are kept
    a minute by the service (app/pages/cache.py), so a repeated URL is answered from
    memory; ``widgets_in_process`` times what one costs when it is not kept."""
    query = urlencode({"period": PERIOD, "as_of": AS_OF})
    with httpx.Client(base_url=server.base, timeout=600) as http:
        codes = _codes(http, plan)

        def each(path: str) -> Callable[[int], str]:
            return lambda i: path.format(code=codes[i % len(codes)]) + "?" + query

        kinds = {
            "plan_page": (each(f"/plans/{plan}"), count),
            "communes_page": (each(f"/plans/{plan}/communes"), count),
            "indicator_page": (each(f"/plans/{plan}/indicators/{{code}}"), max(1, count // 3)),
            "plan_widget": (each(f"/embed/plans/{plan}"), count),
            "indicator_widget": (each(f"/embed/plans/{plan}/indicators/{{code}}"), count),
            "badge": (each(f"/embed/plans/{plan}/indicators/{{code}}/badge.svg"), count),
        }
        results: dict[str, Any] = {}
        failures: list[str] = []
        for name, (make_url, times) in kinds.items():
            began = time.perf_counter()
            first = http.get(make_url(0))
            first_ms = round(1000 * (time.perf_counter() - began), 2)
            ms, more = timed_gets(http, make_url, count=times, seconds=seconds)
            failures += more
            results[name] = {**summary(ms), "first_ms": first_ms, "bytes": len(first.content)}
        results["plan_widget_304"] = _revalidated(
            http, each(f"/embed/plans/{plan}")(0), count, seconds
        )
    widgets = [results[k].get("p95_ms", 0) for k in ("plan_widget", "indicator_widget", "badge")]
    results["worst_widget_p95_ms"] = max(widgets)
    results["failures"] = failures[:5]
    return results


def widgets_in_process(url: str, plan: str, *, count: int) -> dict[str, Any]:
    """What a widget costs when the service has not kept it: its body built in process
    (the status evaluation and the rendering, no HTTP), ``count`` times each, after one
    warm-up. The first indicator stands for the indicator widget and the badge."""
    from sqlmodel import Session, col, select

    from app.core.db import create_db_engine
    from app.indicators.models import Indicator
    from app.pages.links import View
    from app.pages.widgets import badge_body, indicator_widget_body, plan_widget_body
    from app.plans.models import Plan

    engine = create_db_engine(url)
    view = View("", plan, PERIOD, AS_OF)
    out: dict[str, Any] = {}
    try:
        with Session(engine) as session:
            code = session.exec(
                select(Indicator.code)
                .join(Plan, col(Plan.id) == col(Indicator.plan_id))
                .where(Plan.code == plan)
                .order_by(col(Indicator.position), col(Indicator.code))
            ).first()
            assert code is not None, plan
            bodies: dict[str, Callable[[], object]] = {
                "plan_widget": lambda: plan_widget_body(session, view),
                "indicator_widget": lambda: indicator_widget_body(session, view, code),
                "badge": lambda: badge_body(session, view, code),
            }
            for name, build in bodies.items():
                build()
                ms = []
                for _ in range(count):
                    began = time.perf_counter()
                    build()
                    ms.append(1000 * (time.perf_counter() - began))
                out[name] = summary(ms)
    finally:
        engine.dispose()
    return out


@dataclass
class ListParams:
    units: list[str]
    busy_unit: str
    rare_unit: str
    press: str
    teams: list[str]
    group: str
    province: str


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
        group="he-thong-ttcs",
        province=province,
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
        "figures metric+group": lambda _i: url(
            "figures", metric="staff_briefed", group=p.group, province=p.province
        ),
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
    from app.indicators.models import Indicator
    from app.plans.models import Plan
    from app.status.counting import CountingFromRecords, CountingFromTallies
    from app.status.evaluation import evaluate
    from app.status.inputs import StatusInputs
    from app.status.windows import build_window, resolve_as_of

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
                    "tallied": CountingFromTallies(StatusInputs(cache=None)),
                    "straight": CountingFromRecords(StatusInputs(cache=None)),
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
