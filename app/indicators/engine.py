"""The status engine: evaluates an indicator's measure (data) over the records.

One function per measure kind, no code per indicator. Each returns the exact numerator
and denominator, a per-agency breakdown and the agencies that do not count yet.
"""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.agencies.service import Member, group_members, members_by_code
from app.core.filters import has_tag, one_of
from app.core.vocab import IndicatorWindow
from app.figures.models import Figure
from app.indicators.counting import StraightCounting, TalliedCounting
from app.indicators.measures import (
    AgencyCoverage,
    FigureRatio,
    FigureTerm,
    RecordShare,
    parse_measure,
)
from app.indicators.windows import Window
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession

Counting = StraightCounting | TalliedCounting


@dataclass
class AgencyResult:
    agency: Member
    numerator: float
    denominator: float
    counts: bool
    conditions_met: list[bool] | None = None
    counted_by: str | None = None  # "roster" | "attendance" | "figure"


@dataclass
class Evaluation:
    numerator: float
    denominator: float
    breakdown: list[AgencyResult] = field(default_factory=list)
    gaps: list[Member] = field(default_factory=list)
    secondary: dict[str, Any] | None = None
    counting: str | None = None


def population(
    session: Session, groups: list[str], window: Window, counting: "Counting | None" = None
) -> list[Member]:
    """The agencies of ``groups`` active on the window's day; remembered by ``counting``
    for the rest of its evaluations (a plan's indicators share a few groups)."""
    cache = counting.populations if counting is not None else {}
    members: dict[str, Member] = {}
    for group in groups:
        key = (group, window.as_of_day)
        if key not in cache:
            cache[key] = group_members(session, group, window.as_of_day)
        for agency in cache[key]:
            members[agency.code] = agency
    return [members[code] for code in sorted(members)]


def evaluate_coverage(
    session: Session,
    measure: AgencyCoverage,
    window: Window,
    on_topic: list[str],
    counting: Counting,
) -> Evaluation:
    members = population(session, [measure.group], window, counting)
    met_by_condition: list[set[str]] = []
    for condition in measure.all_of:
        met: set[str] = set()
        for alternative in condition.any_of:
            kinds = {k.value for k in alternative.agency_kinds}
            codes = [a.code for a in members if not kinds or a.kind in kinds]
            met |= counting.agencies_with(session, alternative, window, on_topic, codes)
        met_by_condition.append(met)
    breakdown = []
    for agency in members:
        conditions = [agency.code in met for met in met_by_condition]
        counts = all(conditions)
        breakdown.append(
            AgencyResult(agency, 1.0 if counts else 0.0, 1.0, counts, conditions_met=conditions)
        )
    return Evaluation(
        numerator=sum(r.numerator for r in breakdown),
        denominator=float(len(members)),
        breakdown=breakdown,
        gaps=[r.agency for r in breakdown if not r.counts],
    )


def evaluate_share(
    session: Session,
    measure: RecordShare,
    window: Window,
    on_topic: list[str],
    target: float,
    counting: Counting,
) -> Evaluation:
    """Share of base records that also match the numerator. An agency is in the gap list
    when its own records fall below the target share."""
    codes = None
    if measure.group is not None:
        codes = [a.code for a in population(session, [measure.group], window, counting)]
    counted = counting.share_counts(session, measure, window, on_topic, codes)
    # (numerator, base, secondary) per agency
    per_agency = {code: (num, den, sec) for code, (den, num, sec) in counted.items()}
    agencies = members_by_code(session, list(per_agency))
    breakdown = [
        AgencyResult(agencies[code], float(num), float(den), 100.0 * num >= target * den)
        for code, (num, den, _) in sorted(per_agency.items())
    ]
    numerator = sum(num for num, _, _ in per_agency.values())
    denominator = sum(den for _, den, _ in per_agency.values())
    secondary = None
    if measure.secondary is not None:
        matched = sum(sec for _, _, sec in per_agency.values())
        secondary = {
            "label": measure.secondary.label,
            "count": matched,
            "of": denominator,
            "share": round(100.0 * matched / denominator, 1) if denominator else None,
        }
    return Evaluation(
        numerator=float(numerator),
        denominator=float(denominator),
        breakdown=breakdown,
        gaps=[r.agency for r in breakdown if not r.counts],
        secondary=secondary,
    )


def latest_figures(
    session: Session, metric: str, codes: list[str], window: Window
) -> dict[str, float]:
    """Each agency's latest value of ``metric`` for a period inside the window (a year
    window), or up to ``as_of`` (cumulative and point-in-time windows)."""
    if not codes:
        return {}
    dialect = session.get_bind().dialect.name
    as_of_day = window.as_of_day
    statement = sa.select(
        col(Figure.agency_code),
        col(Figure.period_end),
        col(Figure.period_start),
        col(Figure.updated_at),
        col(Figure.value),
    ).where(
        col(Figure.metric) == metric,
        one_of(dialect, col(Figure.agency_code), codes),
        col(Figure.period_start) <= as_of_day,
    )
    if window.kind == IndicatorWindow.year:
        statement = statement.where(
            col(Figure.period_start) >= window.period_start.date(),
            col(Figure.period_end) < window.period_end.date(),
        )
    # Per agency, the figure of the latest period (the latest correction on a tie).
    latest: dict[str, tuple[Any, float]] = {}
    for agency_code, period_end, period_start, updated_at, value in session.execute(statement):
        key = (period_end, period_start, updated_at)
        current = latest.get(agency_code)
        if current is None or key > current[0]:
            latest[agency_code] = (key, value)
    return {code: value for code, (_, value) in latest.items()}


