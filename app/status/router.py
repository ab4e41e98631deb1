"""The status routes: a plan's status and one indicator's, sent as JSON encoded once."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Response

from app.core.access import CatalogueReader
from app.core.db import SessionDep
from app.core.periods import PERIOD_PATTERN
from app.core.routes import READ
from app.core.seeded_params import seeded_path
from app.status import service as status_service
from app.status.schemas import IndicatorStatus, PlanStatus

router = APIRouter(prefix="/plans", tags=["indicator status"])

Period = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=PERIOD_PATTERN,
        description="`2026`, `2026-H1`, `2026-Q2` or `2026-03` (local time). "
        "Default: the year of `as_of`.",
        examples=["2026"],
    ),
]
AsOf = Annotated[
    str | None,
    Query(
        max_length=40,
        json_schema_extra={
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]
        },
        description="An instant with offset, or a day meaning the end of that day in "
        "Asia/Ho_Chi_Minh. Default: now. Clipped to the period.",
        examples=["2026-06-30"],
    ),
]
# Not the plans' PlanCode and IndicatorCodePath: the status routes' contract has always
# stated no length limit for them, and sharing would add one.
PlanCode = Annotated[str, seeded_path("The plan's code.", "kh-209-2026", "Kế hoạch 209/KH-UBND")]
IndicatorCode = Annotated[
    str,
    seeded_path("The indicator's code.", "T2026-5", "Plan 209, 2026 target 5: loudspeakers"),
]


def _json(status: PlanStatus | IndicatorStatus) -> Response:
    """The status encoded once. A returned model would be validated again against
    ``response_model`` and then encoded: for a province's plan (thousands of agencies in
    breakdowns) that costs more than the evaluation. ``status_document`` keeps the shapes
    ``response_model`` declares, so the contract holds; orjson encodes a province's
    document much faster than the standard library."""
    return Response(
        content=orjson.dumps(status_service.status_document(status)),
        media_type="application/json",
    )


@dataclass(frozen=True)
class StatusQuery:
    """What every status route takes besides the codes of its path: the session, once the
    caller may read the catalogue, and the window the status is judged in (``period``,
    ``as_of``)."""

    session: SessionDep
    reader: CatalogueReader
    period: Period = None
    as_of: AsOf = None

    def answer(
        self, evaluate: Callable[..., PlanStatus | IndicatorStatus], **codes: str
    ) -> Response:
        """``evaluate(session, **codes, period=…, as_of=…)``, a status of the service,
        encoded once."""
        return _json(evaluate(self.session, **codes, period=self.period, as_of=self.as_of))


Status = Annotated[StatusQuery, Depends()]


@router.get(
    "/{plan}/status",
    response_model=PlanStatus,
    summary="Status of every indicator of a plan",
    **READ,
)
def get_plan_status(plan: PlanCode, query: Status) -> Response:
    """How far the province is from each target: value, expected on the trajectory, status,
    per-agency breakdown and the gap list (who does not count yet, with focal points)."""
    return query.answer(status_service.plan_status, plan_code=plan)


@router.get(
    "/{plan}/indicators/{code}/status",
    response_model=IndicatorStatus,
    summary="Status of one indicator",
    **READ,
)
def get_indicator_status(plan: PlanCode, code: IndicatorCode, query: Status) -> Response:
    """One indicator's value (exact numerator and denominator beside it), target, expected
    value, status, breakdown by agency and gap list, e.g. `T2026-5` for `period=2026`."""
    return query.answer(status_service.indicator_status, plan_code=plan, code=code)
