"""Query parameters about agencies that several routers take."""

from typing import Annotated

from fastapi import Query

ProvinceFilter = Annotated[
    str | None,
    Query(
        max_length=80,
        description="Only this province's agencies (`cao-bang`); a group's kinds then select "
        "within it.",
    ),
]
