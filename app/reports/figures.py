"""Figures compiled from records for a report window: what agencies used to copy by hand."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.agencies.models import Agency
from app.broadcasts.models import Broadcast
from app.channels.models import Channel
from app.core.filters import has_tag
from app.core.periods import parse_period
from app.core.types import utcnow
from app.core.vocab import LABELS_VI, ChannelKind, ContentOrigin, MediaKind, ProgressStatus
from app.media_products.models import MediaProduct, MediaProductChannel
from app.plans.models import Plan, Task, TaskProgress
from app.reports.regime import ReportWindow
from app.reports.view_schemas import (
    BroadcastFigures,
    ChannelCount,
    CompiledFigures,
    KeyCount,
    MediaFigures,
    ProgressFigure,
    TrainingFigures,
)
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession


def reporting_scope(session: Session, agency_code: str, reporters: set[str]) -> list[str]:
    """The agency and the agencies under it that do not report themselves (a commune and
    its community digital team), sorted."""
    scope = {agency_code}
    frontier = [agency_code]
    while frontier:
        children = session.exec(
            select(Agency.code).where(col(Agency.parent_code).in_(frontier))
        ).all()
        frontier = [c for c in children if c not in scope and c not in reporters]
        scope.update(frontier)
    return sorted(scope)


def _on_topic(column: Any, topics: Sequence[str]) -> Any:
    return sa.or_(*(has_tag(column, t) for t in topics)) if topics else sa.false()


def key_counts(rows: Sequence[Any], labels: dict[str, str]) -> list[KeyCount]:
    return [
        KeyCount(key=key, label_vi=labels.get(key, key), count=int(count))
        for key, count in sorted(rows, key=lambda row: (-int(row[1]), row[0]))
    ]


def _agency_clause(column: Any, codes: list[str] | None) -> list[Any]:
    return [] if codes is None else [col(column).in_(codes)]


def _media(
    session: Session, plan: Plan, window: ReportWindow, codes: list[str] | None, per_channel: bool
) -> MediaFigures:
    where = [
        col(MediaProduct.published_at) >= window.start_at,
        col(MediaProduct.published_at) < window.end_at,
        col(MediaProduct.retracted_at).is_(None),
        _on_topic(MediaProduct.topics, plan.on_topic_topics),
        *_agency_clause(MediaProduct.agency_code, codes),
    ]
    by_kind = session.exec(
        select(MediaProduct.kind, func.count()).where(*where).group_by(col(MediaProduct.kind))
    ).all()
    on_channel = (
        select(Channel.id, Channel.name, Channel.kind, func.count())
        .join(MediaProductChannel, col(MediaProductChannel.channel_id) == col(Channel.id))
        .join(MediaProduct, col(MediaProduct.id) == col(MediaProductChannel.media_product_id))
        .where(*where)
        .group_by(col(Channel.id), col(Channel.name), col(Channel.kind))
    )
    channels = session.exec(on_channel).all()
    kinds: dict[str, int] = {}
    for _, _, kind, count in channels:
        kinds[kind] = kinds.get(kind, 0) + int(count)
    return MediaFigures(
        total=sum(int(c) for _, c in by_kind),
        by_kind=key_counts(by_kind, LABELS_VI[MediaKind]),
        by_channel_kind=key_counts(list(kinds.items()), LABELS_VI[ChannelKind]),
        by_channel=[
            ChannelCount(channel_id=cid, name=name, kind=kind, count=int(count))
            for cid, name, kind, count in sorted(channels, key=lambda r: r[0])
        ]
        if per_channel
        else None,
    )


def _broadcasts(
    session: Session, plan: Plan, window: ReportWindow, codes: list[str] | None
) -> BroadcastFigures:
    rows = session.exec(
        select(Broadcast.origin, func.count(), func.sum(Broadcast.duration_seconds))
        .where(
            col(Broadcast.started_at) >= window.start_at,
            col(Broadcast.started_at) < window.end_at,
            col(Broadcast.retracted_at).is_(None),
            _on_topic(Broadcast.topics, plan.on_topic_topics),
            *_agency_clause(Broadcast.agency_code, codes),
        )
        .group_by(col(Broadcast.origin))
    ).all()
    seconds = sum(int(total or 0) for _, _, total in rows)
    return BroadcastFigures(
        count=sum(int(c) for _, c, _ in rows),
        duration_seconds=seconds,
        duration_hours=round(seconds / 3600, 2),
        by_origin=key_counts([(o, c) for o, c, _ in rows], LABELS_VI[ContentOrigin]),
    )


def _training(
    session: Session, plan: Plan, window: ReportWindow, codes: list[str] | None
) -> TrainingFigures:
    ids = list(
        session.exec(
            select(TrainingSession.id).where(
                col(TrainingSession.started_on) >= window.first_day,
                col(TrainingSession.started_on) <= window.last_day,
                _on_topic(TrainingSession.topics, plan.on_topic_topics),
                *_agency_clause(TrainingSession.agency_code, codes),
            )
        ).all()
    )
    if not ids:
        return TrainingFigures(sessions=0, participants=0, passed=0)
    attendance = session.exec(
        select(
            TrainingAttendance.session_id,
            func.sum(TrainingAttendance.participants),
            func.sum(TrainingAttendance.passed),
        )
        .where(col(TrainingAttendance.session_id).in_(ids))
        .group_by(col(TrainingAttendance.session_id))
    ).all()
    counted = {sid: (int(p or 0), int(ok or 0)) for sid, p, ok in attendance}
    roster = session.exec(
        select(
            TrainingParticipant.session_id,
            func.count(),
            func.sum(sa.case((col(TrainingParticipant.passed), 1), else_=0)),
        )
        .where(col(TrainingParticipant.session_id).in_(ids))
        .group_by(col(TrainingParticipant.session_id))
    ).all()
    for sid, size, passed in roster:
        counted.setdefault(sid, (int(size), int(passed or 0)))
    return TrainingFigures(
        sessions=len(ids),
        participants=sum(p for p, _ in counted.values()),
        passed=sum(ok for _, ok in counted.values()),
    )


def progress_clauses(window: ReportWindow, model: Any = TaskProgress) -> list[Any]:
    """Task progress filed for the window: for a periodic report the updates whose calendar
    period lies inside the calendar period of the same name (``2026-Q1`` reads ``2026-Q1``
    and ``2026-01`` … ``2026-03``); for an ad-hoc one those inside its window."""
    if window.calendar_label is not None:
        calendar = parse_period(window.calendar_label)
        first, last = calendar.start, calendar.end
    else:
        first, last = window.first_day, window.last_day
    return [col(model.period_start) >= first, col(model.period_end) <= last]


def _progress(
    session: Session, plan: Plan, window: ReportWindow, codes: list[str] | None
) -> list[ProgressFigure]:
    rows = session.exec(
        select(Task.number, TaskProgress.agency_code, TaskProgress.period, TaskProgress.status)
        .join(Task, col(Task.id) == col(TaskProgress.task_id))
        .where(
            Task.plan_id == plan.id,
            *progress_clauses(window),
            *_agency_clause(TaskProgress.agency_code, codes),
        )
        .order_by(col(Task.number), col(TaskProgress.agency_code), col(TaskProgress.period_start))
    ).all()
    return [ProgressFigure(task_number=n, agency_code=a, period=p, status=s) for n, a, p, s in rows]


def compile_figures(
    session: Session, *, plan: Plan, window: ReportWindow, agency_codes: list[str] | None
) -> CompiledFigures:
    """Figures of ``agency_codes`` (None: every agency) in ``window``."""
    progress = _progress(session, plan, window, agency_codes)
    statuses: dict[str, int] = {}
    for item in progress:
        statuses[item.status] = statuses.get(item.status, 0) + 1
    return CompiledFigures(
        window_start=window.first_day,
        window_end=window.last_day,
        agency_codes=agency_codes,
        media_products=_media(session, plan, window, agency_codes, agency_codes is not None),
        broadcasts=_broadcasts(session, plan, window, agency_codes),
        training=_training(session, plan, window, agency_codes),
        task_progress=progress if agency_codes is not None else [],
        task_progress_by_status=key_counts(list(statuses.items()), LABELS_VI[ProgressStatus]),
        compiled_at=utcnow(),
    )
