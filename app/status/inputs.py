"""What indicators read besides the records they count: the agencies of groups, the latest
figures and the training done.

One ``StatusInputs`` serves one evaluation (a plan's status, or one indicator's). These facts
change a few times a day and are read on every status request, so what is computed from
them is also kept in a process-wide cache under the version of the data it came from
(app/core/data_versions.py: a new version with every write, whoever writes): a result is
reused only while its data is unchanged, and is exactly what computing it again would
give. ``CountingFromTallies`` keeps its channel counts the same way (``cache_key``).

Within an evaluation, the populations of all groups are read in one query, and a plan's
figures in one (``load_figures``) when they are not cached.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.agencies.service import Member, groups_members, members_by_code
from app.core.data_versions import read_versions
from app.core.filters import has_tag, one_of
from app.core.vocab import IndicatorWindow
from app.figures.models import Figure
from app.status.windows import Window
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession


class ResultCache:
    """Least recently used results, shared by the threads of a process. Keys carry the
    version of the data a result was computed from, so entries are never invalidated,
    only pushed out by newer ones. The bound is on the agencies the results hold (a
    national group is thousands, a province's hundreds), not on their number."""

    def __init__(self, max_agencies: int) -> None:
        self._max = max_agencies
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: Any) -> None:
        weight = _agencies_in(value)
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._held -= previous[1]
            self._entries[key] = (value, weight)
            self._held += weight
            while self._held > self._max and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._held -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0


def _agencies_in(value: Any) -> int:
    """How many agencies a kept result holds: a population, a set or a mapping by agency,
    or a pair of mappings (training counts and how each agency was counted)."""
    if isinstance(value, tuple):
        return 1 + sum(len(part) for part in value)
    return 1 + len(value)


# Bounded by the agencies the results hold: room for the results of many provinces' plans,
# or of one day of a plan whose groups are national, in a small part of a worker's memory.
RESULTS = ResultCache(max_agencies=100_000)


@dataclass(frozen=True, slots=True)
class _FigureRow:
    period_start: date
    period_end: date
    updated_at: datetime
    value: float


@dataclass(frozen=True)
class TrainingWant:
    """What a ``trained_people`` numerator counts: whose, when, which audiences."""

    codes: tuple[str, ...]
    window: Window
    audiences: frozenset[str]
    passed_only: bool
    on_topic: tuple[str, ...] | None  # None: any topic


