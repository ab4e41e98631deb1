"""The plan's reporting cycle: a setting the coordinator changes, which compliance and
report filing follow (Plan 209 says only "theo quy định")."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.pages.service import compliance_board
from app.reports.regime import period_holding
from tests.helpers import assert_problem
from tests.reports.helpers import PLAN, REPORTS, create_report

COMPLIANCE = f"{REPORTS}/compliance"


def test_the_default_cycle_is_shown_as_a_setting(client: TestClient) -> None:
    plan = client.get(f"/api/v1/plans/{PLAN}").json()
    assert plan["report_cycle"] == ["quarter", "half_year", "year"]
    assert plan["report_deadline_working_days"] == 5
    schema = client.get("/openapi.json").json()["components"]["schemas"]["PlanRead"]
    assert "theo quy định" in schema["properties"]["report_cycle"]["description"]


def test_compliance_follows_the_plans_cycle_when_it_changes(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    early = create_report(client, admin_headers, "xa-bao-lam", "2026-Q1")
    changed = client.patch(
        f"/api/v1/plans/{PLAN}",
        json={"report_cycle": ["year", "half_year"], "report_deadline_working_days": 10},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["report_cycle"] == ["half_year", "year"]
    quarter = client.get(COMPLIANCE, params={"plan": PLAN, "period": "2026-Q1"},
                         headers=admin_headers)  # fmt: skip
    problem = assert_problem(quarter, 422)
    assert problem["errors"][0]["type"] == "period"
    assert "half-year, year" in problem["errors"][0]["msg"]
    half = client.get(COMPLIANCE, params={"plan": PLAN, "period": "2026-H1"},
                      headers=admin_headers)  # fmt: skip
    assert half.status_code == 200, half.text
    assert half.json()["deadline"] == "2026-06-26"  # 10 working days after 14/06
    # Reports are filed for the cycle's periods only; one filed before the change stays.
    refused = client.post(
        REPORTS,
        json={"plan_code": PLAN, "agency_code": "xa-bao-lam", "period": "2026-Q2"},
        headers=admin_headers,
    )
    assert_problem(refused, 422)
    assert client.get(f"{REPORTS}/{early['id']}", headers=admin_headers).status_code == 200
    # The report board's default period: the cycle's report holding the day.
    board = compliance_board(session, plan_code=PLAN, period=None, as_of="2026-03-20")
    assert board.period == "2026-H1"
    assert_problem(
        client.patch(f"/api/v1/plans/{PLAN}", json={"report_cycle": []}, headers=admin_headers),
        422,
    )
    assert_problem(
        client.patch(f"/api/v1/plans/{PLAN}", json={"report_cycle": None}, headers=admin_headers),
        422,
    )


@pytest.mark.parametrize(
    ("day", "cycle", "period"),
    [
        (date(2025, 12, 15), ["quarter", "half_year", "year"], "2026-Q1"),
        (date(2026, 3, 15), ["quarter"], "2026-Q2"),
        (date(2026, 12, 14), ["quarter"], "2026-Q4"),
        (date(2026, 6, 14), ["half_year", "year"], "2026-H1"),
        (date(2026, 6, 15), ["half_year", "year"], "2026"),
        (date(2026, 12, 20), ["half_year", "year"], "2027-H1"),
        (date(2026, 3, 1), ["year"], "2026"),
    ],
)
def test_period_holding(day: date, cycle: list[str], period: str) -> None:
    assert period_holding(day, cycle) == period
