"""How the engine counts records: straight from the records, or from the tallies.

``StraightCounting`` asks the record tables directly: the reference. ``TalliedCounting``
reads the write-time tallies (tallies.py) for the whole days of a window and asks the
record tables only for the end of the last day, when the window stops inside a day; a
filter that is not tallied (a channel filter, a window with no start) is counted
straight. Both answer the same (tests/indicators/test_tallied_status.py).
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.agencies.service import Member
from app.core.filters import LOCAL_TZ, one_of
from app.indicators import tallies
from app.indicators.measures import RecordFilter, RecordShare
from app.indicators.record_filters import RECORD_MODELS, record_clauses
from app.indicators.windows import Window
from app.media_products.models import MediaProduct

Conjunction = tallies.Conjunction


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


class StraightCounting:
    """Counts over the records themselves."""

    def __init__(self) -> None:
        # Group populations by (group, day), shared by the indicators of one evaluation.
        self.populations: dict[tuple[str, date], list[Member]] = {}

    def agencies_with(
        self,
        session: Session,
        spec: RecordFilter,
        window: Window,
        on_topic: list[str],
        codes: list[str],
    ) -> set[str]:
        """Which of ``codes`` have at least one qualifying record.

        One EXISTS per agency rather than DISTINCT over every record: with the index on
        (agency_code, instant) each probe stops at the agency's first qualifying record.
        """
        if not codes:
            return set()
        model = RECORD_MODELS[spec.record]
        qualifying = (
            sa.select(sa.literal(1))
            .where(col(model.agency_code) == col(Agency.code))
            .where(*record_clauses(spec, window, on_topic))
        )
        statement = select(Agency.code).where(
            one_of(_dialect(session), col(Agency.code), codes), qualifying.exists()
        )
        return set(session.exec(statement).all())

    def share_counts(
        self,
        session: Session,
        measure: RecordShare,
        window: Window,
        on_topic: list[str],
        codes: list[str] | None,
    ) -> dict[str, tuple[int, int, int]]:
        """Per agency with base records: (base, also numerator, also secondary), in one
        grouped query, so no record leaves the database."""
        model = RECORD_MODELS[measure.base.record]

        def matching(spec: RecordFilter) -> Any:
            clauses = record_clauses(spec, window, on_topic)
            return sa.func.sum(sa.case((sa.and_(*clauses), 1), else_=0))

        secondary = measure.secondary.filter if measure.secondary is not None else None
        statement = sa.select(
            col(model.agency_code),
            sa.func.count(),
            matching(measure.numerator),
            matching(secondary) if secondary is not None else sa.literal(0),
        ).where(*record_clauses(measure.base, window, on_topic))
        if codes is not None:
            statement = statement.where(one_of(_dialect(session), col(model.agency_code), codes))
        rows = session.execute(statement.group_by(col(model.agency_code))).all()
        return {code: (int(den), int(num or 0), int(sec or 0)) for code, den, num, sec in rows}


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


class TalliedCounting:
    """Counts from the tallies, for whole local days, plus the records of a partial last
    day; falls back to ``StraightCounting`` where the tallies cannot answer."""

    def __init__(self) -> None:
        self.straight = StraightCounting()
        self.populations = self.straight.populations
        self._registry: dict[str, int] | None = None

    def _filter_ids(self, session: Session, keys: list[str]) -> dict[str, int]:
        """The registered ids of ``keys`` (the registry is read once per evaluation)."""
        if self._registry is None:
            self._registry = tallies.all_registered(session)
        return {key: self._registry[key] for key in keys if key in self._registry}

    def _days(self, window: Window) -> tuple[date, date, Window | None] | None:
        """The local days [first, end) the tallies answer for, and the part of the last
        day after the window's end to take back off, if the window ends inside a day."""
        if window.counts_from is None:
            return None
        start = window.counts_from.astimezone(LOCAL_TZ)
        if start.timetz().replace(tzinfo=None) != time.min:
            return None
        end = window.end.astimezone(LOCAL_TZ)
        if end.timetz().replace(tzinfo=None) == time.min:
            return start.date(), end.date(), None
        end_day = end.date() + timedelta(days=1)
        # Year and cumulative windows count from their start: so does this one.
        rest = replace(window, start=window.end, end=_local_midnight(end_day))
        return start.date(), end_day, rest

    def _tallied(
        self,
        session: Session,
        conjunctions: list[Conjunction],
        window: Window,
        on_topic: list[str],
        codes: list[str] | None,
    ) -> list[dict[str, int]] | None:
        """Per conjunction, per agency: the matching records in ``window``; None when the
        tallies cannot answer."""
        days = self._days(window)
        if days is None or not conjunctions:
            return None
        keys = [tallies.filter_key(specs, on_topic) for specs in conjunctions]
        ids = self._filter_ids(session, keys)
        if len(ids) < len(set(keys)):
            return None
        first, end, rest = days
        add, subtract = tallies.day_buckets(first, end)
        found = tallies.read_counts(
            session.connection(), sorted(set(ids.values())), add, subtract, codes
        )
        later = (
            _counts_by_conjunction(session, conjunctions, rest, on_topic, codes)
            if rest is not None
            else [{} for _ in conjunctions]
        )
        results = []
        for key, taken_off in zip(keys, later, strict=True):
            per_agency = dict(found[ids[key]])
            for code, n in taken_off.items():
                per_agency[code] = per_agency.get(code, 0) - n
            results.append({code: n for code, n in per_agency.items() if n})
        return results

    def agencies_with(
        self,
        session: Session,
        spec: RecordFilter,
        window: Window,
        on_topic: list[str],
        codes: list[str],
    ) -> set[str]:
        if not codes:
            return set()
        if spec.record in tallies.TALLIED:
            found = self._tallied(session, [(spec,)], window, on_topic, codes)
            if found is not None:
                return {code for code, n in found[0].items() if n > 0}
        return self.straight.agencies_with(session, spec, window, on_topic, codes)

    def share_counts(
        self,
        session: Session,
        measure: RecordShare,
        window: Window,
        on_topic: list[str],
        codes: list[str] | None,
    ) -> dict[str, tuple[int, int, int]]:
        conjunctions: list[Conjunction] = [(measure.base,), (measure.base, measure.numerator)]
        if measure.secondary is not None:
            conjunctions.append((measure.base, measure.secondary.filter))
        found = None
        if measure.base.record in tallies.TALLIED:
            found = self._tallied(session, conjunctions, window, on_topic, codes)
        if found is None:
            return self.straight.share_counts(session, measure, window, on_topic, codes)
        base, numerator = found[0], found[1]
        secondary = found[2] if len(found) > 2 else {}
        return {
            code: (n, numerator.get(code, 0), secondary.get(code, 0))
            for code, n in base.items()
            if n > 0
        }


