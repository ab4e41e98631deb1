"""The national view: every plan's status side by side, provinces ranked per indicator."""

from datetime import datetime

from pydantic import Field

from app.core.schemas import ReadModel


class IndicatorValue(ReadModel):
    code: str = Field(examples=["T2026-5"])
    value: float | None = Field(description="Null when the indicator has no denominator.")
    numerator: float
    denominator: float
    target_value: float
    expected: float | None
    status: str


class PlanSummary(ReadModel):
    plan_code: str = Field(examples=["kh-209-2026"])
    title: str
    province_code: str | None = Field(description="Null for a national plan.")
    period: str
    summary: dict[str, int] = Field(description="How many indicators have each status.")
    indicators: list[IndicatorValue]


class ProvinceRank(ReadModel):
    rank: int = Field(description="1 is the best; equal values share a rank.")
    plan_code: str
    province_code: str | None
    value: float | None
    numerator: float
    denominator: float
    status: str


class IndicatorRanking(ReadModel):
    code: str = Field(examples=["T2026-5"])
    title: str = Field(description="The indicator's title in the first plan that has it.")
    ranking: list[ProvinceRank] = Field(
        description="Best first: highest value (lowest for an `at_most` target); plans with "
        "no value last."
    )


class NationalStatus(ReadModel):
    period: str | None = Field(description="The evaluated period; null when no plan covers it.")
    as_of: datetime
    computed_at: datetime
    plans: list[PlanSummary] = Field(description="Every plan covering the period, by code.")
    indicators: list[IndicatorRanking] = Field(
        description="Each indicator code that two plans or more share, with the provinces ranked."
    )
    left_out: list[str] = Field(
        description="Plans whose period does not cover the period or `as_of`."
    )
