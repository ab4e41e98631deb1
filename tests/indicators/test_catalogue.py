from copy import deepcopy
from importlib import resources
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.vocab import Scope
from tests.helpers import assert_problem, list_all
from tests.plans.factories import PLAN, audit_actions, key_headers

URL = f"{PLAN}/indicators"
MEASURE: dict[str, Any] = {
    "kind": "agency_coverage",
    "group": "he-thong-ttcs",
    "all_of": [{"any_of": [{"record": "broadcast", "on_topic": True, "origins": ["local"]}]}],
}


def indicator_body(**overrides: Any) -> dict[str, Any]:
    return {
        "code": "T2027-1",
        "position": 17,
        "title": "100% xã, phường phát chuyên mục Bình dân học vụ số",
        "target_year": 2027,
        "target_value": 100,
        "window": "year",
        "measure": deepcopy(MEASURE),
        **overrides,
    }


def codes(client: TestClient, **params: Any) -> list[str]:
    return [i["code"] for i in list_all(client, URL, **params)]


def test_seeded_indicators_are_listed_anonymously(client: TestClient) -> None:
    indicators = list_all(client, URL)
    assert len(indicators) == 16
    assert [i["position"] for i in indicators] == list(range(1, 17))
    assert codes(client, target_year=2026) == [f"T2026-{n}" for n in range(1, 8)]
    assert codes(client, target_year=2030) == [f"T2030-{n}" for n in range(1, 10)]
    five = client.get(f"{URL}/T2026-5")
    assert five.status_code == 200 and five.headers["etag"]
    body = five.json()
    assert body == next(i for i in indicators if i["code"] == "T2026-5")
    assert body["plan_code"] == "kh-209-2026"
    assert (body["target_value"], body["comparator"], body["unit"]) == (100, "at_least", "percent")
    assert body["measure"]["group"] == "he-thong-ttcs"
    assert "second reading" in next(i for i in indicators if i["code"] == "T2026-4")["description"]
    assert_problem(client.get(f"{URL}/T2026-99"), 404)
    assert_problem(client.get("/api/v1/plans/kh-khong-co/indicators"), 404)


def test_indicator_titles_are_verbatim(client: TestClient) -> None:
    text = (resources.files("app.seed") / "data" / "kh-209-ubnd-cao-bang.txt").read_text("utf-8")
    source = " ".join(text.split())
    for indicator in list_all(client, URL):
        assert " ".join(indicator["title"].split()) in source, indicator["code"]


def test_filters_and_pagination(client: TestClient) -> None:
    assert codes(client, window="point_in_time") == ["T2030-2", "T2030-3", "T2030-8"]
    assert codes(client, window="cumulative") == ["T2030-6", "T2030-9"]
    assert codes(client, window="year", target_year=2030) == [
        "T2030-1",
        "T2030-4",
        "T2030-5",
        "T2030-7",
    ]
    assert codes(client, q="TO CONG NGHE SO cong dong") == ["T2026-6", "T2030-6"]
    assert codes(client, q="xuất bản phẩm điện tử") == ["T2030-7"]
    assert codes(client, q="t2026-5") == ["T2026-5"]
    assert codes(client, target_year=2031) == []
    assert codes(client, limit=5) == codes(client)
    first = client.get(URL, params={"limit": 7}).json()
    assert [i["code"] for i in first["items"]] == [f"T2026-{n}" for n in range(1, 8)]
    assert first["next_cursor"]
    assert_problem(client.get(URL, params={"window": "month"}), 422)
    assert_problem(client.get(URL, params={"target_year": 10**20}), 422)


