"""Field helpers shared by the table models."""

from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Field

from app.core.types import BigId, TagList, UTCDateTime, utcnow

# What deleting a referenced row does to the rows that reference it.
OnDelete = Literal["CASCADE", "RESTRICT", "SET NULL"]


def id_field() -> Any:
    return Field(default=None, primary_key=True, sa_type=BigId)


def code_field(**kwargs: Any) -> Any:
    return Field(max_length=80, sa_type=sa.String(80), **kwargs)


def enum_field(**kwargs: Any) -> Any:
    """Enumerations are stored as text so that adding a value needs no migration."""
    return Field(max_length=40, sa_type=sa.String(40), **kwargs)


def text_field(length: int, **kwargs: Any) -> Any:
    return Field(max_length=length, sa_type=sa.String(length), **kwargs)


def long_text_field(**kwargs: Any) -> Any:
    return Field(sa_type=sa.Text, **kwargs)


def instant_field(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def tags_field() -> Any:
    return Field(default_factory=list, sa_type=TagList, nullable=False)


def json_list_field() -> Any:
    """A list kept as JSON, for items a tag list cannot hold: numbers, objects, text with
    commas."""
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)


def fk_agency(*, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=sa.String(80),
        foreign_key="agency.code",
        nullable=nullable,
        index=index,
        ondelete="RESTRICT",
    )


def fk_id(
    target: str,
    *,
    ondelete: OnDelete,
    nullable: bool = False,
    primary_key: bool = False,
    index: bool | None = None,
) -> Any:
    """A reference to another table's id (``target``, e.g. ``"plan.id"``).

    Indexed, since rows are looked up by what they belong to, except as the first column
    of a composite primary key, which the key's own index serves.
    """
    return Field(
        default=None if nullable else ...,
        sa_type=BigId,
        foreign_key=target,
        nullable=nullable,
        primary_key=primary_key,
        index=not primary_key if index is None else index,
        ondelete=ondelete,
    )


__all__ = ["datetime"]
