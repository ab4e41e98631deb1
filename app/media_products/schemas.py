from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, Field

from app.channels.schemas import AgencyCode, PushKey, RecordId, WebUrl
from app.core.filters import AgencyFilter, FromDate, SearchQuery, ToDate
from app.core.routes import id_query
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.vocab import Audience, Language, MediaKind, Topic

Reach = Annotated[int, Field(ge=0, le=10**12)]
PartnerPress = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Press agency from outside the province the product was made with "
        "(the plan's cooperation target), e.g. `Báo Nhân Dân`.",
    ),
]
_CHANNELS = "Ids of existing channels the product ran on (at most 20)."
_TOPICS = "Topics of the plan the product covers (at most 20)."
_RETRACTED = "Set by the integrator when the item is withdrawn; lists still show it."


class MediaProductFields(InputModel):
    agency_code: AgencyCode = Field(description="The producing agency.")
    kind: MediaKind
    title: str = Field(min_length=1, max_length=1000)
    summary: str | None = Field(default=None, max_length=20000)
    url: WebUrl | None = None
    published_at: AwareDatetime = Field(description="Publication instant, with its offset.")
    channel_ids: list[RecordId] = Field(default_factory=list, max_length=20, description=_CHANNELS)
    topics: list[Topic] = Field(default_factory=list, max_length=20, description=_TOPICS)
    audiences: list[Audience] = Field(default_factory=list, max_length=20)
    language: Language = Language.vi
    partner_press: PartnerPress | None = None
    state_commissioned: bool = Field(
        default=False,
        description="Đặt hàng/giao nhiệm vụ bằng ngân sách nhà nước (for publications).",
    )
    views: Reach | None = None
    listeners: Reach | None = None
    copies: Reach | None = Field(default=None, description="Copies printed.")
    retracted_at: AwareDatetime | None = Field(default=None, description=_RETRACTED)


class MediaProductCreate(MediaProductFields, PushKey):
    """A media product. With `source` and `external_id`, POST is a push: the whole
    representation replaces the stored one when it differs (omitted fields take their
    defaults)."""

    model_config = with_examples(
        {
            "agency_code": "bao-ptth-cb",
            "kind": "article",
            "title": "Chuyển đổi số ở Cao Bằng: từ Nghị quyết 57 đến từng thôn bản",
            "summary": "Kết quả bước đầu triển khai Kế hoạch 209/KH-UBND trên địa bàn tỉnh.",
            "url": "https://baocaobang.vn/chuyen-doi-so-o-cao-bang-3179.html",
            "published_at": "2026-03-14T08:30:00+07:00",
            "topics": ["nq57", "digital_transformation", "local_effort"],
            "audiences": ["citizens", "civil_servants"],
            "language": "vi",
            "views": 12500,
            "source": "baocaobang-cms",
            "external_id": "3179",
        },
        {
            "agency_code": "so-vhttdl",
            "kind": "leaflet",
            "title": "Tờ rơi phong trào Bình dân học vụ số",
            "published_at": "2026-04-01T00:00:00+07:00",
            "topics": ["digital_literacy"],
            "audiences": ["ethnic_minorities"],
            "language": "tay",
            "state_commissioned": True,
            "copies": 5000,
        },
    )


class MediaProductUpdate(InputModel):
    """Every field optional; `channel_ids`, `topics` and `audiences` replace the lists.
    `source` and `external_id` are the pusher's key and do not change."""

    contract_not_null = (
        "agency_code",
        "kind",
        "title",
        "published_at",
        "language",
        "state_commissioned",
    )

    agency_code: AgencyCode | None = None
    kind: MediaKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    summary: str | None = Field(default=None, max_length=20000)
    url: WebUrl | None = None
    published_at: AwareDatetime | None = None
    channel_ids: list[RecordId] | None = Field(default=None, max_length=20)
    topics: list[Topic] | None = Field(default=None, max_length=20)
    audiences: list[Audience] | None = Field(default=None, max_length=20)
    language: Language | None = None
    partner_press: PartnerPress | None = None
    state_commissioned: bool | None = None
    views: Reach | None = None
    listeners: Reach | None = None
    copies: Reach | None = None
    retracted_at: AwareDatetime | None = None

    model_config = with_examples({"views": 20400}, {"retracted_at": "2026-03-20T10:00:00+07:00"})


class MediaProductRead(ReadModel):
    id: int
    agency_code: str
    kind: MediaKind
    title: str
    summary: str | None
    url: str | None
    published_at: datetime
    channel_ids: list[int]
    topics: list[Topic]
    audiences: list[Audience]
    language: Language
    partner_press: str | None
    state_commissioned: bool
    views: int | None
    listeners: int | None
    copies: int | None
    retracted_at: datetime | None
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


MediaProductPage = Page[MediaProductRead]


class MediaProductFilters(BaseModel):
    """The query parameters of the media product list."""

    agency: AgencyFilter = None
    kind: Annotated[
        list[MediaKind] | None,
        Query(description="One or more kinds, e.g. `kind=article&kind=video`.", max_length=20),
    ] = None
    topic: Annotated[
        list[Topic] | None,
        Query(description="Products with any of these topics.", max_length=20),
    ] = None
    audience: Annotated[
        list[Audience] | None,
        Query(description="Products for any of these audiences.", max_length=20),
    ] = None
    channel: Annotated[int | None, id_query("Products that ran on this channel.")] = None
    language: Annotated[Language | None, Query(description="Language of the product.")] = None
    published_from: FromDate = None
    published_to: ToDate = None
    retracted: Annotated[
        bool | None,
        Query(
            description="`true`: only withdrawn products; `false`: only those not withdrawn. "
            "Without it the list excludes nothing, withdrawn products included."
        ),
    ] = None
    q: SearchQuery = None
