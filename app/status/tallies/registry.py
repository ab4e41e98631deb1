"""Which filters are tallied: the ``tally_filter`` rows, kept in step with the filters the
stored indicators count (``sync_filters``), and the first count of a new one."""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.core.local_time import LOCAL_TZ
from app.indicators.models import Indicator, TallyFilter
from app.plans.models import Plan
from app.status.record_filters import record_clauses
from app.status.tallies.filters import INSTANT, TALLIED, conjunctions_of, filter_key, parse_key
from app.status.tallies.store import TALLY_TABLE, Delta, apply_delta, buckets_of


def all_registered(session: Session) -> dict[str, int]:
    """The id of every tallied filter, by key (a small table, read whole)."""
    statement = select(TallyFilter.key, TallyFilter.id)
    return {key: int(fid or 0) for key, fid in session.execute(statement)}


def registered_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    wanted = set(keys)
    return {key: fid for key, fid in all_registered(session).items() if key in wanted}


def needed_keys(session: Session) -> dict[str, str]:
    """Every filter key the stored indicators count, with its record type."""
    plans = {plan.id: list(plan.on_topic_topics) for plan in session.exec(select(Plan))}
    keys: dict[str, str] = {}
    for plan_id, measure in session.exec(select(Indicator.plan_id, Indicator.measure)):
        for specs in conjunctions_of(dict(measure)):
            keys[filter_key(specs, plans.get(plan_id, []))] = specs[0].record
    return keys


def sync_filters(session: Session) -> int:
    """Register the filters the indicators need, counting the stored records for each new
    one, and drop the ones no indicator uses. Returns how many were added. The caller
    commits. A new filter reads every record of its type: at national scale, seconds."""
    needed = needed_keys(session)
    known = all_registered(session)
    stale = [fid for key, fid in known.items() if key not in needed]
    if stale:
        session.execute(sa.delete(TALLY_TABLE).where(TALLY_TABLE.c.filter_id.in_(stale)))
        session.execute(sa.delete(TallyFilter).where(col(TallyFilter.id).in_(stale)))
    added = 0
    for key, record in sorted(needed.items()):
        if key in known:
            continue
        tally_filter = TallyFilter(record=record, key=key)
        session.add(tally_filter)
        session.flush()
        _backfill(session, int(tally_filter.id or 0), key)
        added += 1
    return added


def local_day_sql(connection: Connection, column: Any) -> Any:
    """The local day of an instant column, as ``YYYY-MM-DD`` text. Vietnam keeps UTC+7
    all year, which SQLite's modifier needs; PostgreSQL asks its zone database."""
    if connection.dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone(str(LOCAL_TZ), column), "YYYY-MM-DD")
    return sa.func.date(column, "+7 hours")


def _backfill(session: Session, filter_id: int, key: str) -> None:
    """Count the stored records of a newly registered filter, grouped in the database by
    agency and local day, then rolled up into months and years."""
    specs, on_topic = parse_key(key)
    model = TALLIED[specs[0].record]
    connection = session.connection()
    day = local_day_sql(connection, getattr(model, INSTANT[specs[0].record]))
    clauses = [clause for spec in specs for clause in record_clauses(spec, None, list(on_topic))]
    statement = (
        sa.select(col(model.agency_code), day.label("day"), sa.func.count())
        .where(*clauses)
        .group_by(col(model.agency_code), day)
    )
    delta: Delta = Counter()
    for agency_code, day_text, count in connection.execute(statement):
        for bucket in buckets_of(date.fromisoformat(day_text)):
            delta[(filter_id, agency_code, bucket)] += int(count)
    apply_delta(connection, delta)
