"""Each of the sixteen indicators on a small scenario built through the HTTP API.

Expected values are worked out by hand in the comments, never by calling the engine.
Unless a test says otherwise it evaluates period 2026 as of 2026-06-30 (local time):
a 100% target for 2026 then expects 100 × 181/365 = 49.6, and a 2030 target, whose line
runs from the start of the plan's period (01/01/2026, not its issue date 27/01/2026) to
31/12/2030 (1,826 days), expects target × 181/1826 (9.9 for 100%).
"""

from fastapi.testclient import TestClient

from tests.helpers import assert_problem, list_all
from tests.indicators.scenario import Scenario, counted, gap_codes

AS_OF = {"period": "2026", "as_of": "2026-06-30"}
SO_BAN_NGANH = 70  # 14 departments + 53 communes + 3 wards
COMMUNES_AND_WARDS = 56
MTTQ_DOAN_THE = 6  # the Front and the five socio-political organisations under it


def test_t2026_1_staff_briefed_with_a_corrected_figure(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.figure("staff_total", "so-khcn", "2026-Q1", 50)
    s.figure("staff_briefed", "so-khcn", "2026-Q1", 40)
    s.figure("staff_total", "ubmttq-tinh", "2026", 20)
    s.figure("staff_briefed", "ubmttq-tinh", "2026", 30)  # capped at its own 20
    s.figure("staff_total", "xa-bao-lam", "2026-H1", 10)
    s.figure("staff_briefed", "xa-bao-lam", "2026-H1", 10)
    s.figure("staff_briefed", "so-tc", "2026", 5)  # no staff_total: adds nothing
    s.figure("staff_total", "so-yt", "2025", 100)  # outside the 2026 window
    status = s.status("T2026-1", **AS_OF)
    # (40 + 20 + 10) / (50 + 20 + 10) = 70 / 80
    assert (status["numerator"], status["denominator"]) == (70, 80)
    assert status["value"] == 87.5
    assert status["expected"] == 49.6
    assert status["status"] == "on_track"
    # All but ubmttq-tinh and xa-bao-lam.
    assert len(status["gap_list"]) == SO_BAN_NGANH + MTTQ_DOAN_THE - 2

    s.figure("staff_briefed", "so-khcn", "2026-Q1", 45)  # a correction replaces the value
    status = s.status("T2026-1", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (75, 80)
    assert status["value"] == 93.8  # 93.75 rounded for display


def test_t2026_2_agencies_communicating_on_portals_or_loudspeakers(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    portal = s.channel("so-khcn", "portal")
    social = s.channel("so-tc", "social_media")
    section = s.channel("so-yt", "portal_section")
    s.product("so-khcn", "2026-03-01T08:00:00+07:00", channel_ids=[portal])
    s.product("so-tc", "2026-03-01T08:00:00+07:00", channel_ids=[social])  # not a portal
    s.product("so-yt", "2026-07-02T08:00:00+07:00", channel_ids=[section])  # after as_of
    s.broadcast("xa-bao-lam", "2026-04-01T06:00:00+07:00")
    s.broadcast("xa-ly-bon", "2026-04-01T06:00:00+07:00", topics=["local_effort"])  # off topic
    status = s.status("T2026-2", **AS_OF)
    assert counted(status) == {"so-khcn", "xa-bao-lam"}
    assert (status["numerator"], status["denominator"]) == (2, SO_BAN_NGANH)
    assert status["value"] == 2.9  # 2/70 = 2.857
    assert status["status"] == "off_track"  # below 0.8 × 49.6
    assert len(status["gap_list"]) == 68


def test_t2026_3_press_with_dedicated_channel_and_product(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.channel("bao-ptth-cb", "tv_programme", dedicated=True, launched_on="2026-02-01")
    s.product("bao-ptth-cb", "2026-05-05T20:00:00+07:00", kind="video")
    s.channel(
        "tap-chi-nncb",
        "press_column",
        dedicated=True,
        launched_on="2026-02-01",
        closed_on="2026-05-01",
    )
    s.product("tap-chi-nncb", "2026-02-10T09:00:00+07:00")
    status = s.status("T2026-3", **AS_OF)
    assert counted(status) == {"bao-ptth-cb"}  # the magazine's column closed on 1 May
    assert status["value"] == 50.0
    assert status["status"] == "on_track"  # 50.0 ≥ 49.6
    assert gap_codes(status) == {"tap-chi-nncb"}
    row = next(r for r in status["breakdown"] if r["agency_code"] == "tap-chi-nncb")
    assert row["conditions_met"] == [False, True]


def test_t2026_4_share_about_local_efforts_and_the_partner_press_reading(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    when = "2026-04-10T10:00:00+07:00"
    s.product("so-vhttdl", when, topics=["nq57", "local_effort"])
    s.product("bao-ptth-cb", when, topics=["ai", "local_effort"], partner_press="Báo Nhân Dân")
    s.product("so-khcn", when)
    s.product("so-khcn", when)
    s.product("xa-bao-lam", when)
    s.product("so-tc", when, topics=["local_effort"])  # not on-topic: outside the base
    s.product("so-tc", when, topics=["nq57", "local_effort"], retracted_at=when)  # retracted
    status = s.status("T2026-4", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (2, 5)
    assert status["value"] == 40.0
    assert status["expected"] == 40.0  # a share expects the target itself
    assert status["status"] == "achieved"
    assert status["secondary"]["count"] == 1
    assert status["secondary"]["of"] == 5
    assert status["secondary"]["share"] == 20.0


def test_t2026_5_worked_example_of_indicators_md(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    units = list_all(client, "/api/v1/agencies", kind=["commune", "ward"])
    assert len(units) == COMMUNES_AND_WARDS
    covered, uncovered = units[:42], units[42:]
    for index, unit in enumerate(covered):
        origin = "central" if index % 2 else "provincial"
        s.broadcast(unit["code"], "2026-05-20T17:00:00+07:00", origin=origin)
    lagging = uncovered[0]["code"]
    s.broadcast(lagging, "2026-05-20T17:00:00+07:00", origin="local")  # self-produced
    s.broadcast(lagging, "2026-06-30T17:30:00Z")  # 1 July, 00:30 local: after as_of
    s.broadcast(lagging, "2026-05-20T17:00:00+07:00", retracted_at="2026-05-21T08:00:00+07:00")
    status = s.status("T2026-5", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (42, 56)
    assert status["value"] == 75.0
    assert status["expected"] == 49.6
    assert status["status"] == "on_track"
    assert gap_codes(status) == {u["code"] for u in uncovered}
    assert len(status["gap_list"]) == 14
    assert {"name", "focal_point"} <= set(status["gap_list"][0])


def test_t2026_5_counts_in_local_time_and_without_inactive_agencies(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.broadcast("xa-bao-lam", "2026-12-31T23:30:00+07:00")  # still 2026 locally
    s.broadcast("xa-ly-bon", "2026-12-31T17:30:00Z")  # 1 Jan 2027, 00:30 locally
    year_2026 = s.status("T2026-5", period="2026", as_of="2026-12-31")
    assert counted(year_2026) == {"xa-bao-lam"}
    year_2027 = s.status("T2026-5", period="2027", as_of="2027-12-31")
    assert counted(year_2027) == {"xa-ly-bon"}

    retire = client.patch(
        "/api/v1/agencies/xa-nam-quang", json={"valid_to": "2026-03-31"}, headers=admin_headers
    )
    assert retire.status_code == 200
    status = s.status("T2026-5", **AS_OF)
    assert status["denominator"] == 55
    assert "xa-nam-quang" not in gap_codes(status)


def test_t2026_6_digital_team_members_trained_once_each(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.figure("digital_team_members", "to-cns-xa-bao-lam", "2026", 4)
    s.figure("digital_team_members", "to-cns-xa-ly-bon", "2026", 10)
    team = "to-cns-xa-bao-lam"
    s.training(
        "2026-03-10",
        audiences=["digital_team_members"],
        attendance=[{"agency_code": team, "audience": "digital_team_members", "participants": 50}],
        roster=[
            {"full_name": "Nông Văn An", "agency_code": team},
            {"full_name": "Hoàng Thị Bình", "agency_code": team},
        ],
    )
    s.training(
        "2026-05-12",
        audiences=["digital_team_members"],
        roster=[
            {"full_name": "Nông  Văn An", "agency_code": team},  # the same person again
            {"full_name": "Lý Văn Cường", "agency_code": team},
        ],
        attendance=[
            {
                "agency_code": "to-cns-xa-ly-bon",
                "audience": "digital_team_members",
                "participants": 12,
            },
        ],
    )
    status = s.status("T2026-6", **AS_OF)
    # xa-bao-lam's team: roster exists, 3 distinct people of 4 (attendance 50 ignored);
    # xa-ly-bon's team: attendance 12, capped at 10. (3 + 10) / (4 + 10) = 92.86%.
    assert (status["numerator"], status["denominator"]) == (13, 14)
    assert status["value"] == 92.9
    assert status["status"] == "achieved"  # target 80
    rows = {r["agency_code"]: r for r in status["breakdown"]}
    assert rows[team]["counted_by"] == "roster"
    assert rows["to-cns-xa-ly-bon"]["counted_by"] == "attendance"
    assert status["counting"] == "mixed"
    assert len(status["gap_list"]) == 55  # every team but xa-ly-bon's


def test_t2026_7_state_commissioned_print_on_topic(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    when = "2026-02-15T09:00:00+07:00"
    s.product("so-vhttdl", when, kind="print_publication", state_commissioned=True)
    for _ in range(2):
        s.product(
            "so-vhttdl",
            when,
            kind="print_publication",
            state_commissioned=True,
            topics=["good_practice"],
        )
    s.product("so-vhttdl", when, kind="print_publication")  # not commissioned
    status = s.status("T2026-7", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (1, 3)
    assert status["value"] == 33.3
    assert status["status"] == "achieved"  # target 10


def test_t2030_1_results_on_portal_and_social_media(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    results = ["nq57", "implementation_results"]
    when = "2026-04-01T09:00:00+07:00"
    s.product("so-khcn", when, topics=results, channel_ids=[s.channel("so-khcn", "portal")])
    s.product("so-khcn", when, topics=results, channel_ids=[s.channel("so-khcn", "social_media")])
    s.broadcast("xa-bao-lam", when, topics=results)
    s.product(
        "xa-bao-lam", when, topics=results, channel_ids=[s.channel("xa-bao-lam", "social_media")]
    )
    s.product("so-tc", when, topics=results, channel_ids=[s.channel("so-tc", "portal")])
    status = s.status("T2030-1", **AS_OF)
    assert counted(status) == {"so-khcn", "xa-bao-lam"}  # so-tc lacks social media
    assert status["value"] == 2.9
    assert status["expected"] == 9.9
    assert status["status"] == "off_track"  # 2.9 < 0.8 × 9.9


def test_t2030_2_dedicated_portal_sections_at_a_point_in_time(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.channel("so-khcn", "portal_section", dedicated=True, launched_on="2026-03-01")
    s.channel("so-tc", "portal_section", dedicated=True, launched_on="2026-08-01")
    s.channel("so-yt", "portal_section", dedicated=False, launched_on="2026-03-01")
    status = s.status("T2030-2", **AS_OF)
    assert counted(status) == {"so-khcn"}
    assert (status["numerator"], status["denominator"]) == (1, SO_BAN_NGANH)
    later = s.status("T2030-2", period="2026", as_of="2026-09-01")
    assert counted(later) == {"so-khcn", "so-tc"}


def test_t2030_3_dedicated_programmes_of_the_press(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.channel("bao-ptth-cb", "radio_programme", dedicated=True, launched_on="2026-02-01")
    s.channel("tap-chi-nncb", "portal", dedicated=True, launched_on="2026-02-01")
    status = s.status("T2030-3", **AS_OF)
    assert counted(status) == {"bao-ptth-cb"}
    assert status["value"] == 50.0
    assert status["status"] == "on_track"  # 50 ≥ 9.9


def test_t2030_4_digital_products_of_the_press(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.product("tap-chi-nncb", "2026-03-03T09:00:00+07:00", kind="podcast")
    s.product("bao-ptth-cb", "2026-03-03T09:00:00+07:00", kind="leaflet")  # not digital
    status = s.status("T2030-4", **AS_OF)
    assert counted(status) == {"tap-chi-nncb"}
    assert gap_codes(status) == {"bao-ptth-cb"}


def test_t2030_5_self_produced_broadcasts(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    units = [u["code"] for u in list_all(client, "/api/v1/agencies", kind="commune")][:8]
    for code in units[:7]:
        s.broadcast(code, "2026-02-20T06:30:00+07:00", origin="local")
    s.broadcast(units[7], "2026-02-20T06:30:00+07:00", origin="central")
    status = s.status("T2030-5", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (7, 56)
    assert status["value"] == 12.5
    assert status["status"] == "on_track"  # 12.5 ≥ 9.9


def test_t2030_6_members_who_passed_since_the_plan_began(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    team = "to-cns-xa-bao-lam"
    s.figure("digital_team_members", team, "2026", 4)
    s.training(
        "2026-03-10",
        audiences=["digital_team_members"],
        roster=[
            {"full_name": "Nông Văn An", "agency_code": team, "passed": True},
            {"full_name": "Hoàng Thị Bình", "agency_code": team, "passed": False},
        ],
    )
    s.training(
        "2026-01-20",  # before the plan was issued (27/01/2026), inside its period: counts
        audiences=["digital_team_members"],
        roster=[{"full_name": "Lý Văn Cường", "agency_code": team, "passed": True}],
    )
    s.training(
        "2025-12-20",  # before the plan's period began (01/01/2026)
        audiences=["digital_team_members"],
        roster=[{"full_name": "Đàm Thị Dung", "agency_code": team, "passed": True}],
    )
    status = s.status("T2030-6", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (2, 4)
    assert status["value"] == 50.0
    assert status["window"]["start"].startswith("2025-12-31T17:00:00")  # 01/01/2026 local
    assert status["status"] == "on_track"  # 50 ≥ 9.9


def test_t2030_7_state_commissioned_publications_on_topic(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    when = "2026-05-01T09:00:00+07:00"
    s.product("so-vhttdl", when, kind="e_publication", state_commissioned=True)
    s.product(
        "so-vhttdl", when, kind="e_publication", state_commissioned=True, topics=["good_practice"]
    )
    for _ in range(2):
        s.product(
            "so-vhttdl",
            when,
            kind="print_publication",
            state_commissioned=True,
            topics=["good_practice"],
        )
    status = s.status("T2030-7", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (1, 4)
    assert status["expected"] == 30.0
    assert status["status"] == "at_risk"  # 25 < 30 but ≥ 0.8 × 30


def test_t2030_8_population_reached_latest_figures(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.figure("population", "xa-bao-lam", "2025", 10000)
    s.figure("population_reached", "xa-bao-lam", "2026-Q1", 6000)
    s.figure("population_reached", "xa-bao-lam", "2026-Q2", 8500)  # the latest period wins
    s.figure("population", "xa-ly-bon", "2026", 5000)
    s.figure("population_reached", "xa-ly-bon", "2026", 6000)  # capped at 5,000
    status = s.status("T2030-8", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (13500, 15000)
    assert status["value"] == 90.0
    assert status["status"] == "achieved"


def test_t2030_9_communication_staff_trained(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    s = Scenario(client, admin_headers)
    s.figure("comms_staff_total", "so-khcn", "2026", 10)
    s.training(
        "2026-04-04",
        audiences=["comms_staff"],
        attendance=[{"agency_code": "so-khcn", "audience": "comms_staff", "participants": 4}],
    )
    s.training(
        "2026-04-05",
        audiences=["comms_staff"],
        topics=["good_practice"],  # not on the plan's topics
        attendance=[{"agency_code": "so-khcn", "audience": "comms_staff", "participants": 5}],
    )
    status = s.status("T2030-9", **AS_OF)
    assert (status["numerator"], status["denominator"]) == (4, 10)
    assert status["value"] == 40.0
    assert status["expected"] == 6.9  # 70 × 181/1826
    assert status["status"] == "on_track"


def test_plan_status_of_the_empty_seeded_database(client: TestClient) -> None:
    response = client.get("/api/v1/plans/kh-209-2026/status", params=AS_OF)
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["indicators"]) == 16
    for status in body["indicators"]:
        assert status["value"] in (None, 0.0), status["code"]
        assert status["status"] in ("no_data", "off_track"), status["code"]
        population = [r for r in status["breakdown"]]
        kind = status["code"]
        if kind not in ("T2026-4", "T2026-7", "T2030-7"):  # record shares have no population
            assert len(status["gap_list"]) == len(population) > 0, kind
    by_code = {s["code"]: s for s in body["indicators"]}
    assert by_code["T2026-5"]["denominator"] == 56
    assert by_code["T2026-4"]["status"] == "no_data"  # no products: denominator 0


def test_invalid_period_and_as_of_are_problems(client: TestClient) -> None:
    url = "/api/v1/plans/kh-209-2026/indicators/T2026-5/status"
    for params in (
        {"period": "2026-Q5"},
        {"period": "2026-13"},
        {"period": "26"},
        {"as_of": "2025-12-31"},
        {"as_of": "2031-01-01"},
        {"as_of": "yesterday"},
        {"as_of": "2026-06-30T10:00:00"},
        {"period": "2035"},
    ):
        assert_problem(client.get(url, params=params), 422)
    assert_problem(client.get("/api/v1/plans/kh-209-2026/indicators/T9999/status"), 404)
    assert_problem(client.get("/api/v1/plans/khong-co/status"), 404)


def test_a_plans_status_is_each_indicators_own_status(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """The plan's status reads what its sixteen indicators need at once (engine.prepare);
    each indicator's entry must still be exactly what that indicator's own status says,
    at the end of a day and inside one."""
    s = Scenario(client, admin_headers)
    s.figure("staff_total", "so-khcn", "2026-Q1", 50)
    s.figure("staff_briefed", "so-khcn", "2026-Q1", 40)
    s.figure("population", "xa-bao-lam", "2025", 10000)
    s.figure("population_reached", "xa-bao-lam", "2026-Q2", 8500)
    s.figure("digital_team_members", "to-cns-xa-bao-lam", "2026", 4)
    s.figure("comms_staff_total", "so-khcn", "2026", 10)
    s.training(
        "2026-03-10",
        audiences=["digital_team_members", "comms_staff"],
        attendance=[{"agency_code": "so-khcn", "audience": "comms_staff", "participants": 3}],
        roster=[{"full_name": "Nông Văn An", "agency_code": "to-cns-xa-bao-lam", "passed": True}],
    )
    s.broadcast("xa-bao-lam", "2026-06-30T06:00:00+07:00")
    s.broadcast("xa-ly-bon", "2026-06-30T20:00:00+07:00", origin="local")
    s.product("so-khcn", "2026-05-01T09:00:00+07:00", topics=["nq57", "local_effort"])
    s.product("bao-ptth-cb", "2026-06-30T10:00:00+07:00")
    for as_of in ("2026-06-30", "2026-06-30T12:00:00+07:00"):
        params = {"period": "2026", "as_of": as_of}
        response = client.get("/api/v1/plans/kh-209-2026/status", params=params)
        assert response.status_code == 200, response.text
        in_plan = response.json()["indicators"]
        assert len(in_plan) == 16
        assert any(entry["numerator"] for entry in in_plan)
        for entry in in_plan:
            alone = s.status(entry["code"], **params)
            for body in (entry, alone):
                body.pop("computed_at")
            assert entry == alone, entry["code"]


def test_as_of_the_first_instant_of_a_period_nothing_counts_yet(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """The day's tallies hold a broadcast aired later that morning: the part of the day
    after ``as_of`` is taken back off, in one indicator's status and in the plan's."""
    s = Scenario(client, admin_headers)
    s.broadcast("xa-bao-lam", "2026-02-01T06:00:00+07:00")
    for code in ("T2026-5", "T2030-5"):
        status = s.status(code, period="2026-02", as_of="2026-02-01T00:00:00+07:00")
        assert status["numerator"] == 0, code
    response = client.get(
        "/api/v1/plans/kh-209-2026/status",
        params={"period": "2026-02", "as_of": "2026-02-01T00:00:00+07:00"},
    )
    assert response.status_code == 200, response.text
    in_plan = {entry["code"]: entry for entry in response.json()["indicators"]}
    assert in_plan["T2026-5"]["numerator"] == in_plan["T2030-5"]["numerator"] == 0
    assert (
        s.status("T2026-5", period="2026-02", as_of="2026-02-01T07:00:00+07:00")["numerator"] == 1
    )
