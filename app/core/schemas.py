"""Base classes for API models (never table models)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar, get_args, get_origin

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    FutureDate,
    FutureDatetime,
    GetJsonSchemaHandler,
    NaiveDatetime,
    PastDate,
    PastDatetime,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from app.core.field_rules import PUSH_PAIR_RULE, CrossFieldRule, FieldOrder


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


#: What a code of the catalogue looks like (agencies, groups, plans): lowercase words
#: without diacritics joined by hyphens, `xa-bao-lam`.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def slug_field(description: str, **extra: Any) -> Any:
    """The constraints of a catalogue code (2 to 80 characters of ``SLUG_PATTERN``), with
    what the code names in this place."""
    return Field(
        min_length=2, max_length=80, pattern=SLUG_PATTERN, description=description, **extra
    )


#: The pusher's name as a body gives it, where the record needs no more said of it.
PushSource = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=80,
        description="The pushing system's name; give it together with `external_id`, or neither.",
    ),
]


_NUMBER = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?\s*")
_TEMPORAL = (date, datetime)
_PYDANTIC_TEMPORAL = (
    AwareDatetime,
    NaiveDatetime,
    PastDate,
    FutureDate,
    PastDatetime,
    FutureDatetime,
)


def _is_temporal(annotation: Any) -> bool:
    if annotation in _PYDANTIC_TEMPORAL:
        return True
    if isinstance(annotation, type):
        return issubclass(annotation, _TEMPORAL)
    return any(_is_temporal(arg) for arg in get_args(annotation))


def iso_temporal(value: Any) -> Any:
    """Refuse what pydantic would read as a Unix timestamp (``0``, ``"1654646400"``): the
    contract says an ISO 8601 date or date-time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", "an ISO 8601 date or date-time is expected")
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        raise PydanticCustomError("date_type", "an ISO 8601 date or date-time is expected")
    return value


def _plain(annotation: Any) -> set[Any]:
    """The scalar types an annotation allows (through Optional, Annotated, unions)."""
    if isinstance(annotation, type):
        return {annotation}
    if get_origin(annotation) in (list, set, tuple, dict):
        return set()
    found: set[Any] = set()
    for arg in get_args(annotation):
        found |= _plain(arg)
    return found


def _item_annotation(annotation: Any) -> Any:
    """``X`` of ``list[X]`` (through Optional and Annotated); None when not a list."""
    if get_origin(annotation) is list:
        args = get_args(annotation)
        return args[0] if args else None
    for arg in get_args(annotation):
        found = _item_annotation(arg)
        if found is not None:
            return found
    return None


def json_types(annotation: Any, value: Any) -> None:
    """Refuse what pydantic's lax mode would coerce although the contract says otherwise:
    ``0`` or ``"yes"`` for a boolean, ``"5"`` or ``true`` for a number."""
    if value is None:
        return
    if isinstance(value, list):
        item = _item_annotation(annotation)
        if item is not None:
            for element in value:
                json_types(item, element)
        return
    types = _plain(annotation)
    if bool in types and not isinstance(value, bool) and not types & {str, int, float}:
        raise PydanticCustomError("bool_type", "Input should be a boolean")
    numeric = types & {int, float}
    if numeric and not types & {str, bool} and isinstance(value, str | bool):
        raise PydanticCustomError("number_type", "Input should be a number")


def _trim_text(value: Any) -> Any:
    """Plain text trimmed; enumeration members (also str) kept as they are."""
    return value.strip() if isinstance(value, str) and not isinstance(value, Enum) else value


def _needs_json_check(annotation: Any) -> bool:
    """Whether ``json_types`` can refuse anything for this annotation."""
    item = _item_annotation(annotation)
    if item is not None and _needs_json_check(item):
        return True
    types = _plain(annotation)
    refuse_non_bool = bool in types and not types & {str, int, float}
    return refuse_non_bool or bool(types & {int, float} and not types & {str, bool})


@dataclass(frozen=True, slots=True)
class _FieldRules:
    """A field's checks beyond its type, as ``InputModel``'s hooks apply them."""

    annotation: Any
    temporal: bool  # ``iso_temporal``: no Unix timestamps
    json_checked: bool  # ``json_types`` may refuse a value
    refuse_non_bool: bool  # a boolean only: ``"yes"`` refused
    refuse_text: bool  # a number only: ``"5"`` refused
    required_text: bool  # min_length >= 1: blank after trimming refused

    @classmethod
    def of(cls, field: FieldInfo) -> "_FieldRules":
        annotation = field.annotation
        types = _plain(annotation)
        return cls(
            annotation=annotation,
            temporal=_is_temporal(annotation),
            json_checked=_needs_json_check(annotation),
            refuse_non_bool=bool in types and not types & {str, int, float},
            refuse_text=bool(types & {int, float}) and not types & {str, bool},
            required_text=any(getattr(rule, "min_length", 0) >= 1 for rule in field.metadata),
        )


