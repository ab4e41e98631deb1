import threading
from typing import Annotated, Any

from fastapi import APIRouter
from sqlmodel import Session

from app.broadcasts import bulk, schemas, service
from app.core.access import Reader, Writer
from app.core.item_routes import ItemRoutes, from_row, path_key
from app.core.principal import Principal
from app.core.push_api import BatchResult, batch_request_model
from app.core.routes import id_path

router = APIRouter(prefix="/broadcasts", tags=["broadcasts"])

# One batch of up to 5,000 items at a time per process: the work is Python under the GIL,
# so a second batch in parallel gains little time and doubles the memory held.
_ONE_BATCH_AT_A_TIME = threading.Lock()

BroadcastId = Annotated[int, id_path("The broadcast's id.")]


ROUTES = ItemRoutes(
    router,
    "/{broadcast_id:int}",
    path_key(broadcast_id=BroadcastId),
    schemas.BroadcastRead,
    present=from_row(service.to_broadcast_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_broadcasts",
    "List broadcasts",
    """Airings on the grassroots loudspeaker systems, ordered by id. `from`/`to` cut
    `started_at` in local days (Asia/Ho_Chi_Minh): an airing at 23:30 local time on
    14 March is on 14 March.""",
    schemas.BroadcastFilters,
    service.list_broadcasts,
    schemas.BroadcastPage,
)

ROUTES.push(
    "create_broadcast",
    "Create or push a broadcast",
    """Record one airing of a commune or ward the key may write for. With `source` and
    `external_id`, a retry is safe: the same content answers 200 `unchanged` and writes
    nothing; other content replaces the stored airing (200 `updated`); a new key answers
    201 `created`.""",
    schemas.BroadcastCreate,
    service.push_broadcast,
    "/api/v1/broadcasts/{row.id}",
)


BroadcastBatch = batch_request_model(
    schemas.BroadcastCreate,
    {
        "items": [
            {
                "agency_code": "xa-bao-lam",
                "title": "Bản tin Bình dân học vụ số: hướng dẫn cài đặt ứng dụng VNeID",
                "origin": "local",
                "started_at": "2026-03-14T17:30:00+07:00",
                "duration_seconds": 900,
                "language": "tay",
                "topics": ["digital_literacy", "nq57"],
                "source": "loa-ip-bao-lam",
                "external_id": "2026-03-14-0017",
            },
            {
                "agency_code": "xa-bao-lam",
                "title": "Tiếp sóng chương trình thời sự về Nghị quyết 57-NQ/TW",
                "origin": "provincial",
                "started_at": "2026-03-15T06:00:00+07:00",
                "duration_seconds": 600,
                "topics": ["nq57"],
                "source": "loa-ip-bao-lam",
                "external_id": "2026-03-15-0001",
            },
        ]
    },
)


def _push_one_batch_at_a_time(
    session: Session, *, items: list[Any], actor: Principal, dry_run: bool
) -> BatchResult:
    with _ONE_BATCH_AT_A_TIME:
        return bulk.push_broadcast_batch(session, items=items, actor=actor, dry_run=dry_run)


ROUTES.push_batch(
    "push_broadcast_batch",
    "Push a batch of broadcasts",
    """Up to 5,000 airings at once, e.g. what a commune's loudspeaker system kept during a
    network outage. Each item is pushed on its own by `(source, external_id)`: the answer
    gives, in order, `created`, `updated`, `unchanged` or `rejected` with the problem, and
    the counts. A bad item never sinks the others; `dry_run=true` answers the same and
    writes nothing. A body that is not JSON, or too large, is refused before anything is
    written.""",
    BroadcastBatch,
    _push_one_batch_at_a_time,
    "broadcasts",
)

ROUTES.read(
    "get_broadcast",
    "Get a broadcast",
    "One broadcast by id.",
    service.get_broadcast,
)

ROUTES.change(
    "update_broadcast",
    "Update a broadcast",
    "Change some fields, e.g. correct the duration or set `retracted_at`.",
    schemas.BroadcastUpdate,
    service.update_broadcast,
)

ROUTES.delete(
    "delete_broadcast",
    "Delete a broadcast",
    """Delete an airing recorded by mistake (a withdrawn one is better marked with
    `retracted_at`).""",
    service.delete_broadcast,
)
