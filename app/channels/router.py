from typing import Annotated

from fastapi import APIRouter

from app.channels import schemas, service
from app.core.access import Reader, Writer
from app.core.item_routes import ItemRoutes, from_row, path_key
from app.core.routes import id_path

router = APIRouter(prefix="/channels", tags=["channels"])

ChannelId = Annotated[int, id_path("The channel's id.")]


ROUTES = ItemRoutes(
    router,
    "/{channel_id}",
    path_key(channel_id=ChannelId),
    schemas.ChannelRead,
    present=from_row(service.to_channel_read),
    reader=Reader,
    writer=Writer,
)

ROUTES.list(
    "list_channels",
    "List channels",
    "Outlets of the agencies, ordered by id. `agency` matches the owning agency exactly.",
    schemas.ChannelFilters,
    service.list_channels,
    schemas.ChannelPage,
)

ROUTES.push(
    "create_channel",
    "Create or push a channel",
    """Record an outlet of an agency the key may write for. With `source` and
    `external_id`, a repeat is safe: the same content answers 200 `unchanged`, other
    content updates the channel (200 `updated`); a new key answers 201 `created`.""",
    schemas.ChannelCreate,
    service.push_channel,
    "/api/v1/channels/{row.id}",
)

ROUTES.read(
    "get_channel",
    "Get a channel",
    "One channel by id, with whether it runs today.",
    service.get_channel,
)

ROUTES.change(
    "update_channel",
    "Update a channel",
    "Change some fields, e.g. set `closed_on` when an outlet stops.",
    schemas.ChannelUpdate,
    service.update_channel,
)

ROUTES.delete(
    "delete_channel",
    "Delete a channel",
    """Delete a channel entered by mistake. One that media products or broadcasts use is
    kept (409): set its `closed_on` instead.""",
    service.delete_channel,
)
