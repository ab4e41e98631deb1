"""The national view: GET /api/v1/status."""

from fastapi import APIRouter

from app.core.access import CatalogueReader
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.status.national import national_status
from app.status.national_schemas import NationalStatus
from app.status.router import AsOf, Period

router = APIRouter(prefix="/status", tags=["indicator status"])


@router.get(
    "",
    response_model=NationalStatus,
    summary="Every plan's status side by side (the national view)",
    responses=problem_responses(401, 422, 429, 503),
)
def get_national_status(
    session: SessionDep,
    _reader: CatalogueReader,
    period: Period = None,
    as_of: AsOf = None,
) -> NationalStatus:
    """Each plan's summary and indicator values for the period, as its own status gives
    them, and for each indicator code that plans share (`T2026-5` …) the provinces ranked,
    best first. A plan whose period does not cover the period or `as_of` is listed in
    `left_out`."""
    return national_status(session, period=period, as_of=as_of)
