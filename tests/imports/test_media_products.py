"""A press agency's and a portal's list of products, as a CSV saved from Excel."""

import unicodedata

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.imports.helpers import csv_bytes, errors_of, outcomes, upload

HEADER = [
    "Mã dòng", "Đơn vị thực hiện (*)", "Loại sản phẩm (*)", "Tiêu đề (*)",
    "Ngày đăng, phát hành (*)", "Đường dẫn (URL)", "Tóm tắt", "Chủ đề", "Đối tượng",
    "Ngôn ngữ", "Cơ quan báo chí phối hợp (ngoài tỉnh)", "Đặt hàng bằng ngân sách nhà nước",
    "Lượt xem", "Lượt nghe", "Số bản in",
]  # fmt: skip
ROWS = [
    # line 2: an article with its link, views typed with the Vietnamese thousands mark
    ["BCB-3179", "Báo và Phát thanh, Truyền hình Cao Bằng", "Bài viết",
     "Chuyển đổi số ở Cao Bằng: từ Nghị quyết 57 đến từng thôn bản", "14/03/2026 08:30",
     "https://baocaobang.vn/chuyen-doi-so-o-cao-bang-3179.html", "",
     "Nghị quyết 57-NQ/TW; Nỗ lực của địa phương",
     "Người dân; Cán bộ, công chức", "", "Báo Nhân Dân", "", "12.500", "", ""],
    # line 3: a leaflet printed on the state budget, a day without time, codes as values
    ["", "so-vhttdl", "leaflet", "Tờ rơi phong trào Bình dân học vụ số", "01/04/2026", "", "",
     "digital_literacy", "ethnic_minorities", "Tiếng Tày", "", "Có", "", "", "5.000"],
    # line 4: a link without http://, refused by the push rules
    ["", "Cổng Thông tin điện tử tỉnh Cao Bằng", "Tin", "Cao Bằng triển khai Kế hoạch 209",
     "02/02/2026 09:00", "caobang.gov.vn/tin-tuc/209", "", "Nghị quyết 57-NQ/TW", "", "", "",
     "", "", "", ""],
    # line 5: a kind not in the list
    ["", "Cổng Thông tin điện tử tỉnh Cao Bằng", "Bài báo", "Hội nghị quán triệt NQ57",
     "03/02/2026", "", "", "", "", "", "", "", "", "", ""],
    # line 6: "Có/Không" answered otherwise
    ["", "Tạp chí Non nước Cao Bằng", "Xuất bản phẩm in", "Đặc san khoa học và công nghệ",
     "15/03/2026", "", "", "Khoa học, công nghệ", "", "", "", "Chắc chắn", "", "", "2000"],
]  # fmt: skip


def test_products_then_again(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    content = csv_bytes([HEADER, *ROWS])
    answer = upload(client, admin_headers, "media-products", content, name="san-pham.csv").json()
    assert answer["file_format"] == "csv"
    assert outcomes(answer) == {
        2: "created",
        3: "created",
        4: "rejected",
        5: "rejected",
        6: "rejected",
    }
    link = errors_of(answer, 4)
    assert (link[0]["column"], link[0]["type"]) == ("Đường dẫn (URL)", "string_pattern_mismatch")
    assert errors_of(answer, 5)[0]["column"] == "Loại sản phẩm (*)"
    assert "Bài viết" in errors_of(answer, 5)[0]["reason"]  # the list it should be one of
    assert errors_of(answer, 6)[0]["column"] == "Đặt hàng bằng ngân sách nhà nước"

    ids = {r["row"]: r["id"] for r in answer["rows"]}
    article = client.get(f"/api/v1/media-products/{ids[2]}", headers=admin_headers).json()
    assert (article["external_id"], article["views"], article["partner_press"]) == (
        "BCB-3179", 12500, "Báo Nhân Dân"
    )  # fmt: skip
    assert article["published_at"] == "2026-03-14T01:30:00Z"
    assert article["audiences"] == ["citizens", "civil_servants"]
    leaflet = client.get(f"/api/v1/media-products/{ids[3]}", headers=admin_headers).json()
    assert (leaflet["state_commissioned"], leaflet["copies"], leaflet["language"]) == (
        True,
        5000,
        "tay",
    )
    assert leaflet["published_at"] == "2026-03-31T17:00:00Z"  # 1 April, 00:00 local

    again = upload(client, admin_headers, "media-products", content, name="san-pham.csv").json()
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 3}
    ROWS[0][12] = "13.100"  # the views went up: the same article, updated
    third = upload(client, admin_headers, "media-products", csv_bytes([HEADER, *ROWS])).json()
    assert outcomes(third)[2] == "updated"
    ROWS[0][12] = "12.500"


def test_a_semicolon_csv_without_bom(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Excel set to a locale whose list separator is ';' saves CSV that way."""
    content = csv_bytes([HEADER, ROWS[1]], bom=False, delimiter=";")
    answer = upload(client, admin_headers, "media-products", content, name="x.csv").json()
    assert outcomes(answer) == {2: "created"}


def _cp1258(char: str) -> str:
    """A letter as Windows-1258 writes it: the base with the one mark it has composed (ư,
    â, ê…), the tone as a combining mark."""
    base, *marks = unicodedata.normalize("NFD", char)
    for mark in [None, *marks]:
        head = unicodedata.normalize("NFC", base + (mark or ""))
        candidate = head + "".join(m for m in marks if m != mark)
        try:
            candidate.encode("cp1258")
        except UnicodeEncodeError:
            continue
        return candidate
    raise AssertionError(char)


def test_windows_1258_csv_is_read_with_a_note(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Older Excel on Vietnamese Windows saves "CSV" in Windows-1258 (tones as combining
    marks); the text is read and stored composed (NFC)."""
    text = "\r\n".join(",".join(f'"{v}"' for v in line) for line in [HEADER, ROWS[1]])
    content = "".join(_cp1258(ch) for ch in text).encode("cp1258")
    answer = upload(client, admin_headers, "media-products", content, name="x.csv").json()
    assert outcomes(answer) == {2: "created"}
    assert "Windows-1258" in answer["notes"][0]
    product_id = answer["rows"][0]["id"]
    title = client.get(f"/api/v1/media-products/{product_id}", headers=admin_headers).json()[
        "title"
    ]
    assert title == "Tờ rơi phong trào Bình dân học vụ số"
