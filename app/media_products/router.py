from functools import partial
from typing import Annotated

from fastapi import APIRouter

from app.core.access import Reader, Writer
from app.core.batch import run_batch
from app.core.item_routes import ItemRoutes, from_session_row, from_session_rows, path_key
from app.core.push_api import batch_request_model
from app.core.routes import id_path
from app.media_products import schemas, service

router = APIRouter(prefix="/media-products", tags=["media products"])

MediaProductId = Annotated[int, id_path("The media product's id.")]


ROUTES = ItemRoutes(
    router,
    "/{product_id:int}",
    path_key(product_id=MediaProductId),
    schemas.MediaProductRead,
    present=from_session_row(service.to_media_product_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_media_products",
    "List media products",
    """Media products, ordered by id. `from`/`to` cut `published_at` in local days
    (Asia/Ho_Chi_Minh).""",
    schemas.MediaProductFilters,
    service.list_media_products,
    schemas.MediaProductPage,
    present_page=from_session_rows(service.to_media_product_reads),
)

ROUTES.push(
    "create_media_product",
    "Create or push a media product",
    """Record a product of an agency the key may write for. With `source` and
    `external_id`, a retry is safe: the same content (channels included) answers 200
    `unchanged` and writes nothing; other content replaces the stored product (200
    `updated`, the audit trail keeps the old version); a new key answers 201 `created`.""",
    schemas.MediaProductCreate,
    service.push_media_product,
    "/api/v1/media-products/{row.id}",
)


MediaProductBatch = batch_request_model(
    schemas.MediaProductCreate,
    {
        "items": [
            {
                "agency_code": "cong-ttdt-tinh",
                "kind": "news",
                "title": "Cao Bằng triển khai Kế hoạch tuyên truyền Nghị quyết 57-NQ/TW",
                "url": "https://caobang.gov.vn/tin-tuc/ke-hoach-209-kh-ubnd.html",
                "published_at": "2026-02-02T09:00:00+07:00",
                "topics": ["nq57", "science_technology"],
                "source": "cong-ttdt-tinh",
                "external_id": "article-55120",
            },
            {
                "agency_code": "cong-ttdt-tinh",
                "kind": "infographic",
                "title": "Infographic: 7 mục tiêu năm 2026 của Kế hoạch 209/KH-UBND",
                "published_at": "2026-02-03T15:00:00+07:00",
                "topics": ["nq57"],
                "source": "cong-ttdt-tinh",
                "external_id": "article-55131",
            },
        ]
    },
)

ROUTES.push_batch(
    "push_media_product_batch",
    "Push a batch of media products",
    """Up to 5,000 media products at once (a portal catching up on what it published).
    Each item is pushed on its own by `(source, external_id)`; the answer gives, in order,
    `created`, `updated`, `unchanged` or `rejected` with the problem, and the counts.
    `dry_run=true` answers the same and writes nothing.""",
    MediaProductBatch,
    partial(run_batch, schema=schemas.MediaProductCreate, push=service.push_media_product),
    "media-products",
)

ROUTES.read(
    "get_media_product",
    "Get a media product",
    "One media product by id, with its channels.",
    service.get_media_product,
)

ROUTES.change(
    "update_media_product",
    "Update a media product",
    "Change some fields, e.g. the reach figures or `retracted_at`; lists replace.",
    schemas.MediaProductUpdate,
    service.update_media_product,
)

ROUTES.delete(
    "delete_media_product",
    "Delete a media product",
    """Delete a product entered by mistake (a withdrawn one is better marked with
    `retracted_at`). Broadcasts that named it keep their own title.""",
    service.delete_media_product,
)
