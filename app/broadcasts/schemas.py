from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, Field

from app.channels.schemas import AgencyCode, PushKey, RecordId
from app.core.filters import AgencyFilter, FromDate, SearchQuery, ToDate
from app.core.routes import id_query
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.vocab import ContentOrigin, Language, Topic

Duration = Annotated[int, Field(ge=1, le=86400, description="Seconds on air (1 to 86,400).")]
Clusters = Annotated[
    int, Field(ge=0, le=100000, description="Loudspeaker clusters (cụm loa) that aired it.")
]
_TITLE = (
    "What was aired. May be omitted when `media_product_id` is given: the product's title is taken."
)
_TOPICS = (
    "Topics of the plan the broadcast covers (at most 20). When `media_product_id` is given "
    "and this list is empty, the media product's topics are copied."
)
_RETRACTED = "Set by the integrator when the airing is withdrawn; lists still show it."


class BroadcastFields(InputModel):
    agency_code: AgencyCode = Field(
        description="The commune or ward (or an agency under it) whose system aired it."
    )
    channel_id: RecordId | None = Field(
        default=None, description="The loudspeaker station (an existing channel)."
    )
    media_product_id: RecordId | None = Field(
        default=None, description="The media product aired, when it is a known one."
    )
    title: str | None = Field(default=None, min_length=1, max_length=1000, description=_TITLE)
    origin: ContentOrigin = Field(
        description="Central, provincial (both re-aired: phát lại) or local (self-produced)."
    )
    started_at: AwareDatetime = Field(description="Start instant, with its offset.")
    duration_seconds: Duration
    language: Language = Language.vi
    loudspeaker_clusters: Clusters | None = None
    topics: list[Topic] = Field(default_factory=list, max_length=20, description=_TOPICS)
    retracted_at: AwareDatetime | None = Field(default=None, description=_RETRACTED)


class BroadcastCreate(BroadcastFields, PushKey):
    """One airing. With `source` and `external_id`, POST is a push: the whole
    representation replaces the stored one when it differs."""

    model_config = with_examples(
        {
            "agency_code": "xa-bao-lam",
            "title": "Bản tin Bình dân học vụ số: hướng dẫn cài đặt ứng dụng VNeID",
            "origin": "local",
            "started_at": "2026-03-14T17:30:00+07:00",
            "duration_seconds": 900,
            "language": "tay",
            "loudspeaker_clusters": 12,
            "topics": ["digital_literacy", "nq57"],
            "source": "loa-ip-bao-lam",
            "external_id": "2026-03-14-0017",
        },
        {
            "agency_code": "phuong-thuc-phan",
            "title": "Tiếp sóng chuyên mục Khoa học, công nghệ và chuyển đổi số của Báo và "
            "Phát thanh, Truyền hình Cao Bằng",
            "origin": "provincial",
            "started_at": "2026-03-15T06:00:00+07:00",
            "duration_seconds": 600,
            "topics": ["nq57", "science_technology"],
            "source": "loa-ip-thuc-phan",
            "external_id": "8841",
        },
    )


class BroadcastUpdate(InputModel):
    """Every field optional. `source` and `external_id` are the pusher's key and do not
    change; send null to clear an optional field."""

    contract_not_null = ("agency_code", "origin", "started_at", "duration_seconds", "language")

    agency_code: AgencyCode | None = None
    channel_id: RecordId | None = None
    media_product_id: RecordId | None = None
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    origin: ContentOrigin | None = None
    started_at: AwareDatetime | None = None
    duration_seconds: Duration | None = None
    language: Language | None = None
    loudspeaker_clusters: Clusters | None = None
    topics: list[Topic] | None = Field(default=None, max_length=20)
    retracted_at: AwareDatetime | None = None

    model_config = with_examples({"duration_seconds": 1200, "loudspeaker_clusters": 14})


class BroadcastRead(ReadModel):
    id: int
    agency_code: str
    channel_id: int | None
    media_product_id: int | None
    title: str
    origin: ContentOrigin
    started_at: datetime
    duration_seconds: int
    language: Language
    loudspeaker_clusters: int | None
    topics: list[Topic]
    retracted_at: datetime | None
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


BroadcastPage = Page[BroadcastRead]


class BroadcastFilters(BaseModel):
    """The query parameters of the broadcast list."""

    agency: AgencyFilter = None
    origin: Annotated[
        list[ContentOrigin] | None,
        Query(
            description="One or more origins, e.g. `origin=central&origin=provincial`.",
            max_length=3,
        ),
    ] = None
    topic: Annotated[
        list[Topic] | None,
        Query(description="Broadcasts with any of these topics.", max_length=20),
    ] = None
    channel: Annotated[int | None, id_query("Broadcasts of this station.")] = None
    media_product: Annotated[int | None, id_query("Broadcasts of this media product.")] = None
    started_from: FromDate = None
    started_to: ToDate = None
    retracted: Annotated[
        bool | None,
        Query(
            description="`true`: only withdrawn airings; `false`: only those not withdrawn. "
            "Without it the list excludes nothing."
        ),
    ] = None
    q: SearchQuery = None
