from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from app.core.field_rules import FieldOrder
from app.core.filters import AgencyFilter, IsoDate, SearchQuery
from app.core.schemas import InputModel, Page, PushedInput, ReadModel, slug_field, with_examples
from app.core.types import MAX_ID
from app.core.vocab import ChannelKind

# Field types shared by the pushed records (channels, media products, broadcasts).
AgencyCode = Annotated[str, slug_field("Code of an existing agency, e.g. `xa-bao-lam`.")]
Source = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="The pushing system's name. With `external_id` and `agency_code` it is "
        "the record's push key: each agency's pairs are its own. Give it together with "
        "`external_id`, or neither.",
    ),
]
ExternalId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="The record's id in the pushing system; give it together with `source`, "
        "or neither.",
    ),
]
WebUrl = Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s\x00]+$")]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PushKey(PushedInput):
    """``(source, external_id)``: the same agency pushing the same pair again never creates
    a duplicate; another agency's same pair is another record."""

    source: Source | None = None
    external_id: ExternalId | None = None


_FEED_URL = (
    "RSS 2.0 or Atom feed of the outlet (a portal section, a page): `nq57 feeds sync` "
    "records its on-topic items as articles of the channel's agency."
)


class ChannelFields(InputModel):
    ordered_fields = (
        FieldOrder("launched_on", "closed_on", "closed_on must not be before launched_on"),
    )

    agency_code: AgencyCode
    kind: ChannelKind
    name: str = Field(min_length=1, max_length=300)
    url: WebUrl | None = None
    dedicated: bool = Field(
        default=False,
        description="Built for science, technology, innovation and digital transformation "
        "(a chuyên trang / chuyên mục or programme of its own).",
    )
    launched_on: date | None = Field(default=None, description="First day the outlet ran.")
    closed_on: date | None = Field(
        default=None,
        description="Day the outlet closed: it runs until the day before. Null while it runs.",
    )
    feed_url: WebUrl | None = Field(default=None, description=_FEED_URL)


class ChannelCreate(ChannelFields, PushKey):
    """A channel; with `source` and `external_id` POST is a push (create or update)."""

    model_config = with_examples(
        {
            "agency_code": "cong-ttdt-tinh",
            "kind": "portal_section",
            "name": "Chuyên mục Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            "url": "https://caobang.gov.vn/chuyen-doi-so",
            "feed_url": "https://caobang.gov.vn/chuyen-doi-so/rss",
            "dedicated": True,
            "launched_on": "2026-02-15",
            "source": "cong-ttdt-tinh",
            "external_id": "chuyen-muc-nq57",
        },
        {
            "agency_code": "xa-bao-lam",
            "kind": "loudspeaker_station",
            "name": "Đài truyền thanh xã Bảo Lâm",
            "launched_on": "2025-07-01",
        },
    )


class ChannelUpdate(InputModel):
    """Every field optional. `source` and `external_id` are the pusher's key and do not
    change; send null to clear an optional field."""

    contract_not_null = ("agency_code", "kind", "name", "dedicated")

    agency_code: AgencyCode | None = None
    kind: ChannelKind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    url: WebUrl | None = None
    dedicated: bool | None = None
    launched_on: date | None = None
    closed_on: date | None = None
    feed_url: WebUrl | None = Field(default=None, description=_FEED_URL)

    model_config = with_examples({"closed_on": "2026-12-31"})


class ChannelRead(ReadModel):
    id: int
    agency_code: str
    kind: ChannelKind
    name: str
    url: str | None
    dedicated: bool
    launched_on: date | None
    closed_on: date | None
    active: bool = Field(description="Whether the channel runs today (local time).")
    feed_url: str | None
    feed_synced_at: datetime | None = Field(description="When the feed was last read.")
    feed_sync_result: str | None = Field(
        description="The last sync's outcome: `ok: 3 created, 1 updated, 10 unchanged, …` "
        "or `error: …`. Set by the sync only."
    )
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


ChannelPage = Page[ChannelRead]


class ChannelFilters(BaseModel):
    """The query parameters of the channel list."""

    agency: AgencyFilter = None
    kind: Annotated[
        list[ChannelKind] | None,
        Query(
            description="One or more kinds, e.g. `kind=portal&kind=portal_section`.", max_length=20
        ),
    ] = None
    dedicated: Annotated[
        bool | None, Query(description="Only outlets built for the topic (or only the others).")
    ] = None
    active_on: Annotated[
        IsoDate | None, Query(description="Only channels running on this day (local time).")
    ] = None
    q: SearchQuery = None
