from typing import Annotated

from fastapi import APIRouter

from app.core.access import Reader, Writer
from app.core.item_routes import ItemRoutes, from_session_row, from_session_rows, path_key
from app.core.push_api import answer_outcome, outcome_header, push_route
from app.core.routes import id_path
from app.training_sessions import schemas, service

router = APIRouter(prefix="/training-sessions", tags=["training sessions"])

SessionId = Annotated[int, id_path("The training session's id.")]
PUSH_HEADERS = outcome_header("`created`, `updated` or `unchanged` (same source and external_id).")


ROUTES = ItemRoutes(
    router,
    "/{session_id}",
    path_key(session_id=SessionId),
    schemas.TrainingSessionRead,
    present=from_session_row(service.to_training_session_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_training_sessions",
    "List training sessions",
    """Trainings, refresher courses, briefings (học tập, quán triệt), seminars and online
    contests, each with its attendance by agency and audience. The roster of named
    participants is counted here (`roster_size`) and listed by GET /training-sessions/{id}.""",
    schemas.TrainingSessionFilters,
    service.list_training_sessions,
    schemas.TrainingSessionPage,
    present_page=from_session_rows(service.to_summaries),
)

ROUTES.push(
    "create_training_session",
    "Record or push a training session",
    """Record a session organised by `agency_code` (the key must be that agency's or its
    parent's). Attendance may name any agency: an organiser records who came. Pushing the
    same `source` and `external_id` again never duplicates: same content -> 200
    `unchanged`, different -> 200 `updated` (attendance and roster replaced).""",
    schemas.TrainingSessionCreate,
    service.push_training_session,
    "/api/v1/training-sessions/{row.id}",
    options=push_route(
        schemas.TrainingSessionRead,
        created="A new session.",
        known="A session with this source and external_id existed: updated or unchanged "
        "(see `Push-Outcome`).",
        headers=PUSH_HEADERS,
    ),
    answer=answer_outcome,
)

ROUTES.read(
    "get_training_session",
    "Get a training session",
    "One session with its attendance and its whole roster.",
    service.get_training_session,
)

ROUTES.change(
    "update_training_session",
    "Update a training session",
    """Change some fields; `attendance` and `roster`, when given, replace the lists whole
    (send `[]` to empty one).""",
    schemas.TrainingSessionUpdate,
    service.update_training_session,
)

ROUTES.delete(
    "delete_training_session",
    "Delete a training session",
    "Delete a session with its attendance and roster (the audit trail keeps them).",
    service.delete_training_session,
)
