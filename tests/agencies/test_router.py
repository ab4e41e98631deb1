from fastapi.testclient import TestClient

from tests.helpers import assert_problem, list_all, make_agency


def test_seeded_communes_and_wards_are_listed_anonymously(client: TestClient) -> None:
    communes = list_all(client, "/api/v1/agencies", kind="commune")
    wards = list_all(client, "/api/v1/agencies", kind="ward")
    assert len(communes) == 53
    assert len(wards) == 3
    assert {a["code"] for a in wards} == {
        "phuong-thuc-phan",
        "phuong-nung-tri-cao",
        "phuong-tan-giang",
    }
    both = list_all(client, "/api/v1/agencies", kind=["commune", "ward"])
    assert len(both) == 56


def test_each_commune_has_a_digital_team(client: TestClient) -> None:
    teams = list_all(client, "/api/v1/agencies", kind="community_digital_team")
    assert len(teams) == 56
    team = client.get("/api/v1/agencies/to-cns-xa-bao-lam").json()
    assert team["parent_code"] == "xa-bao-lam"
    assert team["name"] == "Tổ công nghệ số cộng đồng xã Bảo Lâm"


def test_search_ignores_diacritics(client: TestClient) -> None:
    found = list_all(client, "/api/v1/agencies", q="van hoa the thao")
    assert [a["code"] for a in found] == ["so-vhttdl"]
    found = list_all(client, "/api/v1/agencies", q="BẢO LÂM", kind="commune")
    assert [a["code"] for a in found] == ["xa-bao-lam"]
    assert list_all(client, "/api/v1/agencies", q="100%_") == []


def test_create_read_update_delete(client: TestClient, admin_headers: dict[str, str]) -> None:
    created = make_agency(client, admin_headers, focal_point={"name": "Lý Thị Hoa"})
    assert created["focal_point"]["name"] == "Lý Thị Hoa"
    got = client.get("/api/v1/agencies/xa-thu-nghiem")
    etag = got.headers["etag"]
    patched = client.patch(
        "/api/v1/agencies/xa-thu-nghiem",
        json={"valid_to": "2026-06-30"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False
    assert patched.headers["etag"] != etag
    stale = client.patch(
        "/api/v1/agencies/xa-thu-nghiem",
        json={"name": "UBND xã Khác"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert_problem(stale, 412)
    assert client.delete("/api/v1/agencies/xa-thu-nghiem", headers=admin_headers).status_code == 204
    assert_problem(client.get("/api/v1/agencies/xa-thu-nghiem"), 404)


def test_filters_parent_group_and_active_on(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    make_agency(
        client,
        admin_headers,
        code="huyen-cu",
        name="UBND huyện Cũ",
        kind="other",
        valid_to="2025-06-30",
    )
    active = list_all(client, "/api/v1/agencies", active_on="2026-01-01", kind="other")
    assert "huyen-cu" not in {a["code"] for a in active}
    before = list_all(client, "/api/v1/agencies", active_on="2025-01-01", kind="other")
    assert "huyen-cu" in {a["code"] for a in before}
    children = list_all(client, "/api/v1/agencies", parent="xa-bao-lam")
    assert [a["code"] for a in children] == ["to-cns-xa-bao-lam"]
    press = list_all(client, "/api/v1/agencies", group="bao-chi-tinh")
    assert {a["code"] for a in press} == {"bao-ptth-cb", "tap-chi-nncb"}
    assert_problem(client.get("/api/v1/agencies", params={"group": "khong-co"}), 404)


def test_pagination_while_rows_are_inserted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    seen: list[str] = []
    cursor = None
    inserted = 0
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/agencies", params=params).json()
        seen.extend(a["code"] for a in page["items"])
        if inserted < 3:
            make_agency(client, admin_headers, code=f"xa-moi-{inserted}", name=f"Xã mới {inserted}")
            inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no agency is served twice"
    everything = {a["code"] for a in list_all(client, "/api/v1/agencies")}
    assert set(seen) == everything, "no agency is skipped"


def test_bad_input_on_writes(client: TestClient, admin_headers: dict[str, str]) -> None:
    url = "/api/v1/agencies"
    cases = [
        {"code": "Bad Code", "name": "x", "kind": "commune"},
        {"code": "xa-a", "name": "x", "kind": "planet"},
        {"code": "xa-a", "name": "x\u0000", "kind": "commune"},
        {"code": "xa-a", "name": "x", "kind": "commune", "admin_code": "1" * 40},
        {
            "code": "xa-a",
            "name": "x",
            "kind": "commune",
            "valid_from": "2026-02-01",
            "valid_to": "2026-01-01",
        },
        {"code": "xa-a", "name": "x", "kind": "commune", "unknown": 1},
        {"code": "xa-a", "name": "x" * 301, "kind": "commune"},
    ]
    for body in cases:
        problem = assert_problem(client.post(url, json=body, headers=admin_headers), 422)
        assert problem["errors"], body
    unknown_parent = {"code": "xa-a", "name": "x", "kind": "commune", "parent_code": "khong-co"}
    assert_problem(client.post(url, json=unknown_parent, headers=admin_headers), 422)
    malformed = client.post(
        url, content=b'{"code": ', headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert_problem(malformed, 400)
    duplicate = {"code": "so-vhttdl", "name": "x", "kind": "department"}
    assert_problem(client.post(url, json=duplicate, headers=admin_headers), 409)
    assert_problem(client.post(url, json={"code": "xa-b", "name": "x", "kind": "commune"}), 401)
    assert_problem(client.get(url, params={"limit": 10**30}), 422)
    assert_problem(client.get(url, params={"cursor": "not-a-cursor"}), 422)
    cycle = client.patch(
        "/api/v1/agencies/ubnd-tinh", json={"parent_code": "so-vhttdl"}, headers=admin_headers
    )
    assert_problem(cycle, 422)
    referenced = client.delete("/api/v1/agencies/ubnd-tinh", headers=admin_headers)
    assert_problem(referenced, 409)


def test_groups(client: TestClient, admin_headers: dict[str, str]) -> None:
    groups = {g["code"]: g for g in list_all(client, "/api/v1/agency-groups")}
    assert set(groups) == {
        "so-ban-nganh-dia-phuong",
        "mttq-doan-the",
        "bao-chi-tinh",
        "he-thong-ttcs",
        "to-cns-cong-dong",
        "toan-tinh",
    }
    members = list_all(client, "/api/v1/agency-groups/he-thong-ttcs/members")
    assert len(members) == 56
    created = client.post(
        "/api/v1/agency-groups",
        json={"code": "nhom-thu", "name": "Nhóm thử", "members": ["xa-bao-lam", "so-khcn"]},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["members"] == ["so-khcn", "xa-bao-lam"]
    patched = client.patch(
        "/api/v1/agency-groups/nhom-thu",
        json={"members": ["so-tc"], "member_kinds": ["press"]},
        headers=admin_headers,
    )
    assert patched.status_code == 200, patched.text
    codes = {a["code"] for a in list_all(client, "/api/v1/agency-groups/nhom-thu/members")}
    assert codes == {"so-tc", "bao-ptth-cb", "tap-chi-nncb"}
    bad = client.post(
        "/api/v1/agency-groups",
        json={"code": "x-y", "name": "n", "members": ["khong-co"]},
        headers=admin_headers,
    )
    assert_problem(bad, 422)
    assert client.delete("/api/v1/agency-groups/nhom-thu", headers=admin_headers).status_code == 204
