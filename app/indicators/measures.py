"""The measure of an indicator, as data: what the status engine evaluates.

Three kinds (see INDICATORS.md): ``agency_coverage``, ``record_share``, ``figure_ratio``.
Another plan's indicators are new rows with measures in this shape, not new code.
"""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.errors import InvalidInput
from app.core.vocab import (
    AgencyKind,
    Audience,
    ChannelKind,
    ContentOrigin,
    FigureMetric,
    MediaKind,
    Topic,
)

Code = Annotated[str, Field(min_length=2, max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class _Strict(BaseModel):
    # Unknown fields refused; flags are StrictBool: "true" or 0 is not a boolean.
    model_config = ConfigDict(extra="forbid")


class RecordFilter(_Strict):
    """Which records qualify. Every condition given must hold."""

    record: Literal["media_product", "broadcast", "channel"]
    on_topic: StrictBool = Field(
        default=False, description="Topics include any of the plan's on-topic list."
    )
    topics_all: list[Topic] = Field(default_factory=list, description="Topics include all these.")
    kinds: list[MediaKind | ChannelKind] = Field(
        default_factory=list, description="Media product kinds, or channel kinds for channels."
    )
    channel_kinds: list[ChannelKind] = Field(
        default_factory=list, description="Media product published on a channel of these kinds."
    )
    origins: list[ContentOrigin] = Field(default_factory=list, description="Broadcast origins.")
    dedicated: StrictBool | None = Field(default=None, description="Channel built for the topic.")
    active: StrictBool | None = Field(default=None, description="Channel open at `as_of`.")
    state_commissioned: StrictBool | None = None
    partner_press: StrictBool | None = Field(
        default=None, description="Made with a partner press agency from outside the province."
    )
    agency_kinds: list[AgencyKind] = Field(
        default_factory=list,
        description="This alternative applies only to agencies of these kinds.",
    )


class Alternatives(_Strict):
    any_of: list[RecordFilter] = Field(min_length=1)


class AgencyCoverage(_Strict):
    kind: Literal["agency_coverage"]
    group: Code
    all_of: list[Alternatives] = Field(
        min_length=1, description="An agency counts when each condition has a qualifying record."
    )


class SecondaryReading(_Strict):
    label: str = Field(max_length=300)
    filter: RecordFilter


class RecordShare(_Strict):
    kind: Literal["record_share"]
    group: Code | None = Field(default=None, description="Only records of this group's agencies.")
    base: RecordFilter
    numerator: RecordFilter = Field(description="Of the same record type as `base`.")
    secondary: SecondaryReading | None = None

    @model_validator(mode="after")
    def _one_record_type(self) -> "RecordShare":
        # A share compares records with records of the same kind.
        others = [self.numerator] + ([self.secondary.filter] if self.secondary else [])
        if any(spec.record != self.base.record for spec in others):
            raise PydanticCustomError(
                "record_mismatch", "numerator and secondary must filter the base's record type"
            )
        return self


class FigureTerm(_Strict):
    figure: FigureMetric


class TrainedPeople(_Strict):
    audiences_any: list[Audience] = Field(min_length=1)
    passed_only: StrictBool = False
    on_topic: StrictBool = False


class TrainedPeopleTerm(_Strict):
    trained_people: TrainedPeople


class FigureRatio(_Strict):
    kind: Literal["figure_ratio"]
    groups: list[Code] = Field(min_length=1)
    numerator: FigureTerm | TrainedPeopleTerm
    denominator: FigureTerm


Measure = Annotated[AgencyCoverage | RecordShare | FigureRatio, Field(discriminator="kind")]
_measure_adapter: TypeAdapter[Any] = TypeAdapter(Measure)


def parse_measure(data: dict[str, Any]) -> AgencyCoverage | RecordShare | FigureRatio:
    return _measure_adapter.validate_python(data)  # type: ignore[no-any-return]


def dump_measure(measure: AgencyCoverage | RecordShare | FigureRatio) -> dict[str, Any]:
    """A validated measure as stored on the indicator row (JSON, defaults left out)."""
    return measure.model_dump(mode="json", exclude_defaults=True)


def validate_measure(data: dict[str, Any]) -> None:
    try:
        parse_measure(data)
    except ValidationError as exc:
        raise InvalidInput(
            "The measure is not valid.",
            errors=[
                {
                    "loc": ["body", "measure", *err["loc"]],
                    "msg": err["msg"],
                    "type": err["type"],
                }
                for err in exc.errors()
            ],
        ) from exc


def groups_of(data: dict[str, Any]) -> list[str]:
    """The agency groups a measure refers to."""
    measure = parse_measure(data)
    if isinstance(measure, AgencyCoverage):
        return [measure.group]
    if isinstance(measure, RecordShare):
        return [measure.group] if measure.group else []
    return list(measure.groups)
