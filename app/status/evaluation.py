"""The status engine: evaluates an indicator's measure (data) over the records.

One function per measure kind, no code per indicator. Each returns the exact numerator
and denominator, a per-agency breakdown and the agencies that do not count yet.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.agencies.service import Member
from app.indicators.measures import (
    AgencyCoverage,
    FigureRatio,
    FigureTerm,
    RecordShare,
    groups_of,
    parse_measure,
)
from app.status.counting import CountingFromRecords, CountingFromTallies
from app.status.inputs import TrainingWant
from app.status.windows import Window

Counting = CountingFromRecords | CountingFromTallies


@dataclass
class AgencyResult:
    agency: Member
    numerator: float
    denominator: float
    counts: bool
    conditions_met: list[bool] | None = None
    counted_by: str | None = None  # "roster" | "attendance" | "figure"


@dataclass
class SecondaryReading:
    """A record share's second reading, reported beside its value (as JSON, in this
    field order)."""

    label: str
    count: int
    of: int
    share: float | None


@dataclass
class Evaluation:
    numerator: float
    denominator: float
    breakdown: list[AgencyResult] = field(default_factory=list)
    gaps: list[Member] = field(default_factory=list)
    secondary: SecondaryReading | None = None
    counting: str | None = None


def evaluate_coverage(
    session: Session,
    measure: AgencyCoverage,
    window: Window,
    on_topic: list[str],
    counting: Counting,
) -> Evaluation:
    members = counting.inputs.population(
        session, [measure.group], window.as_of_day, window.province
    )
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
        members = counting.inputs.population(
            session, [measure.group], window.as_of_day, window.province
        )
        codes = [a.code for a in members]
    counted = counting.share_counts(session, measure, window, on_topic, codes)
    # (numerator, base, secondary) per agency
    per_agency = {code: (num, den, sec) for code, (den, num, sec) in counted.items()}
    agencies = counting.inputs.members(session, list(per_agency))
    breakdown = [
        AgencyResult(agencies[code], float(num), float(den), 100.0 * num >= target * den)
        for code, (num, den, _) in sorted(per_agency.items())
    ]
    numerator = sum(num for num, _, _ in per_agency.values())
    denominator = sum(den for _, den, _ in per_agency.values())
    secondary = None
    if measure.secondary is not None:
        matched = sum(sec for _, _, sec in per_agency.values())
        secondary = SecondaryReading(
            label=measure.secondary.label,
            count=matched,
            of=denominator,
            share=round(100.0 * matched / denominator, 1) if denominator else None,
        )
    return Evaluation(
        numerator=float(numerator),
        denominator=float(denominator),
        breakdown=breakdown,
        gaps=[r.agency for r in breakdown if not r.counts],
        secondary=secondary,
    )


def training_want(
    measure: FigureRatio, codes: list[str], window: Window, on_topic: list[str]
) -> TrainingWant:
    """What a ratio's trained-people numerator counts."""
    assert not isinstance(measure.numerator, FigureTerm)
    spec = measure.numerator.trained_people
    return TrainingWant(
        codes=tuple(codes),
        window=window,
        audiences=frozenset(a.value for a in spec.audiences_any),
        passed_only=spec.passed_only,
        on_topic=tuple(on_topic) if spec.on_topic else None,
    )


def evaluate_ratio(
    session: Session,
    measure: FigureRatio,
    window: Window,
    on_topic: list[str],
    counting: "Counting",
) -> Evaluation:
    members = counting.inputs.population(session, measure.groups, window.as_of_day, window.province)
    codes = [a.code for a in members]
    denominators = counting.inputs.latest_figures(
        session, measure.denominator.figure.value, codes, window
    )
    if isinstance(measure.numerator, FigureTerm):
        numerators = counting.inputs.latest_figures(
            session, measure.numerator.figure.value, codes, window
        )
        counted_by = {code: "figure" for code in numerators}
    else:
        numerators, counted_by = counting.inputs.trained_people(
            session, training_want(measure, codes, window, on_topic)
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


def prepare(
    session: Session,
    items: list[tuple[dict[str, Any], Window, list[str]]],
    counting: Counting,
) -> None:
    """Read up front what evaluating each of ``items`` (measure, window, on-topic list) in
    turn would read query by query: the populations of all their groups and all their
    figures (one query each) and, when counting from tallies, all their tallies (one
    query per window). What is already kept (inputs.py) is not read again; training is
    counted as each ratio is evaluated. The evaluations that follow answer from memory:
    preparing changes the number of queries, never an answer."""
    inputs = counting.inputs
    parsed = [(parse_measure(data), data, window, on_topic) for data, window, on_topic in items]
    groups_named = [groups_of(data) for data, _, _ in items]
    groups_by_day: dict[Any, set[str]] = {}
    for (_, _, window, _), groups in zip(parsed, groups_named, strict=True):
        groups_by_day.setdefault((window.as_of_day, window.province), set()).update(groups)
    for (day, province), wanted in groups_by_day.items():
        inputs.load_groups(session, wanted, day, province)
    # The figures not kept yet.
    metrics: set[str] = set()
    figure_codes: set[str] = set()
    days = []
    for (measure, data, window, on_topic), groups in zip(parsed, groups_named, strict=True):
        codes = [
            m.code for m in inputs.population(session, groups, window.as_of_day, window.province)
        ]
        if isinstance(measure, FigureRatio):
            for term in (measure.denominator, measure.numerator):
                if isinstance(term, FigureTerm) and not inputs.figures_cached(
                    session, term.figure.value, codes, window
                ):
                    metrics.add(term.figure.value)
                    figure_codes.update(codes)
                    days.append(window.as_of_day)
        elif isinstance(counting, CountingFromTallies):
            counting.want(session, data, window, on_topic, codes if groups else None)
    if metrics:
        inputs.load_figures(session, metrics, figure_codes, max(days))
    if isinstance(counting, CountingFromTallies):
        counting.read_wanted(session)


def evaluate(
    session: Session,
    measure_data: dict[str, Any],
    window: Window,
    on_topic: list[str],
    target: float,
    counting: Counting | None = None,
) -> Evaluation:
    """``counting``: how records are counted; ``CountingFromRecords``, the reference, by
    default."""
    counting = counting or CountingFromRecords()
    measure = parse_measure(measure_data)
    if isinstance(measure, AgencyCoverage):
        return evaluate_coverage(session, measure, window, on_topic, counting)
    if isinstance(measure, RecordShare):
        return evaluate_share(session, measure, window, on_topic, target, counting)
    return evaluate_ratio(session, measure, window, on_topic, counting)
