"""Provinces side by side in one database: each plan counts its own province's agencies,
a province administrator administers its province alone, the national view ranks them."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.vocab import Scope
from tests.channels.factories import key_headers
from tests.helpers import assert_problem, list_all
from tests.indicators.scenario import Scenario

API = "/api/v1"
HN = "ha-noi"
HN_PLAN = "kh-nq57-ha-noi-2026"
AS_OF = {"period": "2026", "as_of": "2026-06-30"}


def _post(client: TestClient, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = client.post(API + url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _ha_noi(client: TestClient, admin: dict[str, str]) -> None:
    """Hà Nội's people's committee, Sở VHTTDL, two wards (each with a digital team under
    it, inheriting the province) and a plan with Plan 209's T2026-5 on the seed's group."""
    ubnd = {"code": "ubnd-ha-noi", "name": "UBND thành phố Hà Nội"}
    _post(client, "/agencies", {**ubnd, "kind": "provincial_committee", "province_code": HN}, admin)
    for code, name, kind in (
        ("so-vhttdl-ha-noi", "Sở Văn hóa và Thể thao Hà Nội", "department"),
        ("phuong-ba-dinh-ha-noi", "UBND phường Ba Đình", "ward"),
        ("phuong-hoan-kiem-ha-noi", "UBND phường Hoàn Kiếm", "ward"),
    ):
        body = {"code": code, "name": name, "kind": kind, "parent_code": "ubnd-ha-noi"}
        assert _post(client, "/agencies", body, admin)["province_code"] == HN
    team = {"code": "to-cns-phuong-ba-dinh-ha-noi", "name": "Tổ công nghệ số phường Ba Đình"}
    body = {**team, "kind": "community_digital_team", "parent_code": "phuong-ba-dinh-ha-noi"}
    assert _post(client, "/agencies", body, admin)["province_code"] == HN
    plan = {
        "code": HN_PLAN,
        "document_number": "57/KH-UBND",
        "title": "Kế hoạch tuyên truyền Nghị quyết số 57-NQ/TW trên địa bàn thành phố Hà Nội",
        "issued_on": "2026-02-02",
        "issuer_code": "ubnd-ha-noi",
        "coordinator_code": "so-vhttdl-ha-noi",
        "start_on": "2026-01-01",
        "end_on": "2030-12-31",
        "on_topic_topics": ["nq57", "digital_transformation"],
    }
    assert _post(client, "/plans", plan, admin)["province_code"] == HN  # its coordinator's
    seeded = client.get(f"{API}/plans/kh-209-2026/indicators/T2026-5").json()
    fields = ("code", "title", "target_year", "target_value", "window", "measure", "unit")
    _post(client, f"/plans/{HN_PLAN}/indicators", {f: seeded[f] for f in fields}, admin)


def test_each_plan_counts_its_own_provinces_agencies(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    _ha_noi(client, admin_headers)
    s = Scenario(client, admin_headers)
    s.broadcast("xa-bao-lam", "2026-03-01T07:00:00+07:00")
    s.broadcast("phuong-ba-dinh-ha-noi", "2026-03-01T07:00:00+07:00")

    cao_bang = s.status("T2026-5", **AS_OF)
    assert (cao_bang["numerator"], cao_bang["denominator"]) == (1, 56)  # 53 xã + 3 phường
    assert not {a["agency_code"] for a in cao_bang["breakdown"]} & {"phuong-ba-dinh-ha-noi"}
    url = f"{API}/plans/{HN_PLAN}/indicators/T2026-5/status"
    ha_noi = client.get(url, params=AS_OF).json()
    assert (ha_noi["numerator"], ha_noi["denominator"]) == (1, 2)
    assert [g["agency_code"] for g in ha_noi["gap_list"]] == ["phuong-hoan-kiem-ha-noi"]

    # The group's members, province by province.
    members = list_all(client, f"{API}/agencies", group="he-thong-ttcs", province=HN)
    assert [a["code"] for a in members] == ["phuong-ba-dinh-ha-noi", "phuong-hoan-kiem-ha-noi"]
    cao_bang_units = list_all(client, f"{API}/agencies", group="he-thong-ttcs", province="cao-bang")
    assert len(cao_bang_units) == 56


def test_province_admin_administers_its_province_alone(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    _ha_noi(client, admin_headers)
    hn_admin = key_headers(session, "so-vhttdl-ha-noi", [Scope.admin, Scope.read, Scope.write])
    cb_admin = key_headers(session, "so-vhttdl", [Scope.admin, Scope.read, Scope.write])

    # Another province's agencies, plan, keys and records: 403, nothing changed.
    denied = [
        client.patch(
            f"{API}/agencies/xa-bao-lam", json={"short_name": "Bảo Lâm"}, headers=hn_admin
        ),
        client.patch(f"{API}/plans/kh-209-2026", json={"end_on": "2029-12-31"}, headers=hn_admin),
        client.post(
            f"{API}/api-keys",
            json={"agency_code": "xa-bao-lam", "scopes": ["read"], "name": "Loa xã"},
            headers=hn_admin,
        ),
        client.post(
            f"{API}/agencies",
            json={
                "code": "xa-moi",
                "name": "UBND xã Mới",
                "kind": "commune",
                "parent_code": "ubnd-tinh",
            },
            headers=hn_admin,
        ),
        client.post(
            f"{API}/figures",
            json={
                "metric": "staff_total",
                "agency_code": "so-vhttdl",
                "period": "2026",
                "value": 9,
            },
            headers=hn_admin,
        ),
        client.get(
            f"{API}/reports/consolidated",
            params={"plan": "kh-209-2026", "period": "2026-Q1"},
            headers=hn_admin,
        ),
        client.patch(f"{API}/plans/{HN_PLAN}", json={"end_on": "2029-12-31"}, headers=cb_admin),
        client.post(
            f"{API}/agency-groups", json={"code": "nhom-hn", "name": "Nhóm"}, headers=hn_admin
        ),
    ]
    for response in denied:
        assert_problem(response, 403)
    assert client.get(f"{API}/plans/kh-209-2026").json()["end_on"] == "2030-12-31"

    # Its own province: allowed; a new agency without a parent is the province's.
    body = {"code": "xa-moi-ha-noi", "name": "UBND xã Mới", "kind": "commune"}
    assert _post(client, "/agencies", body, hn_admin)["province_code"] == HN
    key = {"agency_code": "phuong-ba-dinh-ha-noi", "scopes": ["read", "write"], "name": "Loa"}
    _post(client, "/api-keys", key, hn_admin)
    keys = list_all(client, f"{API}/api-keys", headers=hn_admin)
    assert {k["agency_code"] for k in keys} == {"so-vhttdl-ha-noi", "phuong-ba-dinh-ha-noi"}
    events = list_all(client, f"{API}/audit-events", headers=hn_admin, entity="agency")
    assert events and all(e["agency_code"].endswith("-ha-noi") for e in events)


def test_national_view_ranks_the_provinces(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    _ha_noi(client, admin_headers)
    s = Scenario(client, admin_headers)
    for unit in ("phuong-ba-dinh-ha-noi", "xa-bao-lam"):
        s.broadcast(unit, "2026-03-01T07:00:00+07:00")

    response = client.get(f"{API}/status", params=AS_OF)
    assert response.status_code == 200, response.text
    national = response.json()
    assert national["period"] == "2026"
    assert [p["plan_code"] for p in national["plans"]] == ["kh-209-2026", HN_PLAN]
    assert [p["province_code"] for p in national["plans"]] == ["cao-bang", HN]
    assert len(national["plans"][0]["indicators"]) == 16
    [shared] = national["indicators"]  # the one code both plans have
    assert shared["code"] == "T2026-5"
    ranked = [(r["rank"], r["plan_code"], r["value"]) for r in shared["ranking"]]
    assert ranked == [(1, HN_PLAN, 50.0), (2, "kh-209-2026", round(100 / 56, 1))]

    early = client.get(f"{API}/status", params={"period": "2025", "as_of": "2025-06-30"})
    assert early.status_code == 200, early.text
    assert (early.json()["plans"], early.json()["left_out"]) == ([], ["kh-209-2026", HN_PLAN])
    assert_problem(client.get(f"{API}/status", params={"as_of": "30/06/2026"}), 422)
