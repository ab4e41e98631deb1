"""How the engine counts records: from the records themselves, or from the tallies.

``CountingFromRecords`` asks the record tables directly: the reference.
``CountingFromTallies`` reads the write-time tallies (app/status/tallies/) for the whole
days of a window and asks the record tables only for the end of the last day, when the
window stops inside a day; a filter that is not tallied (a channel filter, a window with
no start) is counted from the records. Both answer the same
(tests/status/test_tallied_status.py).
"""

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.core.filters import one_of
from app.core.local_time import LOCAL_TZ, local_midnight
from app.indicators.measures import RecordFilter, RecordShare
from app.media_products.models import MediaProduct
from app.status import tallies
from app.status.inputs import StatusInputs
from app.status.record_filters import RECORD_MODELS, record_clauses
from app.status.windows import Window

Conjunction = tallies.Conjunction


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


class CountingFromRecords:
    """Counts over the records themselves."""

    def __init__(self, inputs: StatusInputs | None = None) -> None:
        # Groups, figures and training, read once for the indicators of one evaluation.
        self.inputs = inputs or StatusInputs()

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


_Buckets = tuple[tuple[str, ...], tuple[str, ...]]  # (added, subtracted)
_Counts = dict[int, dict[str, int]]  # filter id -> agency -> records


def _as_key(buckets: tuple[list[str], list[str]]) -> _Buckets:
    return tuple(buckets[0]), tuple(buckets[1])


class CountingFromTallies:
    """Counts from the tallies, for whole local days, plus the records of a partial last
    day; falls back to ``CountingFromRecords`` where the tallies cannot answer."""

    def __init__(self, inputs: StatusInputs | None = None) -> None:
        self.from_records = CountingFromRecords(inputs)
        self.inputs = self.from_records.inputs
        self._registry: dict[str, int] | None = None
        # Tallies read so far, per (buckets added, buckets subtracted): which filters, for
        # which agencies (None: all), and the counts per filter and agency.
        self._read: dict[_Buckets, list[tuple[set[int], set[str] | None, _Counts]]] = {}
        self._wanted: dict[_Buckets, tuple[set[int], set[str] | None]] = {}

    def want(
        self,
        session: Session,
        measure_data: dict[str, Any],
        window: Window,
        on_topic: list[str],
        codes: list[str] | None,
    ) -> None:
        """Note the tallies evaluating ``measure_data`` over ``codes`` will read, so that
        ``read_wanted`` reads them with every other indicator's in one query per window."""
        days = self._days(window)
        keys = [tallies.filter_key(c, on_topic) for c in tallies.conjunctions_of(measure_data)]
        ids = self._filter_ids(session, keys)
        if days is None or not ids:
            return
        buckets = _as_key(tallies.day_buckets(days[0], days[1]))
        fids, agencies = self._wanted.get(buckets, (set(), set()))
        fids.update(ids.values())
        if agencies is not None:
            agencies = None if codes is None else agencies | set(codes)
        self._wanted[buckets] = (fids, agencies)

    def read_wanted(self, session: Session) -> None:
        for buckets, (fids, codes) in self._wanted.items():
            self._counts(session, sorted(fids), buckets, None if codes is None else sorted(codes))
        self._wanted.clear()

    def _counts(
        self, session: Session, fids: list[int], buckets: _Buckets, codes: list[str] | None
    ) -> _Counts:
        """Per filter and agency, the counts over ``buckets``: from a read that covered
        them, or read now."""
        for read_fids, read_codes, counts in self._read.get(buckets, []):
            if read_fids.issuperset(fids) and (
                read_codes is None or (codes is not None and read_codes.issuperset(codes))
            ):
                return counts
        add, subtract = buckets
        counts = tallies.read_counts(session.connection(), fids, list(add), list(subtract), codes)
        self._read.setdefault(buckets, []).append(
            (set(fids), None if codes is None else set(codes), counts)
        )
        return counts

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
        rest = replace(window, start=window.end, end=local_midnight(end_day))
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
        found = self._counts(
            session, sorted(set(ids.values())), _as_key(tallies.day_buckets(first, end)), codes
        )
        later = (
            _counts_by_conjunction(session, conjunctions, rest, on_topic, codes)
            if rest is not None
            else [{} for _ in conjunctions]
        )
        results = []
        for key, taken_off in zip(keys, later, strict=True):
            counted = found[ids[key]]
            per_agency = (
                dict(counted) if codes is None else {c: counted[c] for c in codes if c in counted}
            )
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
        if spec.record != "channel":
            return self.from_records.agencies_with(session, spec, window, on_topic, codes)
        # Channels are counted from the records, and kept until a channel changes.
        key = self.inputs.cache_key(
            session, ("channels",), "channels", spec.model_dump_json(), window, tuple(codes)
        )
        met: set[str] | None = self.inputs.cached(key)
        if met is None:
            met = self.from_records.agencies_with(session, spec, window, on_topic, codes)
            self.inputs.keep(key, met)
        return met

    def share_counts(
        self,
        session: Session,
        measure: RecordShare,
        window: Window,
        on_topic: list[str],
        codes: list[str] | None,
    ) -> dict[str, tuple[int, int, int]]:
        conjunctions = tallies.share_conjunctions(measure)
        found = None
        if measure.base.record in tallies.TALLIED:
            found = self._tallied(session, conjunctions, window, on_topic, codes)
        if found is None:
            return self.from_records.share_counts(session, measure, window, on_topic, codes)
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
