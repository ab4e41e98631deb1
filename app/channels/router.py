from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.channels import service
from app.channels.schemas import ChannelCreate, ChannelPage, ChannelRead, ChannelUpdate
from app.core.access import Reader, Writer
from app.core.concurrency import IfMatch
from app.core.db import SessionDep
from app.core.filters import AgencyFilter, IsoDate, SearchQuery
from app.core.pagination import PageDep
from app.core.push_api import answer_push, push_route
from app.core.routes import DELETED, LIST, READ, UPDATE, id_path, no_content, tagged, values
from app.core.vocab import ChannelKind

router = APIRouter(prefix="/channels", tags=["channels"])

ChannelId = Annotated[int, id_path("The channel's id.")]


@router.get("", response_model=ChannelPage, summary="List channels", **LIST)
def list_channels(
    session: SessionDep,
    _reader: Reader,
    page: PageDep,
    agency: AgencyFilter = None,
    kind: Annotated[
        list[ChannelKind] | None,
        Query(
            description="One or more kinds, e.g. `kind=portal&kind=portal_section`.", max_length=20
        ),
    ] = None,
    dedicated: Annotated[
        bool | None, Query(description="Only outlets built for the topic (or only the others).")
    ] = None,
    active_on: Annotated[
        IsoDate | None, Query(description="Only channels running on this day (local time).")
    ] = None,
    q: SearchQuery = None,
) -> ChannelPage:
    """Outlets of the agencies, ordered by id. `agency` matches the owning agency exactly."""
    rows, next_cursor = service.list_channels(
        session,
        page=page,
        agency_code=agency,
        kinds=values(kind),
        dedicated=dedicated,
        active_on=active_on,
        q=q,
    )
    return ChannelPage(items=[service.to_channel_read(r) for r in rows], next_cursor=next_cursor)


@router.post("", summary="Create or push a channel", **push_route(ChannelRead))
def create_channel(
    payload: ChannelCreate, session: SessionDep, actor: Writer, response: Response
) -> ChannelRead:
    """Record an outlet of an agency the key may write for. With `source` and
    `external_id`, a repeat is safe: the same content answers 200 `unchanged`, other
    content updates the channel (200 `updated`); a new key answers 201 `created`."""
    channel, outcome = service.push_channel(session, payload=payload, actor=actor)
    answer_push(response, channel, outcome, f"/api/v1/channels/{channel.id}")
    return service.to_channel_read(channel)


@router.get("/{channel_id}", response_model=ChannelRead, summary="Get a channel", **READ)
def get_channel(
    channel_id: ChannelId, session: SessionDep, _reader: Reader, response: Response
) -> ChannelRead:
    """One channel by id, with whether it runs today."""
    channel = service.get_channel(session, channel_id)
    return tagged(response, channel, service.to_channel_read(channel))


@router.patch("/{channel_id}", response_model=ChannelRead, summary="Update a channel", **UPDATE)
def update_channel(
    channel_id: ChannelId,
    payload: ChannelUpdate,
    session: SessionDep,
    actor: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> ChannelRead:
    """Change some fields, e.g. set `closed_on` when an outlet stops."""
    channel = service.update_channel(
        session, channel_id=channel_id, payload=payload, actor=actor, if_match=if_match
    )
    return tagged(response, channel, service.to_channel_read(channel))


@router.delete("/{channel_id}", summary="Delete a channel", **DELETED)
def delete_channel(
    channel_id: ChannelId, session: SessionDep, actor: Writer, if_match: IfMatch = None
) -> Response:
    """Delete a channel entered by mistake. One that media products or broadcasts use is
    kept (409): set its `closed_on` instead."""
    service.delete_channel(session, channel_id=channel_id, actor=actor, if_match=if_match)
    return no_content()