class StatusInputs:
    def __init__(self, cache: ResultCache | None = RESULTS) -> None:
        self._cache = cache
        self._versions: dict[str, Any] | None = None
        self._populations: dict[tuple[str, str | None, date], list[Member]] = {}
        self._members: dict[str, Member] = {}
        # Figures of (metrics × agencies) for periods starting up to a day, when read.
        self._figure_metrics: set[str] = set()
        self._figure_codes: set[str] = set()
        self._figure_day: date | None = None
        self._figures: dict[tuple[str, str], list[_FigureRow]] = {}

    def cache_key(self, session: Session, domains: tuple[str, ...], *parts: Hashable) -> Any:
        """The cache key of a result computed from ``domains``' data, or None when it is
        not to be kept (no cache, or a domain without a version)."""
        if self._cache is None:
            return None
        if self._versions is None:
            self._versions = read_versions(session)
        versions = tuple(self._versions.get(domain) for domain in domains)
        if None in versions:
            return None
        return (*parts, versions)

    def cached(self, key: Any) -> Any:
        return self._cache.get(key) if key is not None and self._cache is not None else None

    def keep(self, key: Any, value: Any) -> None:
        if key is not None and self._cache is not None:
            self._cache.put(key, value)

    # Groups and agencies ------------------------------------------------------------

    def load_groups(
        self, session: Session, groups: Iterable[str], day: date, province: str | None = None
    ) -> None:
        """Read the populations of ``groups`` on ``day`` (kinds within ``province``: the
        plan's) not already known, in one query."""
        missing = []
        for group in sorted(set(groups)):
            if (group, province, day) in self._populations:
                continue
            key = self.cache_key(session, ("catalogue",), "group", group, province, day)
            members = self.cached(key)
            if members is None:
                missing.append(group)
            else:
                self._remember((group, province, day), members)
        if missing:
            found = groups_members(session, missing, day, province)
            for group, members in found.items():
                key = self.cache_key(session, ("catalogue",), "group", group, province, day)
                self.keep(key, members)
                self._remember((group, province, day), members)

    def _remember(self, key: tuple[str, str | None, date], members: list[Member]) -> None:
        self._populations[key] = members
        self._members.update((member.code, member) for member in members)

    def population(
        self, session: Session, groups: Iterable[str], day: date, province: str | None = None
    ) -> list[Member]:
        """The agencies of ``groups`` active on ``day``, ordered by code."""
        groups = list(groups)
        self.load_groups(session, groups, day, province)
        members = {m.code: m for g in groups for m in self._populations[(g, province, day)]}
        return [members[code] for code in sorted(members)]

    def members(self, session: Session, codes: Iterable[str]) -> dict[str, Member]:
        """Who the agencies of ``codes`` are (those already seen in a population are not
        read again)."""
        codes = list(codes)
        unseen = [code for code in codes if code not in self._members]
        if unseen:
            self._members.update(members_by_code(session, unseen))
        return {code: self._members[code] for code in codes if code in self._members}

    # Figures ------------------------------------------------------------------------

    def _figures_key(self, session: Session, metric: str, codes: list[str], window: Window) -> Any:
        return self.cache_key(session, ("figures",), "figures", metric, tuple(codes), window)

    def figures_cached(
        self, session: Session, metric: str, codes: list[str], window: Window
    ) -> bool:
        return self.cached(self._figures_key(session, metric, codes, window)) is not None

    def load_figures(
        self, session: Session, metrics: Iterable[str], codes: Iterable[str], day: date
    ) -> None:
        """Read the figures of ``metrics`` × ``codes`` for periods starting up to ``day``
        in one query, with whatever was read before."""
        metrics = self._figure_metrics | set(metrics)
        codes = self._figure_codes | set(codes)
        day = max(day, self._figure_day) if self._figure_day is not None else day
        statement = sa.select(
            col(Figure.metric),
            col(Figure.agency_code),
            col(Figure.period_start),
            col(Figure.period_end),
            col(Figure.updated_at),
            col(Figure.value),
        ).where(
            col(Figure.metric).in_(sorted(metrics)),
            one_of(session.get_bind().dialect.name, col(Figure.agency_code), sorted(codes)),
            col(Figure.period_start) <= day,
        )
        figures: dict[tuple[str, str], list[_FigureRow]] = {}
        for metric, agency_code, *row in session.execute(statement):
            figures.setdefault((metric, agency_code), []).append(_FigureRow(*row))
        self._figures = figures
        self._figure_metrics, self._figure_codes, self._figure_day = metrics, codes, day

    def latest_figures(
        self, session: Session, metric: str, codes: list[str], window: Window
    ) -> dict[str, float]:
        """Each agency's latest value of ``metric`` for a period inside the window (a year
        window), or starting up to ``as_of`` (cumulative and point-in-time windows); the
        latest correction on a tie."""
        if not codes:
            return {}
        key = self._figures_key(session, metric, codes, window)
        latest: dict[str, float] | None = self.cached(key)
        if latest is not None:
            return latest
        read = (
            metric in self._figure_metrics
            and self._figure_day is not None
            and window.as_of_day <= self._figure_day
            and self._figure_codes.issuperset(codes)
        )
        if not read:
            self.load_figures(session, [metric], codes, window.as_of_day)
        latest = {}
        for code in codes:
            rows = [r for r in self._figures.get((metric, code), ()) if _counts_in(r, window)]
            if rows:
                best = max(rows, key=lambda r: (r.period_end, r.period_start, r.updated_at))
                latest[code] = best.value
        self.keep(key, latest)
        return latest

    # Training -----------------------------------------------------------------------

    def trained_people(
        self, session: Session, want: TrainingWant
    ) -> tuple[dict[str, float], dict[str, str]]:
        """Distinct people trained per agency in the window: the roster's distinct people
        (in the audiences by their own audience, or by the session's when the roster
        gives none) where the agency has any roster in the window, otherwise the summed
        attendance counts of the audiences. Counted per want: grouping a plan's wants in
        one query made PostgreSQL hash the whole session table, slower than separate
        queries that look their sessions up by id."""
        key = self.cache_key(session, ("training",), "trained", want)
        found: tuple[dict[str, float], dict[str, str]] | None = self.cached(key)
        if found is None:
            found = _trained_people(session, want)
            self.keep(key, found)
        return found


