"""A province with records, built through the HTTP API: the pages' tests (ASGI client)
and the browser tests (a real server) read the same world.

Two thirds of the communes and wards air an on-topic provincial re-broadcast between
January and June, a few produce their own; four departments publish on their portals;
the press runs a dedicated programme; print publications, figures, a digital-team
training and two reports for 2026-Q3 (one submitted, one draft) complete it.
"""

from typing import Any, Protocol

from tests.indicators.scenario import Scenario

PLAN = "kh-209-2026"
PERIOD = "2026"
AS_OF = "2026-06-30"
WHEN = {"period": PERIOD, "as_of": AS_OF}
REPORT_PERIOD = "2026-Q3"


class Client(Protocol):
    """What the world needs of a client: Starlette's TestClient or an httpx.Client."""

    def get(self, url: str, **kwargs: Any) -> Any: ...

    def post(self, url: str, **kwargs: Any) -> Any: ...


def communes_and_wards(client: Client) -> list[str]:
    codes: list[str] = []
    for kind in ("commune", "ward"):
        answer = client.get("/api/v1/agencies", params={"kind": kind, "limit": 500})
        assert answer.status_code == 200, answer.text
        codes += [item["code"] for item in answer.json()["items"]]
    return sorted(codes)


def _records(s: Scenario, units: list[str]) -> None:
    for i, code in enumerate(units[: 2 * len(units) // 3]):
        s.broadcast(code, f"2026-{1 + i % 6:02d}-{10 + i % 15:02d}T06:00:00+07:00")
    for code in units[:8]:
        s.broadcast(code, "2026-04-20T18:00:00+07:00", origin="local")
    for department in ("so-khcn", "so-tc", "so-yt", "so-vhttdl"):
        portal = s.channel(department, "portal")
        s.product(department, "2026-03-05T08:00:00+07:00", channel_ids=[portal])
    s.channel("bao-ptth-cb", "tv_programme", dedicated=True, launched_on="2026-02-01")
    s.product("bao-ptth-cb", "2026-05-05T20:00:00+07:00", kind="video")
    s.product("so-khcn", "2026-02-12T08:00:00+07:00", topics=["nq57", "local_effort"])
    for topics in (["nq57"], ["good_practice"]):
        s.product(
            "so-vhttdl",
            "2026-02-15T09:00:00+07:00",
            kind="print_publication",
            state_commissioned=True,
            topics=topics,
        )


def _figures(s: Scenario, units: list[str]) -> None:
    s.figure("staff_total", "so-khcn", "2026-Q1", 50)
    s.figure("staff_briefed", "so-khcn", "2026-Q1", 40)
    teams = [f"to-cns-{code}" for code in units[:10]]
    for team in teams:
        s.figure("digital_team_members", team, "2026", 5)
    s.training(
        "2026-03-10",
        audiences=["digital_team_members"],
        attendance=[
            {"agency_code": team, "audience": "digital_team_members", "participants": 4}
            for team in teams[:6]
        ],
    )
    for code in units[:5]:
        s.figure("population", code, "2026", 10000)
        s.figure("population_reached", code, "2026-Q2", 7000)


def _reports(client: Client, headers: dict[str, str]) -> None:
    board = client.get(
        "/api/v1/reports/compliance",
        params={"plan": PLAN, "period": REPORT_PERIOD},
        headers=headers,
    )
    assert board.status_code == 200, board.text
    first, second = [a["agency_code"] for a in board.json()["agencies"][:2]]
    for agency in (first, second):
        made = client.post(
            "/api/v1/reports",
            json={
                "plan_code": PLAN,
                "agency_code": agency,
                "period": REPORT_PERIOD,
                "results": f"Kết quả tuyên truyền Nghị quyết 57 của {agency}.",
            },
            headers=headers,
        )
        assert made.status_code == 201, made.text
        if agency == first:
            sent = client.post(f"/api/v1/reports/{made.json()['id']}/submit", headers=headers)
            assert sent.status_code == 200, sent.text


def populate(client: Client, headers: dict[str, str]) -> None:
    """Every record goes in as an integrator's would: through the API, with a key."""
    s = Scenario(client, headers)  # type: ignore[arg-type]
    units = communes_and_wards(client)
    _records(s, units)
    _figures(s, units)
    _reports(client, headers)
