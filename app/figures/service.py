"""Figures: one value per (metric, agency, period); a new value replaces the old one."""

from typing import Any

from sqlmodel import Session, col, select

from app.agencies.agency_records import agency_record_kind
from app.agencies.models import Agency
from app.agencies.service import get_group, group_membership_clause
from app.core.errors import InvalidInput
from app.core.filters import check_range
from app.core.pagination import PageParams, paginate
from app.core.periods import parse_period
from app.core.principal import Principal
from app.core.push import PushOutcome, check_pair, differs
from app.core.records import equal_to, in_list, insert_record, where_all
from app.core.service import changes_of
from app.figures.models import Figure
from app.figures.schemas import FigureCreate, FigureFilters, FigureRead, FigureUpdate

KIND = agency_record_kind(Figure, "figure", "figure")


def to_figure_read(figure: Figure) -> FigureRead:
    return FigureRead.model_validate(figure)


def get_figure(session: Session, figure_id: int) -> Figure:
    return KIND.get(session, figure_id)


def find_figure(session: Session, *, metric: str, agency_code: str, period: str) -> Figure | None:
    statement = select(Figure).where(
        Figure.metric == metric, Figure.agency_code == agency_code, Figure.period == period
    )
    return session.exec(statement).first()


def _period_filter(period: str) -> str:
    try:
        return parse_period(period).label
    except ValueError as exc:
        raise InvalidInput(
            str(exc), errors=[{"loc": ["query", "period"], "msg": str(exc), "type": "period"}]
        ) from exc


def list_figures(
    session: Session, *, page: PageParams, filters: FigureFilters
) -> tuple[list[Figure], str | None]:
    label = None if filters.period is None else _period_filter(filters.period)
    check_range(filters.start, filters.end)
    statement = where_all(
        select(Figure),
        in_list(Figure.metric, filters.metric),
        equal_to(Figure.agency_code, filters.agency),
        equal_to(Figure.period, label),
        # Periods overlapping [start, end]: a quarter counts for any month range it touches.
        None if filters.start is None else col(Figure.period_end) >= filters.start,
        None if filters.end is None else col(Figure.period_start) <= filters.end,
    )
    if filters.group is not None:
        group = get_group(session, filters.group)
        members = select(Agency.code).where(
            group_membership_clause(session, group, filters.province)
        )
        statement = statement.where(col(Figure.agency_code).in_(members))
    if filters.province is not None:
        in_province = select(Agency.code).where(Agency.province_code == filters.province)
        statement = statement.where(col(Figure.agency_code).in_(in_province))
    return paginate(session, statement, Figure.id, page)


def _values_of(payload: FigureCreate) -> dict[str, Any]:
    period = parse_period(payload.period)
    return {
        "metric": payload.metric.value,
        "agency_code": payload.agency_code,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "value": payload.value,
        "note": payload.note,
        "source": payload.source,
        "external_id": payload.external_id,
    }


def push_figure(
    session: Session, *, payload: FigureCreate, actor: Principal
) -> tuple[Figure, PushOutcome]:
    """Create the figure, or replace the value reported for its (metric, agency, period).

    Identical content changes nothing (``unchanged``); a correction updates the row and
    the audit event keeps the old value in ``before``. Free of FastAPI so that a batch
    endpoint can call it per item.
    """
    check_pair(payload.source, payload.external_id)
    KIND.check_agency(session, actor, payload.agency_code)
    values = _values_of(payload)
    existing = find_figure(
        session, metric=values["metric"], agency_code=values["agency_code"], period=values["period"]
    )
    if existing is not None:
        if not differs(existing, values):
            return existing, PushOutcome.unchanged
        KIND.patch(session, existing, values, actor)
        return existing, PushOutcome.updated
    figure = Figure.model_validate(values)
    insert_record(session, figure, KIND.recorder(session, actor))
    return figure, PushOutcome.created


def update_figure(
    session: Session,
    *,
    figure_id: int,
    payload: FigureUpdate,
    actor: Principal,
    if_match: str | None,
) -> Figure:
    figure = KIND.writable(session, figure_id, actor, if_match)
    changes = changes_of(payload)
    if "value" in changes and changes["value"] is None:
        raise InvalidInput(
            "value cannot be null; delete the figure instead.",
            errors=[{"loc": ["body", "value"], "msg": "may not be null", "type": "null"}],
        )
    KIND.patch(session, figure, changes, actor)
    return figure


def delete_figure(
    session: Session, *, figure_id: int, actor: Principal, if_match: str | None
) -> None:
    KIND.delete(session, figure_id, actor, if_match)
