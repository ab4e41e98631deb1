"""The compliance board shows what /api/v1/reports/compliance answers."""

from fastapi.testclient import TestClient

from tests.pages.html import links, parse, rows, squash
from tests.pages.world import PLAN, REPORT_PERIOD

STATES = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp (quá hạn)",
    "not_due": "Chưa đến hạn",
}


def test_board_equals_the_compliance_api(
    client: TestClient, admin_headers: dict[str, str], world: None
) -> None:
    for as_of in ("2026-09-30", "2026-09-01"):
        api = client.get(
            "/api/v1/reports/compliance",
            params={
                "plan": PLAN,
                "period": REPORT_PERIOD,
                "as_of": f"{as_of}T23:59:59.999999+07:00",  # the end of that day
            },
            headers=admin_headers,
        ).json()
        page = client.get(
            f"/plans/{PLAN}/reports",
            params={"period": REPORT_PERIOD, "as_of": as_of},
            headers=admin_headers,
        )
        assert page.status_code == 200, page.text
        shown = rows(page.text, "data-agency")
        assert set(shown) == {a["agency_code"] for a in api["agencies"]}
        for agency in api["agencies"]:
            row = shown[agency["agency_code"]]
            assert row["state.status"] == agency["state"]
            assert STATES[agency["state"]] in row["state"]
        summary = {
            e.attrs["data-state"]: int(squash(e.text))
            for e in parse(page.text)
            if e.tag == "strong" and "data-state" in e.attrs
        }
        assert summary == api["summary"]
        json_link = [link for link in links(page.text) if "/api/v1/reports/compliance" in link]
        assert json_link == [
            f"/api/v1/reports/compliance?plan={PLAN}&period={REPORT_PERIOD}"
            f"&as_of={as_of}T23%3A59%3A59.999999%2B07%3A00"
        ]


def test_board_defaults_to_the_current_reporting_quarter(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    page = client.get(
        f"/plans/{PLAN}/reports", params={"as_of": "2026-03-20"}, headers=admin_headers
    )
    assert page.status_code == 200
    assert 'value="2026-Q2"' in page.text  # 15/03 to 14/06 is the second quarter's window
