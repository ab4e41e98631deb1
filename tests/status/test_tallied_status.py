"""The fast path (write-time tallies) answers exactly as the straightforward evaluation.

Hypothesis builds random broadcasts and media products (instants near local midnight,
retracted ones, products on channels of several kinds), evaluates every record measure
of Plan 209 both ways, then changes the data (edits, retractions, deletions, moved
instants, a channel changing kind, new links) and compares again.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.broadcasts.models import Broadcast
from app.channels.models import Channel
from app.core.local_time import LOCAL_TZ
from app.core.vocab import IndicatorWindow
from app.indicators.models import Indicator
from app.media_products.models import MediaProduct
from app.media_products.service import set_channels
from app.plans.models import Plan
from app.status import tallies
from app.status.counting import CountingFromRecords, CountingFromTallies
from app.status.evaluation import Evaluation, evaluate
from app.status.windows import build_window, local_midnight

DEPARTMENTS = ["so-khcn", "so-tc"]
COMMUNES = ["xa-bao-lam", "xa-ly-bon", "phuong-tan-giang"]
PRESS = ["tap-chi-nncb"]
PRODUCERS = DEPARTMENTS + COMMUNES + PRESS + ["cong-ttdt-tinh"]
TOPICS = ["nq57", "ai", "local_effort", "implementation_results", "good_practice"]
KINDS = ["article", "news", "video", "print_publication", "e_publication"]
CHANNEL_KINDS = ["portal", "portal_section", "social_media", "press_column"]

# Days where a window or a bucket starts or ends (the new year, the plan's start on
# 27/01, quarters, months) and the days either side, or any day.
EDGES = [date(2026, 1, 1), date(2026, 1, 27), date(2026, 4, 1), date(2026, 7, 1)]
EDGES += [date(2026, 10, 1), date(2026, 12, 1), date(2027, 1, 1)]
days = st.one_of(
    st.builds(
        lambda edge, shift: edge + timedelta(days=shift),
        st.sampled_from(EDGES),
        st.integers(-1, 1),
    ),
    st.dates(date(2025, 12, 28), date(2027, 1, 10)),
)
instants = st.builds(
    lambda day, minute: local_midnight(day) + timedelta(minutes=minute),
    days,
    # Often within an hour of local midnight, where a day bucket is easy to get wrong.
    st.one_of(st.integers(0, 59), st.integers(1380, 1439), st.integers(0, 1439)),
)
topic_lists = st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)
retracted = st.one_of(st.none(), st.just(datetime(2026, 12, 1, tzinfo=UTC)))

broadcasts = st.fixed_dictionaries(
    {
        "agency_code": st.sampled_from(COMMUNES),
        "started_at": instants,
        "origin": st.sampled_from(["central", "provincial", "local"]),
        "topics": topic_lists,
        "retracted_at": retracted,
    }
)
products = st.fixed_dictionaries(
    {
        "agency_code": st.sampled_from(PRODUCERS),
        "published_at": instants,
        "kind": st.sampled_from(KINDS),
        "topics": topic_lists,
        "state_commissioned": st.booleans(),
        "partner_press": st.sampled_from([None, "", "Báo Nhân Dân"]),
        "retracted_at": retracted,
        "channels": st.lists(st.integers(0, 5), max_size=2, unique=True),
    }
)
changes = st.lists(
    st.tuples(
        st.sampled_from(["retract", "delete", "move", "retopic", "reorigin", "kind", "relink"]),
        st.integers(0, 10_000),
        instants,
        topic_lists,
    ),
    max_size=12,
)
as_of_days = days.filter(lambda d: date(2026, 1, 28) <= d <= date(2026, 12, 31))
as_of_instants = st.one_of(
    as_of_days.map(lambda d: local_midnight(d + timedelta(days=1))),  # as_of given as a day
    st.builds(
        lambda d, s: datetime.combine(d, time.min, tzinfo=LOCAL_TZ) + timedelta(seconds=s),
        as_of_days,
        st.one_of(st.integers(1, 3600), st.integers(1, 86_399)),
    ),
)


def _outcome(result: Evaluation) -> Any:
    return (
        result.numerator,
        result.denominator,
        [
            (r.agency.code, r.numerator, r.denominator, r.counts, r.conditions_met)
            for r in result.breakdown
        ],
        sorted(a.code for a in result.gaps),
        result.secondary,
    )


def _record_measures(session: Session) -> tuple[Plan, list[Indicator]]:
    plan = session.exec(select(Plan).where(Plan.code == "kh-209-2026")).one()
    indicators = session.exec(select(Indicator).where(Indicator.plan_id == plan.id)).all()
    return plan, [i for i in indicators if tallies.conjunctions_of(i.measure)]


def _assert_same(session: Session, as_of: datetime, period: str) -> None:
    plan, indicators = _record_measures(session)
    on_topic = list(plan.on_topic_topics)
    for indicator in indicators:
        for kind in (IndicatorWindow.year, IndicatorWindow.cumulative):
            window = build_window(plan, kind, period, as_of)
            args = (session, indicator.measure, window, on_topic, indicator.target_value)
            straight = evaluate(*args, CountingFromRecords())
            fast = evaluate(*args, CountingFromTallies())
            assert _outcome(fast) == _outcome(straight), (indicator.code, kind, as_of)


def _apply_change(
    session: Session, change: tuple[str, int, datetime, list[str]], channels: list[Channel]
) -> None:
    action, pick, instant, topics = change
    rows: list[Any] = list(session.exec(select(Broadcast))) + list(
        session.exec(select(MediaProduct))
    )
    if action == "kind":
        channel = channels[pick % len(channels)]
        channel.kind = CHANNEL_KINDS[pick % len(CHANNEL_KINDS)]
        session.add(channel)
    elif rows:
        row = rows[pick % len(rows)]
        if action == "retract":
            row.retracted_at = None if row.retracted_at else datetime(2026, 12, 2, tzinfo=UTC)
        elif action == "delete":
            session.delete(row)
        elif action == "move":
            setattr(row, "started_at" if isinstance(row, Broadcast) else "published_at", instant)
        elif action == "retopic":
            row.topics = topics
        elif action == "reorigin" and isinstance(row, Broadcast):
            row.origin = ["central", "provincial", "local"][pick % 3]
        elif action == "reorigin":
            row.kind = KINDS[pick % len(KINDS)]
        elif action == "relink" and isinstance(row, MediaProduct):
            set_channels(session, row, [channels[pick % len(channels)].id or 0])
        session.add(row)
    session.flush()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    broadcast_rows=st.lists(broadcasts, max_size=25),
    product_rows=st.lists(products, max_size=20),
    first_as_of=as_of_instants,
    later_changes=changes,
    second_as_of=as_of_instants,
    quarter=st.sampled_from(["2026", "2026-Q2", "2026-Q4"]),
)
def test_tallied_status_equals_straightforward(
    session: Session,
    broadcast_rows: list[dict[str, Any]],
    product_rows: list[dict[str, Any]],
    first_as_of: datetime,
    later_changes: list[tuple[str, int, datetime, list[str]]],
    second_as_of: datetime,
    quarter: str,
) -> None:
    example = session.begin_nested()
    try:
        channels = [
            Channel(agency_code=PRODUCERS[i % len(PRODUCERS)], kind=kind, name=f"Kênh {i}")
            for i, kind in enumerate(CHANNEL_KINDS + CHANNEL_KINDS[:2])
        ]
        session.add_all(channels)
        session.flush()
        session.add_all(
            Broadcast(title="Bản tin", duration_seconds=600, **values) for values in broadcast_rows
        )
        for values in product_rows:
            links = [channels[i].id for i in values.pop("channels")]
            product = MediaProduct(title="Chuyển đổi số", **values)
            session.add(product)
            session.flush()
            if links:
                set_channels(session, product, [i or 0 for i in links])
        session.flush()
        _assert_same(session, first_as_of, "2026")
        for change in later_changes:
            _apply_change(session, change, channels)
        period_end = {"2026": date(2027, 1, 1), "2026-Q2": date(2026, 7, 1)}.get(
            quarter, date(2027, 1, 1)
        )
        period_start = {"2026-Q2": date(2026, 4, 1), "2026-Q4": date(2026, 10, 1)}.get(
            quarter, date(2026, 1, 1)
        )
        as_of = min(
            max(second_as_of, local_midnight(period_start) + timedelta(seconds=1)),
            local_midnight(period_end),
        )
        _assert_same(session, as_of, quarter)
    finally:
        example.rollback()


def test_the_fast_path_reads_tallies_for_every_record_measure_of_the_seed(
    session: Session,
) -> None:
    """Without registered filters the fast path would quietly count straight: the
    comparison above would then compare the reference with itself."""
    plan, indicators = _record_measures(session)
    keys = {
        tallies.filter_key(specs, plan.on_topic_topics)
        for indicator in indicators
        for specs in tallies.conjunctions_of(indicator.measure)
    }
    assert len(indicators) == 9
    assert set(tallies.registered_ids(session, keys)) == keys


def test_batches_and_edits_over_http_keep_the_tallies_exact(
    client: TestClient, admin_headers: dict[str, str], session: Session
) -> None:
    """The batch path inserts with Core statements (no ORM flush): its rows, its
    re-pushes that change a record and a later retraction all reach the tallies."""
    items = [
        {
            "agency_code": COMMUNES[n % 3],
            "title": f"Bản tin chuyển đổi số {n}",
            "origin": ["central", "provincial", "local"][n % 3],
            "started_at": f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:30:00+07:00",
            "duration_seconds": 600,
            "topics": ["nq57"] if n % 4 else ["local_effort"],
            "source": "loa-ip-tally",
            "external_id": f"t-{n}",
        }
        for n in range(60)
    ]
    url = "/api/v1/broadcasts/batch"
    response = client.post(url, json={"items": items}, headers=admin_headers)
    assert response.json()["counts"]["created"] == 60, response.text
    _assert_same(session, local_midnight(date(2026, 12, 1)), "2026")

    changed = [{**item, "topics": ["ai"], "origin": "local"} for item in items[:20]]
    response = client.post(url, json={"items": changed}, headers=admin_headers)
    assert response.json()["counts"]["updated"] == 20, response.text
    first_id = response.json()["items"][0]["id"]
    response = client.patch(
        f"/api/v1/broadcasts/{first_id}",
        json={"retracted_at": "2026-04-01T00:00:00+07:00"},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    _assert_same(session, local_midnight(date(2026, 12, 1)), "2026")
    _assert_same(session, local_midnight(date(2026, 3, 15)) + timedelta(hours=9), "2026")
