"""Section V of Plan 209 as the seed loads it, checked against the published text."""

import re
from importlib import resources

from fastapi.testclient import TestClient

from tests.helpers import assert_problem, list_all
from tests.plans.factories import PLAN

URL = f"{PLAN}/duties"

# Read from the plan (section V), not from the seed file: who owns and who coordinates.
OWNERS: dict[str, list[tuple[str, str]]] = {
    "V.1": [("agency", "ban-tgdv-tu"), ("group", "mttq-doan-the")],
    **{f"V.2.{i}": [("agency", "so-vhttdl")] for i in range(1, 6)},
    **{f"V.3.{i}": [("agency", "so-khcn")] for i in range(1, 3)},
    "V.4": [("agency", "so-tc")],
    **{f"V.5.{i}": [("agency", "bao-ptth-cb")] for i in range(1, 5)},
    **{f"V.6.{i}": [("group", "so-ban-nganh-dia-phuong")] for i in range(1, 4)},
}
COORDINATORS = {
    "V.2.2": ["so-khcn"],
    "V.2.3": ["so-khcn"],
    "V.2.4": ["so-khcn"],
    "V.3.1": ["so-vhttdl"],
    "V.3.2": ["so-vhttdl"],
}
# The headings of section V as printed, with the agency (or group) each one names.
HEADINGS = {
    "1": "Đề nghị Ban Tuyên giáo và Dân vận Tỉnh ủy, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh "
    "và các tổ chức chính trị - xã hội",
    "2": "Sở Văn hóa, Thể thao và Du lịch",
    "3": "Sở Khoa học và Công nghệ",
    "4": "Sở Tài chính",
    "5": "Báo và Phát thanh, Truyền hình Cao Bằng",
    "6": "Các sở, ban, ngành, địa phương",
}


def plan_text() -> str:
    return (resources.files("app.seed") / "data" / "kh-209-ubnd-cao-bang.txt").read_text("utf-8")


def section_v() -> dict[str, list[str]]:
    """Section V's items by heading number, read straight from the text: each `- ` line
    (or the one paragraph under a heading) is an item; a line starting in lower case
    continues the one before it (a page break)."""
    body = plan_text().split("V. TỔ CHỨC THỰC HIỆN", 1)[1].split("Trên đây là", 1)[0]
    items: dict[str, list[str]] = {}
    current = ""
    for raw in body.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        heading = re.fullmatch(r"([1-6])\. (.+)", line)
        if heading:
            current = heading.group(1)
            assert heading.group(2) == HEADINGS[current]
            items[current] = []
        elif line[0].islower():
            items[current][-1] += " " + line
        else:
            items[current].append(line.removeprefix("- "))
    return items


def test_every_section_v_assignment_is_a_duty_with_the_plans_wording(client: TestClient) -> None:
    duties = {d["code"]: d for d in list_all(client, URL)}
    expected = {}
    for number, items in section_v().items():
        if len(items) == 1:
            expected[f"V.{number}"] = (number, items[0])
        else:
            expected.update({f"V.{number}.{i}": (number, t) for i, t in enumerate(items, 1)})
    assert list(duties) == list(expected) and len(duties) == 16
    for code, (number, text) in expected.items():
        duty = duties[code]
        assert duty["text"] == text, code
        assert duty["owner_text"] == HEADINGS[number], code
        assert duty["section"] == f"V.{number}"
        assert duty["schedule_kind"] == "recurring"
        owners = [("agency", p["agency_code"]) if p["agency_code"] else ("group", p["group_code"])
                  for p in duty["leads"]]  # fmt: skip
        assert owners == OWNERS[code], code
        assert [p["agency_code"] for p in duty["coordinators"]] == COORDINATORS.get(code, [])
        assert all(p["name"] for p in duty["leads"] + duty["coordinators"])
        if duty["coordinating_text"]:
            assert duty["coordinating_text"] in " ".join(plan_text().split()), code
    # The page break inside V.5's third item is read as one item.
    assert duties["V.5.3"]["text"].endswith("doanh nghiệp, người dân...).")
    assert "của đơn vị; xây dựng kênh truyền thông chuyên biệt" in duties["V.5.3"]["text"]


def test_duties_by_agency_and_section(client: TestClient) -> None:
    def codes(**params: str) -> list[str]:
        return [d["code"] for d in list_all(client, URL, **params)]

    # A mass organisation owns V.1 through its group; a commune owns V.6 through its.
    assert codes(agency="tinh-doan") == ["V.1"]
    assert codes(agency="xa-bao-lam") == ["V.6.1", "V.6.2", "V.6.3"]
    assert codes(agency="so-tc") == ["V.4", "V.6.1", "V.6.2", "V.6.3"]
    assert codes(agency="so-khcn", role="coordinating") == ["V.2.2", "V.2.3", "V.2.4"]
    assert codes(section="V.3") == ["V.3.1", "V.3.2"]
    assert codes(q="phan bac") == ["V.5.4"]
    one = client.get(f"{URL}/V.5.4")
    assert one.status_code == 200 and one.headers["etag"]
    assert one.json()["owner_text"] == "Báo và Phát thanh, Truyền hình Cao Bằng"
    assert_problem(client.get(f"{URL}/V.9"), 404)
    assert_problem(client.get(f"{URL}/V..1"), 422)
    assert_problem(client.get(f"{URL}", params={"agency": "khong-co"}), 404)
