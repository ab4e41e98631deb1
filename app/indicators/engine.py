"""The status engine: evaluates an indicator's measure (data) over the records.

One function per measure kind, no code per indicator. Each returns the exact numerator
and denominator, a per-agency breakdown and the agencies that do not count yet.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.agencies.service import group_population
from app.core.filters import has_tag
from app.core.vocab import IndicatorWindow
from app.figures.models import Figure
from app.indicators.measures import (
    AgencyCoverage,
    FigureRatio,
    FigureTerm,
    RecordShare,
    parse_measure,
)
from app.indicators.record_filters import RECORD_MODELS, record_clauses
from app.indicators.windows import Window
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession


@dataclass
class AgencyResult:
    agency: Agency
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
    gaps: list[Agency] = field(default_factory=list)
    secondary: dict[str, Any] | None = None
    counting: str | None = None


def population(session: Session, groups: list[str], window: Window) -> list[Agency]:
    members: dict[str, Agency] = {}
    for group in groups:
        for agency in group_population(session, group, window.as_of_day):
            members[agency.code] = agency
    return [members[code] for code in sorted(members)]


def _agencies_with(
    session: Session, spec: Any, window: Window, on_topic: list[str], codes: list[str]
) -> set[str]:
    """Which of ``codes`` have at least one qualifying record.

    One EXISTS per agency rather than DISTINCT over every record: with the index on
    (agency_code, instant) each probe stops at the agency's first qualifying record, so
    the cost follows the number of agencies, not the number of records.
    """
    model = RECORD_MODELS[spec.record]
    if not codes:
        return set()
    qualifying = (
        sa.select(sa.literal(1))
        .where(col(model.agency_code) == col(Agency.code))
        .where(*record_clauses(spec, window, on_topic))
    )
    statement = select(Agency.code).where(col(Agency.code).in_(codes), qualifying.exists())
    return set(session.exec(statement).all())


def evaluate_coverage(
    session: Session, measure: AgencyCoverage, window: Window, on_topic: list[str]
) -> Evaluation:
    members = population(session, [measure.group], window)
    met_by_condition: list[set[str]] = []
    for condition in measure.all_of:
        met: set[str] = set()
        for alternative in condition.any_of:
            kinds = {k.value for k in alternative.agency_kinds}
            codes = [a.code for a in members if not kinds or a.kind in kinds]
            met |= _agencies_with(session, alternative, window, on_topic, codes)
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
    session: Session, measure: RecordShare, window: Window, on_topic: list[str], target: float
) -> Evaluation:
    """Share of base records that also match the numerator. An agency is in the gap list
    when its own records fall below the target share.

    One grouped query counts, per agency, the base records and those that also match the
    numerator (and the secondary reading), so no record leaves the database.
    """
    model = RECORD_MODELS[measure.base.record]

    def matching(spec: Any) -> Any:
        return sa.func.sum(sa.case((sa.and_(*record_clauses(spec, window, on_topic)), 1), else_=0))

    secondary_spec = measure.secondary.filter if measure.secondary is not None else None
    statement = sa.select(
        col(model.agency_code),
        sa.func.count(),
        matching(measure.numerator),
        matching(secondary_spec) if secondary_spec is not None else sa.literal(0),
    ).where(*record_clauses(measure.base, window, on_topic))
    if measure.group is not None:
        codes = [a.code for a in population(session, [measure.group], window)]
        statement = statement.where(col(model.agency_code).in_(codes))
    rows = session.execute(statement.group_by(col(model.agency_code))).all()
    per_agency = {code: (int(num or 0), int(den), int(sec or 0)) for code, den, num, sec in rows}
    agencies = {
        a.code: a
        for a in session.exec(select(Agency).where(col(Agency.code).in_(list(per_agency))))
    }
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
    as_of_day = window.as_of_day
    statement = select(Figure).where(
        Figure.metric == metric,
        col(Figure.agency_code).in_(codes),
        col(Figure.period_start) <= as_of_day,
    )
    if window.kind == IndicatorWindow.year:
        statement = statement.where(
            col(Figure.period_start) >= window.period_start.date(),
            col(Figure.period_end) < window.period_end.date(),
        )
    latest: dict[str, Figure] = {}
    for figure in session.exec(statement):
        current = latest.get(figure.agency_code)
        key = (figure.period_end, figure.period_start, figure.updated_at)
        if current is None or key > (current.period_end, current.period_start, current.updated_at):
            latest[figure.agency_code] = figure
    return {code: figure.value for code, figure in latest.items()}


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
    sessions = select(TrainingSession.id).where(col(TrainingSession.started_on) <= window.as_of_day)
    if window.counts_from_day is not None:
        sessions = sessions.where(col(TrainingSession.started_on) >= window.counts_from_day)
    if on_topic is not None:
        sessions = sessions.where(
            sa.or_(*(has_tag(TrainingSession.topics, t) for t in on_topic))
            if on_topic
            else sa.false()
        )
    session_ids = sessions.scalar_subquery()

    roster = session.execute(
        sa.select(
            col(TrainingParticipant.agency_code),
            col(TrainingParticipant.person_key),
            col(TrainingParticipant.passed),
            col(TrainingParticipant.audience),
            col(TrainingSession.audiences),
        )
        .join(TrainingSession, col(TrainingSession.id) == col(TrainingParticipant.session_id))
        .where(col(TrainingParticipant.session_id).in_(session_ids))
        .where(col(TrainingParticipant.agency_code).in_(codes))
    ).all()
    with_roster: set[str] = set()
    people: dict[str, set[str]] = defaultdict(set)
    for agency_code, person_key, passed, audience, session_audiences in roster:
        with_roster.add(agency_code)
        in_audience = (
            audience in audiences if audience else bool(audiences & set(session_audiences))
        )
        if in_audience and (passed or not passed_only):
            people[agency_code].add(person_key)

    attendance = session.exec(
        select(
            TrainingAttendance.agency_code,
            sa.func.sum(
                TrainingAttendance.passed if passed_only else TrainingAttendance.participants
            ),
        )
        .where(col(TrainingAttendance.session_id).in_(session_ids))
        .where(col(TrainingAttendance.agency_code).in_(codes))
        .where(col(TrainingAttendance.audience).in_(sorted(audiences)))
        .group_by(TrainingAttendance.agency_code)
    ).all()
    counts: dict[str, float] = {}
    counted_by: dict[str, str] = {}
    for agency_code, total in attendance:
        if agency_code not in with_roster:
            counts[agency_code] = float(total or 0)
            counted_by[agency_code] = "attendance"
    for agency_code in with_roster:
        counts[agency_code] = float(len(people.get(agency_code, ())))
        counted_by[agency_code] = "roster"
    return counts, counted_by


def evaluate_ratio(
    session: Session, measure: FigureRatio, window: Window, on_topic: list[str]
) -> Evaluation:
    members = population(session, list(measure.groups), window)
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
) -> Evaluation:
    measure = parse_measure(measure_data)
    if isinstance(measure, AgencyCoverage):
        return evaluate_coverage(session, measure, window, on_topic)
    if isinstance(measure, RecordShare):
        return evaluate_share(session, measure, window, on_topic, target)
    return evaluate_ratio(session, measure, window, on_topic)
