"""Base classes for API models (never table models)."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator


def check_text(value: str) -> str:
    """Refuse text a database cannot store faithfully (NUL, lone surrogates)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


def _check_nested(value: Any) -> Any:
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, list | tuple | set):
        for item in value:
            _check_nested(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_nested(key)
            _check_nested(item)
    return value


class InputModel(BaseModel):
    """Request bodies: unknown fields refused, text trimmed, NaN and infinity refused."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        allow_inf_nan=False,
        use_enum_values=False,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_unstorable_text(cls, value: Any) -> Any:
        return _check_nested(value)


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    """Model config carrying request examples for the contract (drawn from Plan 209)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
