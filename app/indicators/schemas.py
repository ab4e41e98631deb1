"""What the indicator routes take and give: the fields of a target and its measure."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from app.core.filters import SearchQuery
from app.core.schemas import InputModel, Page, ReadModel, with_examples
from app.core.vocab import Comparator, IndicatorWindow
from app.indicators.measures import Measure

IndicatorCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Z0-9][A-Z0-9-]{0,39}$",
        description="Unique within the plan, e.g. `T2026-5`; never changes once issued.",
    ),
]
TargetYear = Annotated[int, Field(ge=2000, le=2100)]
Amount = Annotated[float, Field(ge=0, le=1e12)]

MEASURE_DESCRIPTION = """How the value is computed from the data (see INDICATORS.md). One of:

* `{"kind": "agency_coverage", "group": <group code>, "all_of": [{"any_of": [<filter>, …]}, …]}`
  — % of the group's active agencies with a qualifying record for every `all_of` item;
* `{"kind": "record_share", "group": <group code, optional>, "base": <filter>,
  "numerator": <filter>, "secondary": {"label": …, "filter": <filter>} (optional)}`
  — % of base records that also match the numerator;
* `{"kind": "figure_ratio", "groups": [<group code>, …], "numerator": {"figure": <metric>} |
  {"trained_people": {"audiences_any": [<audience>, …], "passed_only": bool,
  "on_topic": bool}}, "denominator": {"figure": <metric>}}` — Σ numerator / Σ denominator.

A `<filter>` is `{"record": "media_product" | "broadcast" | "channel", "on_topic": bool,
"topics_all": [topic…], "kinds": [media or channel kind…], "channel_kinds": […],
"origins": [central|provincial|local…], "dedicated": bool, "active": bool,
"state_commissioned": bool, "partner_press": bool, "agency_kinds": [agency kind…]}`;
every field but `record` is optional. Unknown fields are refused and every group named
must exist."""

# The seeded plan holds T2026-5 itself: the example adds a 2027 target measured the same way.
_EXAMPLE_TITLE = (
    "100% hệ thống thông tin cơ sở tổ chức đăng, phát lại các sản phẩm truyền thông của Trung "
    "ương và địa phương về Nghị quyết số 57-NQ/TW trong năm 2027."
)
_EXAMPLE_MEASURE = {
    "kind": "agency_coverage",
    "group": "he-thong-ttcs",
    "all_of": [
        {
            "any_of": [
                {"record": "broadcast", "on_topic": True, "origins": ["central", "provincial"]}
            ]
        }
    ],
}


class IndicatorFields(InputModel):
    position: int = Field(default=0, ge=0, le=10000, description="Order in the plan.")
    title: str = Field(min_length=1, max_length=5000, description="Verbatim from the plan.")
    description: str | None = Field(default=None, max_length=5000)
    target_year: TargetYear
    target_value: Amount
    baseline_value: Amount = 0.0
    comparator: Comparator = Comparator.at_least
    unit: str = Field(default="percent", min_length=1, max_length=20, examples=["percent"])
    window: IndicatorWindow
    measure: Measure = Field(description=MEASURE_DESCRIPTION)


class IndicatorCreate(IndicatorFields):
    code: IndicatorCode

    model_config = with_examples(
        {
            "code": "T2027-1",
            "position": 17,
            "title": _EXAMPLE_TITLE,
            "description": "Every commune and ward counts once its loudspeaker system has "
            "aired one on-topic broadcast of central or provincial origin (phát lại).",
            "target_year": 2027,
            "target_value": 100,
            "baseline_value": 0,
            "comparator": "at_least",
            "unit": "percent",
            "window": "year",
            "measure": _EXAMPLE_MEASURE,
        }
    )


class IndicatorUpdate(InputModel):
    """Every field optional; ``code`` cannot change. ``measure`` replaces the whole measure."""

    contract_not_null = (
        "position",
        "title",
        "target_year",
        "target_value",
        "baseline_value",
        "comparator",
        "unit",
        "window",
        "measure",
    )

    position: int | None = Field(default=None, ge=0, le=10000)
    title: str | None = Field(default=None, min_length=1, max_length=5000)
    description: str | None = Field(default=None, max_length=5000)
    target_year: TargetYear | None = None
    target_value: Amount | None = None
    baseline_value: Amount | None = None
    comparator: Comparator | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=20)
    window: IndicatorWindow | None = None
    measure: Measure | None = Field(default=None, description=MEASURE_DESCRIPTION)

    model_config = with_examples({"target_value": 100, "window": "year"})


class IndicatorRead(ReadModel):
    id: int
    plan_code: str
    code: str
    position: int
    title: str
    description: str | None
    target_year: int
    target_value: float
    baseline_value: float
    comparator: Comparator
    unit: str
    window: IndicatorWindow
    measure: dict[str, Any]
    created_at: datetime
    updated_at: datetime


IndicatorPage = Page[IndicatorRead]


class IndicatorFilters(BaseModel):
    """The query parameters of the indicator list."""

    target_year: Annotated[
        int | None, Query(ge=2000, le=2100, description="e.g. 2026 or 2030.")
    ] = None
    window: Annotated[IndicatorWindow | None, Query()] = None
    q: SearchQuery = None
