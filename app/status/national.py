"""The national view: each plan's status evaluated as its own plan would be, side by side,
and for each indicator code shared across plans, the provinces ranked."""

from dataclasses import dataclass
from datetime import UTC

from sqlmodel import Session, col, select

from app.core.errors import InvalidInput
from app.core.types import utcnow
from app.core.vocab import Comparator
from app.plans.models import Plan
from app.status.national_schemas import (
    IndicatorRanking,
    IndicatorValue,
    NationalStatus,
    PlanSummary,
    ProvinceRank,
)
from app.status.schemas import IndicatorStatus, PlanStatus
from app.status.service import plan_status
from app.status.windows import parse_period_query, resolve_as_of

_OUTSIDE = {"outside_plan", "range"}  # what only a plan's own dates decide


@dataclass(frozen=True)
class _Evaluated:
    plan: Plan
    status: PlanStatus


def national_status(session: Session, *, period: str | None, as_of: str | None) -> NationalStatus:
    now = utcnow()
    as_of_end = resolve_as_of(as_of, now)  # a malformed as_of or period is the request's fault
    if period is not None:
        parse_period_query(period)
    evaluated, left_out = [], []
    for plan in session.exec(select(Plan).order_by(col(Plan.code))).all():
        try:
            status = plan_status(session, plan_code=plan.code, period=period, as_of=as_of)
        except InvalidInput as exc:
            if not {e.get("type") for e in exc.errors or []} <= _OUTSIDE:
                raise
            left_out.append(plan.code)
            continue
        evaluated.append(_Evaluated(plan, status))
    return NationalStatus(
        period=evaluated[0].status.period if evaluated else None,
        as_of=as_of_end.astimezone(UTC),
        computed_at=now,
        plans=[_summary(e) for e in evaluated],
        indicators=_rankings(evaluated),
        left_out=left_out,
    )


def _summary(evaluated: _Evaluated) -> PlanSummary:
    plan, status = evaluated.plan, evaluated.status
    return PlanSummary(
        plan_code=plan.code,
        title=plan.title,
        province_code=plan.province_code,
        period=status.period,
        summary=status.summary,
        # An IndicatorValue is the numbers of an IndicatorStatus, read off it by name.
        indicators=[IndicatorValue.model_validate(s) for s in status.indicators],
    )


def _rankings(evaluated: list[_Evaluated]) -> list[IndicatorRanking]:
    by_code: dict[str, list[tuple[Plan, IndicatorStatus]]] = {}
    for e in evaluated:
        for s in e.status.indicators:
            by_code.setdefault(s.code, []).append((e.plan, s))
    return [
        IndicatorRanking(code=code, title=entries[0][1].title, ranking=_ranked(entries))
        for code, entries in sorted(by_code.items())
        if len(entries) > 1
    ]


# What a province's rank shows of its indicator status.
_RANKED_NUMBERS = {"value", "numerator", "denominator", "status"}


def _ranked(entries: list[tuple[Plan, IndicatorStatus]]) -> list[ProvinceRank]:
    """Best first; equal values share a rank (1, 1, 3); no value last, unranked among them."""
    lower_is_better = entries[0][1].comparator == Comparator.at_most

    def key(entry: tuple[Plan, IndicatorStatus]) -> tuple[bool, float, str]:
        value = entry[1].value
        score = 0.0 if value is None else (value if lower_is_better else -value)
        return (value is None, score, entry[0].code)

    ranks: list[ProvinceRank] = []
    for position, (plan, s) in enumerate(sorted(entries, key=key), start=1):
        previous = ranks[-1] if ranks else None
        tied = previous is not None and previous.value == s.value
        ranks.append(
            ProvinceRank(
                rank=previous.rank if tied and previous else position,
                plan_code=plan.code,
                province_code=plan.province_code,
                **s.model_dump(include=_RANKED_NUMBERS),
            )
        )
    return ranks
