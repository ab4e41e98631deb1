"""The plan's period is not its issue date: Plan 209 was issued on 27/01/2026, its period
runs from 01/01/2026."""

from datetime import date

from fastapi.testclient import TestClient

from app.core.local_time import local_midnight
from app.core.vocab import IndicatorWindow
from app.plans.models import Plan
from app.status.windows import build_window, expected_value
from tests.helpers import assert_problem
from tests.indicators.scenario import Scenario

PLAN_209 = Plan(
    code="kh-209-2026",
    document_number="209/KH-UBND",
    title="Kế hoạch 209",
    issued_on=date(2026, 1, 27),
    issuer_code="ubnd-tinh",
    coordinator_code="so-vhttdl",
    start_on=date(2026, 1, 1),
    end_on=date(2030, 12, 31),
)


def test_a_2030_target_expects_365_of_1826_at_the_end_of_2026() -> None:
    end_of_2026 = local_midnight(date(2027, 1, 1))
    for kind in IndicatorWindow:
        window = build_window(PLAN_209, kind, "2026", end_of_2026)
        expected = expected_value(
            plan=PLAN_209,
            window=window,
            target_year=2030,
            target=100.0,
            baseline=0.0,
            straight_line=True,
        )
        assert expected == 100.0 * 365 / 1826, kind


def test_the_seed_plan_starts_its_period_on_new_year(client: TestClient) -> None:
    plan = client.get("/api/v1/plans/kh-209-2026").json()
    assert (plan["issued_on"], plan["start_on"]) == ("2026-01-27", "2026-01-01")
    assert plan["province_code"] == "cao-bang"


def test_records_of_early_january_count_and_as_of_is_accepted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.broadcast("xa-bao-lam", "2026-01-05T07:00:00+07:00")  # before the issue date
    status = s.status("T2026-5", period="2026", as_of="2026-01-15")
    assert (status["numerator"], status["denominator"]) == (1, 56)
    assert status["window"]["start"] == "2025-12-31T17:00:00Z"
    late = s.status("T2030-5", period="2026", as_of="2026-12-31")
    assert late["expected"] == round(100 * 365 / 1826, 1)  # 20.0
    before = client.get(
        "/api/v1/plans/kh-209-2026/indicators/T2026-5/status",
        params={"period": "2026", "as_of": "2025-12-31"},
    )
    assert assert_problem(before, 422)["errors"][0]["type"] == "outside_plan"