def _counts_by_conjunction(
    session: Session,
    conjunctions: list[Conjunction],
    window: Window,
    on_topic: list[str],
    codes: list[str] | None,
) -> list[dict[str, int]]:
    """Per conjunction, per agency: its matching records in ``window`` (the end of a last
    day), all conjunctions in one grouped query; channel kinds tested on the column the
    tallies count, so that the part taken off is the part the tallies hold."""
    model = RECORD_MODELS[conjunctions[0][0].record]

    def matching(specs: Conjunction) -> Any:
        clauses = [
            clause
            for spec in specs
            for clause in record_clauses(spec, window, on_topic, linked_kinds_column=True)
        ]
        return sa.func.sum(sa.case((sa.and_(*clauses), 1), else_=0))

    instant = col(model.published_at if model is MediaProduct else model.started_at)
    statement = sa.select(col(model.agency_code), *(matching(c) for c in conjunctions)).where(
        instant >= window.start, instant < window.end
    )
    if codes is not None:
        statement = statement.where(one_of(_dialect(session), col(model.agency_code), codes))
    found: list[dict[str, int]] = [{} for _ in conjunctions]
    for row in session.execute(statement.group_by(col(model.agency_code))):
        for position, n in enumerate(row[1:]):
            if n:
                found[position][row[0]] = int(n)
    return found