def _counts_in(row: _FigureRow, window: Window) -> bool:
    """A figure counts for a year window when its period lies inside the window's period;
    for the others when its period starts by ``as_of``."""
    if row.period_start > window.as_of_day:
        return False
    if window.kind != IndicatorWindow.year:
        return True
    return (
        row.period_start >= window.period_start.date() and row.period_end < window.period_end.date()
    )


def _trained_people(
    session: Session, want: TrainingWant
) -> tuple[dict[str, float], dict[str, str]]:
    """``StatusInputs.trained_people`` counted in the database: one grouped query over the
    rosters, one over the attendance; an agency with a roster is counted by it."""
    if not want.codes:
        return {}, {}
    in_window = _sessions_in_window(want)
    people = _roster_people(session, want, in_window)
    attendance = _attendance_counts(session, want, in_window)
    counts: dict[str, float] = {}
    counted_by: dict[str, str] = {}
    for agency_code, total in attendance.items():
        if agency_code not in people:
            counts[agency_code] = total
            counted_by[agency_code] = "attendance"
    for agency_code, n in people.items():
        counts[agency_code] = float(n)
        counted_by[agency_code] = "roster"
    return counts, counted_by


def _sessions_in_window(want: TrainingWant) -> list[Any]:
    """Which training sessions count: started in the window, on topic when asked."""
    window, on_topic = want.window, want.on_topic
    in_window = [col(TrainingSession.started_on) <= window.as_of_day]
    if window.counts_from_day is not None:
        in_window.append(col(TrainingSession.started_on) >= window.counts_from_day)
    if on_topic is not None:
        in_window.append(
            sa.or_(*(has_tag(TrainingSession.topics, t) for t in on_topic))
            if on_topic
            else sa.false()
        )
    return in_window


def _session_audiences(session_id: Any, in_window: list[Any]) -> Any:
    """The session's audiences when it is in the window (else NULL), as a correlated
    subquery: the agencies' own rows (found by agency_code) look their session up by id,
    rather than the planner joining every session of the year."""
    return (
        sa.select(col(TrainingSession.audiences))
        .where(col(TrainingSession.id) == session_id, *in_window)
        .scalar_subquery()
    )


def _roster_people(session: Session, want: TrainingWant, in_window: list[Any]) -> dict[str, int]:
    """Per agency with a roster in the window: its distinct people in the audiences (their
    own audience, or the session's when the roster gives none)."""
    dialect = session.get_bind().dialect.name
    participant = TrainingParticipant
    rows = (
        sa.select(
            col(participant.agency_code),
            col(participant.person_key),
            col(participant.audience),
            col(participant.passed),
            _session_audiences(participant.session_id, in_window).label("session_audiences"),
        )
        .where(one_of(dialect, col(participant.agency_code), list(want.codes)))
        .subquery()
    )
    audiences = sorted(want.audiences)
    in_audience = sa.case(
        (
            sa.and_(rows.c.audience.is_not(None), rows.c.audience != ""),
            rows.c.audience.in_(audiences),
        ),
        else_=sa.or_(*(has_tag(rows.c.session_audiences, a) for a in audiences)),
    )
    counted_person = sa.case(
        (
            sa.and_(in_audience, rows.c.passed) if want.passed_only else in_audience,
            rows.c.person_key,
        ),
        else_=None,
    )
    roster = session.execute(
        sa.select(rows.c.agency_code, sa.func.count(sa.distinct(counted_person)))
        .where(rows.c.session_audiences.is_not(None))
        .group_by(rows.c.agency_code)
    ).all()
    return {agency_code: int(n) for agency_code, n in roster}


def _attendance_counts(
    session: Session, want: TrainingWant, in_window: list[Any]
) -> dict[str, float]:
    """Per agency: the summed attendance counts (or passes) of the audiences."""
    dialect = session.get_bind().dialect.name
    attendance = TrainingAttendance
    rows = session.execute(
        sa.select(
            col(attendance.agency_code),
            sa.func.sum(attendance.passed if want.passed_only else attendance.participants),
        )
        .where(_session_audiences(attendance.session_id, in_window).is_not(None))
        .where(one_of(dialect, col(attendance.agency_code), list(want.codes)))
        .where(col(attendance.audience).in_(sorted(want.audiences)))
        .group_by(col(attendance.agency_code))
    ).all()
    return {agency_code: float(total or 0) for agency_code, total in rows}
