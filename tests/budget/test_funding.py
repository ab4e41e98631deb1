"""Budget lines by funding source (section IV) and for section V duties; what Sở Tài chính
reads when it compiles the estimates."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.vocab import Scope
from tests.budget.test_router import LINES, PLAN, make_line
from tests.helpers import assert_problem, list_all
from tests.plans.factories import key_headers


def test_a_duty_carries_lines_from_several_sources(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    press = key_headers(session, "bao-ptth-cb")
    state = make_line(
        client, press, task_number=None, duty_code="V.5.2", agency_code="bao-ptth-cb",
        estimate_vnd=180_000_000,
    )  # fmt: skip
    assert (state["task_number"], state["duty_code"]) == (None, "V.5.2")
    assert state["funding_source"] == "provincial_budget"  # the default
    other = make_line(
        client, press, task_number=None, duty_code="V.5.2", agency_code="bao-ptth-cb",
        funding_source="other_lawful", estimate_vnd=20_000_000,
    )  # fmt: skip
    assert other["funding_source"] == "other_lawful"
    again = {
        "plan_code": PLAN, "duty_code": "V.5.2", "agency_code": "bao-ptth-cb", "year": 2026,
        "estimate_vnd": 1,
    }  # fmt: skip
    assert_problem(client.post(LINES, json=again, headers=press), 409)
    make_line(client, admin_headers, funding_source="commune_budget", agency_code="xa-bao-lam")
    make_line(client, admin_headers)  # task 8, provincial budget, so-vhttdl
    # The duty's line is the press agency's: another agency's key may not write it.
    commune = key_headers(session, "xa-bao-lam")
    assert_problem(
        client.patch(f"{LINES}/{state['id']}", json={"spent_vnd": 1}, headers=commune), 403
    )

    finance = key_headers(session, "so-tc", [Scope.read])
    lines = list_all(client, LINES, headers=finance, plan=PLAN, duty="V.5.2")
    assert sorted(line["funding_source"] for line in lines) == ["other_lawful", "provincial_budget"]
    by_source = list_all(client, LINES, headers=finance, funding_source="commune_budget")
    assert [line["agency_code"] for line in by_source] == ["xa-bao-lam"]

    totals = client.get(f"{LINES}/totals", params={"plan": PLAN, "year": 2026}, headers=finance)
    assert totals.status_code == 200, totals.text
    body = totals.json()
    assert body["total"]["lines"] == 4
    assert body["total"]["estimate_vnd"] == 180_000_000 + 20_000_000 + 2 * 350_000_000
    sources = {s["funding_source"]: s for s in body["by_funding_source"]}
    assert list(sources) == [
        "central_budget", "provincial_budget", "commune_budget", "other_lawful",
    ]  # fmt: skip
    assert sources["provincial_budget"]["estimate_vnd"] == 530_000_000
    assert sources["other_lawful"]["label_vi"] == "Nguồn kinh phí huy động hợp pháp khác"
    assert sources["central_budget"]["lines"] == 0
    duties = {d["duty_code"]: d for d in body["by_duty"]}
    assert len(duties) == 16 and duties["V.5.2"]["estimate_vnd"] == 200_000_000
    assert duties["V.4"]["lines"] == 0
    assert sum(t["lines"] for t in body["by_task"]) == 2


def test_a_line_names_a_task_or_a_duty(client: TestClient, admin_headers: dict[str, str]) -> None:
    base = {"plan_code": PLAN, "agency_code": "so-vhttdl", "year": 2026, "estimate_vnd": 1}
    both = client.post(LINES, json={**base, "task_number": 8, "duty_code": "V.2.5"},
                       headers=admin_headers)  # fmt: skip
    assert assert_problem(both, 422)["errors"][0]["type"] == "value_error"
    assert_problem(client.post(LINES, json=base, headers=admin_headers), 422)
    unknown = client.post(LINES, json={**base, "duty_code": "V.9.9"}, headers=admin_headers)
    assert assert_problem(unknown, 422)["errors"][0]["loc"] == ["body", "duty_code"]
    wrong = client.post(LINES, json={**base, "task_number": 8, "funding_source": "loan"},
                        headers=admin_headers)  # fmt: skip
    assert_problem(wrong, 422)