def test_create_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post(URL, json=indicator_body(), headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{URL}/T2027-1"
    body = created.json()
    assert (body["comparator"], body["unit"], body["baseline_value"]) == ("at_least", "percent", 0)
    assert body["measure"] == MEASURE
    assert codes(client, target_year=2027) == ["T2027-1"]
    etag = client.get(f"{URL}/T2027-1").headers["etag"]
    new_measure = {
        "kind": "figure_ratio",
        "groups": ["he-thong-ttcs"],
        "numerator": {"figure": "population_reached"},
        "denominator": {"figure": "population"},
    }
    patched = client.patch(
        f"{URL}/T2027-1",
        json={"measure": new_measure, "target_value": 80, "window": "point_in_time"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["measure"] == new_measure
    assert patched.json()["target_value"] == 80
    assert patched.headers["etag"] != etag
    stale = client.patch(
        f"{URL}/T2027-1", json={"unit": "count"}, headers={**admin_headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    assert client.delete(f"{URL}/T2027-1", headers=admin_headers).status_code == 204
    assert_problem(client.get(f"{URL}/T2027-1"), 404)
    assert len(list_all(client, URL)) == 16
    assert audit_actions(session, "indicator", "kh-209-2026/T2027-1") == [
        "create",
        "update",
        "delete",
    ]


def test_only_admin_writes(client: TestClient, session: Session) -> None:
    writer = key_headers(session, "so-vhttdl", scopes=[Scope.read, Scope.write])
    assert_problem(client.post(URL, json=indicator_body()), 401)
    assert_problem(client.post(URL, json=indicator_body(), headers=writer), 403)
    assert_problem(client.patch(f"{URL}/T2026-5", json={"target_value": 1}, headers=writer), 403)
    assert_problem(client.delete(f"{URL}/T2026-5", headers=writer), 403)
    assert client.get(f"{URL}/T2026-5").json()["target_value"] == 100


def test_bad_input(client: TestClient, admin_headers: dict[str, str]) -> None:
    bad_filter = deepcopy(MEASURE)
    bad_filter["all_of"][0]["any_of"][0]["origins"] = ["abroad"]
    extra_key = deepcopy(MEASURE)
    extra_key["weight"] = 2
    cases = [
        indicator_body(code="t2027-1"),
        indicator_body(code="-T1"),
        indicator_body(code="T" * 41),
        indicator_body(target_year=1999),
        indicator_body(target_value=-1),
        indicator_body(target_value=1e13),
        indicator_body(target_value=10**400),
        indicator_body(baseline_value="nhiều"),
        indicator_body(comparator="about"),
        indicator_body(window="month"),
        indicator_body(unit="x" * 21),
        indicator_body(position=-1),
        indicator_body(title=""),
        indicator_body(description="x" * 5001),
        indicator_body(measure={}),
        indicator_body(measure=[1, 2]),
        indicator_body(measure={"kind": "magic"}),
        indicator_body(measure=bad_filter),
        indicator_body(measure=extra_key),
        indicator_body(measure={**MEASURE, "group": "nhom-khong-co"}),
        indicator_body(
            measure={
                "kind": "figure_ratio",
                "groups": ["he-thong-ttcs", "nhom-khong-co"],
                "numerator": {"figure": "population_reached"},
                "denominator": {"figure": "population"},
            }
        ),
        indicator_body(extra=1),
    ]
    for body in cases:
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    unknown = client.post(
        URL,
        json=indicator_body(measure={**MEASURE, "group": "nhom-khong-co"}),
        headers=admin_headers,
    )
    assert assert_problem(unknown, 422)["errors"][0]["loc"] == ["body", "measure", "group"]
    nested = assert_problem(
        client.post(URL, json=indicator_body(measure=bad_filter), headers=admin_headers), 422
    )
    assert nested["errors"][0]["loc"][:4] == ["body", "measure", "agency_coverage", "all_of"]
    assert_problem(
        client.post(URL, json=indicator_body(code="T2026-5"), headers=admin_headers), 409
    )
    for body in [
        {"title": None},
        {"measure": None},
        {"measure": {"kind": "record_share"}},
        {"measure": {**MEASURE, "group": "nhom-khong-co"}},
        {"code": "T9"},
        {"target_value": "inf"},
    ]:
        problem = assert_problem(
            client.patch(f"{URL}/T2026-5", json=body, headers=admin_headers), 422
        )
        assert problem["errors"], body
    assert client.get(f"{URL}/T2026-5").json()["measure"]["group"] == "he-thong-ttcs"
    assert_problem(client.patch(f"{URL}/T2099-1", json={}, headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/T2099-1", headers=admin_headers), 404)
