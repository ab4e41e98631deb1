"""The province's socio-political organisations (section V.1: "Ủy ban Mặt trận Tổ quốc Việt
Nam tỉnh và các tổ chức chính trị - xã hội") as agencies of group mttq-doan-the."""

from importlib import resources

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.seed.loader import seed
from tests.helpers import list_all

MASS_ORGANISATIONS = {
    "tinh-doan": "Tỉnh đoàn Cao Bằng (Đoàn TNCS Hồ Chí Minh tỉnh)",
    "hoi-lhpn-tinh": "Hội Liên hiệp Phụ nữ tỉnh Cao Bằng",
    "hoi-nong-dan-tinh": "Hội Nông dân tỉnh Cao Bằng",
    "hoi-ccb-tinh": "Hội Cựu chiến binh tỉnh Cao Bằng",
    "ldld-tinh": "Liên đoàn Lao động tỉnh Cao Bằng",
}


def test_the_front_and_the_mass_organisations_make_the_group(client: TestClient) -> None:
    text = (resources.files("app.seed") / "data" / "kh-209-ubnd-cao-bang.txt").read_text("utf-8")
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội" in text
    group = client.get("/api/v1/agency-groups/mttq-doan-the").json()
    assert group["name"] == "Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội"
    members = list_all(client, "/api/v1/agency-groups/mttq-doan-the/members")
    assert sorted(m["code"] for m in members) == sorted(["ubmttq-tinh", *MASS_ORGANISATIONS])
    for code, name in MASS_ORGANISATIONS.items():
        agency = client.get(f"/api/v1/agencies/{code}").json()
        assert agency["name"] == name
        assert agency["kind"] == "front_or_mass_org"
        assert agency["parent_code"] == "ubmttq-tinh"
        # A placeholder: the role is known, the person is the organisation's to fill in.
        assert agency["focal_point"]["title"].startswith("Chánh Văn phòng")
        assert agency["focal_point"]["name"] is None


def test_seeding_keeps_an_organisations_edits(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    edit = {"focal_point": {"name": "Hoàng Thị Lan", "title": "Phó Chánh Văn phòng"}}
    response = client.patch("/api/v1/agencies/hoi-lhpn-tinh", json=edit, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert str(seed(session)).startswith("nothing to add")
    agency = client.get("/api/v1/agencies/hoi-lhpn-tinh").json()
    assert agency["focal_point"]["name"] == "Hoàng Thị Lan"
    assert agency["focal_point"]["title"] == "Phó Chánh Văn phòng"


def test_a_mass_organisations_staff_count_in_t2026_1(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for metric, value in (("staff_total", 40), ("staff_briefed", 30)):
        body = {"metric": metric, "agency_code": "tinh-doan", "period": "2026", "value": value}
        response = client.post("/api/v1/figures", json=body, headers=admin_headers)
        assert response.status_code == 201, response.text
    status = client.get(
        "/api/v1/plans/kh-209-2026/indicators/T2026-1/status",
        params={"period": "2026", "as_of": "2026-06-30"},
    ).json()
    assert (status["numerator"], status["denominator"]) == (30, 40)
    gaps = {g["agency_code"] for g in status["gap_list"]}
    assert "tinh-doan" in gaps and "hoi-ccb-tinh" in gaps  # 75 % < 100 %; no figures yet