def trained_people(
    session: Session,
    *,
    codes: list[str],
    window: Window,
    audiences: set[str],
    passed_only: bool,
    on_topic: list[str] | None,
) -> tuple[dict[str, float], dict[str, str]]:
    """Distinct people trained per agency: the roster's distinct people where the agency
    has any roster in the window, otherwise the summed attendance counts."""
    if not codes:
        return {}, {}
    dialect = session.get_bind().dialect.name
    in_window = [col(TrainingSession.started_on) <= window.as_of_day]
    if window.counts_from_day is not None:
        in_window.append(col(TrainingSession.started_on) >= window.counts_from_day)
    if on_topic is not None:
        in_window.append(
            sa.or_(*(has_tag(TrainingSession.topics, t) for t in on_topic))
            if on_topic
            else sa.false()
        )

    def session_in_window(session_id: Any) -> Any:
        """The session's audiences when it is in the window (else NULL), as a correlated
        subquery: the agencies' own rows (found by agency_code) look their session up by
        id, rather than the planner joining every session of the year."""
        return (
            sa.select(col(TrainingSession.audiences))
            .where(col(TrainingSession.id) == session_id, *in_window)
            .scalar_subquery()
        )

    # Per agency with a roster in the window: its distinct people in the audiences (their
    # own audience, or the session's when the roster gives none), counted in the database.
    participant = TrainingParticipant
    rows = (
        sa.select(
            col(participant.agency_code),
            col(participant.person_key),
            col(participant.audience),
            col(participant.passed),
            session_in_window(participant.session_id).label("session_audiences"),
        )
        .where(one_of(dialect, col(participant.agency_code), codes))
        .subquery()
    )
    in_audience = sa.case(
        (
            sa.and_(rows.c.audience.is_not(None), rows.c.audience != ""),
            rows.c.audience.in_(sorted(audiences)),
        ),
        else_=sa.or_(*(has_tag(rows.c.session_audiences, a) for a in sorted(audiences))),
    )
    counted_person = sa.case(
        (sa.and_(in_audience, rows.c.passed) if passed_only else in_audience, rows.c.person_key),
        else_=None,
    )
    roster = session.execute(
        sa.select(rows.c.agency_code, sa.func.count(sa.distinct(counted_person)))
        .where(rows.c.session_audiences.is_not(None))
        .group_by(rows.c.agency_code)
    ).all()
    people = {agency_code: int(n) for agency_code, n in roster}
    with_roster = set(people)

    attendance = session.execute(
        sa.select(
            col(TrainingAttendance.agency_code),
            sa.func.sum(
                TrainingAttendance.passed if passed_only else TrainingAttendance.participants
            ),
        )
        .where(session_in_window(TrainingAttendance.session_id).is_not(None))
        .where(one_of(dialect, col(TrainingAttendance.agency_code), codes))
        .where(col(TrainingAttendance.audience).in_(sorted(audiences)))
        .group_by(col(TrainingAttendance.agency_code))
    ).all()
    counts: dict[str, float] = {}
    counted_by: dict[str, str] = {}
    for agency_code, total in attendance:
        if agency_code not in with_roster:
            counts[agency_code] = float(total or 0)
            counted_by[agency_code] = "attendance"
    for agency_code in with_roster:
        counts[agency_code] = float(people[agency_code])
        counted_by[agency_code] = "roster"
    return counts, counted_by


def evaluate_ratio(
    session: Session,
    measure: FigureRatio,
    window: Window,
    on_topic: list[str],
    counting: "Counting",
) -> Evaluation:
    members = population(session, list(measure.groups), window, counting)
    codes = [a.code for a in members]
    denominators = latest_figures(session, measure.denominator.figure.value, codes, window)
    if isinstance(measure.numerator, FigureTerm):
        numerators = latest_figures(session, measure.numerator.figure.value, codes, window)
        counted_by = {code: "figure" for code in numerators}
    else:
        spec = measure.numerator.trained_people
        numerators, counted_by = trained_people(
            session,
            codes=codes,
            window=window,
            audiences={a.value for a in spec.audiences_any},
            passed_only=spec.passed_only,
            on_topic=on_topic if spec.on_topic else None,
        )
    breakdown = []
    for agency in members:
        denominator = denominators.get(agency.code, 0.0)
        # Each agency's numerator is capped at its own denominator.
        numerator = min(numerators.get(agency.code, 0.0), denominator)
        counts = denominator > 0 and numerator >= denominator
        breakdown.append(
            AgencyResult(
                agency, numerator, denominator, counts, counted_by=counted_by.get(agency.code)
            )
        )
    ways = {r.counted_by for r in breakdown if r.counted_by}
    return Evaluation(
        numerator=sum(r.numerator for r in breakdown),
        denominator=sum(r.denominator for r in breakdown),
        breakdown=breakdown,
        gaps=[r.agency for r in breakdown if not r.counts],
        counting=(ways.pop() if len(ways) == 1 else "mixed") if ways else None,
    )


def evaluate(
    session: Session,
    measure_data: dict[str, Any],
    window: Window,
    on_topic: list[str],
    target: float,
    counting: Counting | None = None,
) -> Evaluation:
    """``counting``: how records are counted; the straightforward reference by default."""
    counting = counting or StraightCounting()
    measure = parse_measure(measure_data)
    if isinstance(measure, AgencyCoverage):
        return evaluate_coverage(session, measure, window, on_topic, counting)
    if isinstance(measure, RecordShare):
        return evaluate_share(session, measure, window, on_topic, target, counting)
    return evaluate_ratio(session, measure, window, on_topic, counting)