class InputModel(BaseModel):
    """Request bodies: unknown fields refused, text trimmed, NaN and infinity refused.

    Text is checked as sent (lengths and patterns, as the contract states them) and
    trimmed afterwards; trimming first would accept what the contract calls too long.
    """

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        use_enum_values=False,
    )

    # What the contract says beyond what the field types say (the service enforces both):
    #: fields a PATCH may leave out but not set to null;
    contract_not_null: ClassVar[tuple[str, ...]] = ()
    #: rules between fields (e.g. two that go together), stated in the schema's description.
    cross_field_rules: ClassVar[tuple[CrossFieldRule, ...]] = ()
    # Not in the contract, checked by this class:
    #: pairs of fields in order (``_fields_in_order``, once the fields are valid);
    ordered_fields: ClassVar[tuple[FieldOrder, ...]] = ()
    #: each field's checks, see ``_rules``
    _field_rules: ClassVar[dict[str, "_FieldRules"] | None] = None

    @classmethod
    def _rules(cls) -> dict[str, "_FieldRules"]:
        """What each field's hooks check, worked out once per class (on first use, when
        the fields are complete): the hooks run for every field of every item of a batch
        of 5,000, and typing introspection there cost more than the validation itself."""
        rules = cls.__dict__.get("_field_rules")
        if rules is None:
            rules = {name: _FieldRules.of(field) for name, field in cls.model_fields.items()}
            cls._field_rules = rules
        return rules

    @field_validator("*", mode="before")
    @classmethod
    def _no_unstorable_text(cls, value: Any, info: ValidationInfo) -> Any:
        rules = cls._rules().get(info.field_name or "")
        if value.__class__ is str:  # the common case first: most fields are text
            if rules is not None:
                if rules.temporal:
                    iso_temporal(value)
                if rules.refuse_non_bool or rules.refuse_text:
                    json_types(rules.annotation, value)
            return check_text(value)
        if rules is not None and value is not None:
            if rules.temporal:
                iso_temporal(value)
            if isinstance(value, list):
                if rules.json_checked:
                    json_types(rules.annotation, value)
            # What json_types says of a single value, with the field's types known already.
            elif rules.refuse_non_bool and not isinstance(value, bool):
                raise PydanticCustomError("bool_type", "Input should be a boolean")
            elif rules.refuse_text and isinstance(value, str | bool):
                raise PydanticCustomError("number_type", "Input should be a number")
        return _check_nested(value)

    @field_validator("*", mode="after")
    @classmethod
    def _not_null_and_trimmed(cls, value: Any, info: ValidationInfo) -> Any:
        # Only a value sent explicitly gets here (defaults are not validated).
        if value is None:
            if info.field_name in cls.contract_not_null:
                raise PydanticCustomError("null", "may not be null")
            return value
        if isinstance(value, list):
            return [_trim_text(item) for item in value]
        if not isinstance(value, str) or isinstance(value, Enum):
            return value
        trimmed = value.strip()
        if not trimmed:
            rules = cls._rules().get(info.field_name or "")
            if rules is not None and rules.required_text:
                raise PydanticCustomError("string_blank", "must not be blank")
        return trimmed

    @model_validator(mode="after")
    def _fields_in_order(self) -> Self:
        for order in self.ordered_fields:
            lower, upper = getattr(self, order.lower), getattr(self, order.upper)
            if lower is not None and upper is not None and lower > upper:
                raise PydanticCustomError("range", order.message)
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        target = handler.resolve_ref_schema(json_schema)
        properties = target.get("properties", {})
        for name in cls.contract_not_null:
            if name in properties:
                properties[name] = _without_null(properties[name])
        if cls.cross_field_rules:
            texts = [rule.text for rule in cls.cross_field_rules]
            target["description"] = "\n\n".join(filter(None, [target.get("description"), *texts]))
        _for_generators(properties)
        return json_schema


class PushedInput(InputModel):
    """A body a system may push: ``source`` and ``external_id``, together, are the
    record's push key (``PUSH_PAIR_RULE``). Each model declares the two fields itself, in
    its own place and words."""

    cross_field_rules: ClassVar[tuple[CrossFieldRule, ...]] = (PUSH_PAIR_RULE,)


def _for_generators(properties: dict[str, Any]) -> None:
    """What client generators read of ``X | None`` properties (``anyOf: [X, null]``).

    * An untitled free-form object branch (``dict[str, Any] | None``) is named
      ``<Model><Field>Type0``; titled after its field it becomes ``<Model><Field>``
      (``AuditEventReadAfter``).
    * A description inside the ``X`` branch (from an ``Annotated`` type) is not shown: it
      moves up to the property when that has none.
    """
    for name, schema in properties.items():
        branches = schema.get("anyOf", [])
        objects = [b for b in branches if b.get("type") == "object"]
        if len(objects) == 1 and "title" not in objects[0]:
            objects[0]["title"] = schema.get("title") or name.replace("_", " ").title()
        described = [b for b in branches if "description" in b]
        if len(described) == 1 and "description" not in schema:
            schema["description"] = described[0].pop("description")


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, null]`` -> ``X``: the field may be omitted, not sent as null."""
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    if not branches or len(branches) == len(schema.get("anyOf", [])):
        return schema
    rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    if len(branches) == 1:
        return {**branches[0], **rest}
    return {"anyOf": branches, **rest}


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    """Model config carrying request examples for the contract (drawn from Plan 209)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        _for_generators(handler.resolve_ref_schema(json_schema).get("properties", {}))
        return json_schema


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
