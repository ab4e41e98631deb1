"""Raw material for the synthetic nation: provinces, place and person names, titles.

The 34 provinces and cities after the 2025 reform, each with its number of communes and
wards (3,321 in all). Place and person names are built from common Vietnamese syllables;
they are plausible, not real.
"""

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


@dataclass(frozen=True)
class Province:
    slug: str
    name: str
    units: int  # communes and wards
    ward_share: float
    city: bool  # a centrally run city ("thành phố") rather than a province ("tỉnh")
    languages: tuple[str, ...]  # broadcast languages besides Vietnamese


NORTH = ("tay", "nung", "hmong", "dao")
HIGHLANDS = ("other",)
P = Province
PROVINCES: tuple[Province, ...] = (
    P("ha-noi", "Hà Nội", 126, 0.40, True, ()),
    P("hue", "Huế", 40, 0.52, True, ()),
    P("lai-chau", "Lai Châu", 38, 0.08, False, ("hmong", "dao", "other")),
    P("dien-bien", "Điện Biên", 45, 0.07, False, ("hmong", "other")),
    P("son-la", "Sơn La", 75, 0.11, False, ("hmong", "other")),
    P("lang-son", "Lạng Sơn", 65, 0.06, False, ("tay", "nung", "dao")),
    P("quang-ninh", "Quảng Ninh", 54, 0.56, False, ("dao",)),
    P("thanh-hoa", "Thanh Hóa", 166, 0.12, False, ("other",)),
    P("nghe-an", "Nghệ An", 130, 0.09, False, ("other",)),
    P("ha-tinh", "Hà Tĩnh", 69, 0.13, False, ()),
    P("cao-bang", "Cao Bằng", 56, 0.05, False, (*NORTH, "san_chay", "lo_lo")),
    P("tuyen-quang", "Tuyên Quang", 124, 0.06, False, NORTH),
    P("lao-cai", "Lào Cai", 99, 0.10, False, NORTH),
    P("thai-nguyen", "Thái Nguyên", 92, 0.17, False, ("tay", "nung", "dao")),
    P("phu-tho", "Phú Thọ", 148, 0.11, False, ("other",)),
    P("bac-ninh", "Bắc Ninh", 99, 0.33, False, ()),
    P("hung-yen", "Hưng Yên", 104, 0.11, False, ()),
    P("hai-phong", "Hải Phòng", 114, 0.40, True, ()),
    P("ninh-binh", "Ninh Bình", 129, 0.25, False, ()),
    P("quang-tri", "Quảng Trị", 78, 0.10, False, ("other",)),
    P("da-nang", "Đà Nẵng", 94, 0.24, True, ("other",)),
    P("quang-ngai", "Quảng Ngãi", 96, 0.09, False, ("other",)),
    P("gia-lai", "Gia Lai", 135, 0.19, False, HIGHLANDS),
    P("khanh-hoa", "Khánh Hòa", 65, 0.25, False, HIGHLANDS),
    P("lam-dong", "Lâm Đồng", 124, 0.16, False, HIGHLANDS),
    P("dak-lak", "Đắk Lắk", 102, 0.12, False, HIGHLANDS),
    P("ho-chi-minh", "Hồ Chí Minh", 168, 0.67, True, ()),
    P("dong-nai", "Đồng Nai", 95, 0.24, False, ()),
    P("tay-ninh", "Tây Ninh", 96, 0.15, False, ()),
    P("can-tho", "Cần Thơ", 103, 0.31, True, ("other",)),
    P("vinh-long", "Vĩnh Long", 124, 0.15, False, ("other",)),
    P("dong-thap", "Đồng Tháp", 102, 0.20, False, ()),
    P("ca-mau", "Cà Mau", 64, 0.14, False, ("other",)),
    P("an-giang", "An Giang", 102, 0.14, False, ("other",)),
)
SEED_PROVINCE = "cao-bang"  # its agencies, groups and plan come from `nq57 seed`

SYLLABLES = _words(
    "An Bình Tân Phú Hòa Thạnh Long Hưng Phước Thái Đông Tây Nam Bắc Trung Minh Quang Sơn "
    "Thủy Lâm Hải Hà Kim Ngọc Vĩnh Xuân Yên Đức Thành Lợi Hiệp Mỹ Thuận Phong Cát Lạc "
    "Hồng Bảo Định Nghĩa Tiến Thắng Lộc Hoàng Mường Nà Pác Khuổi Thượng Hạ Cẩm Gia Châu "
    "Quế Vạn Tường Khánh Phúc Thịnh Hợp Hoa Liên Đồng Tam Tứ Hội Tiên Lĩnh Dương Giang "
    "Trà"
)

FAMILY = _words(
    "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Nông Lục Đàm Hà Lý Vi Triệu Ma Bế"
)
MIDDLE = _words("Văn Thị Đức Minh Thu Ngọc Quang Hữu Thanh Xuân Kim Hồng")
GIVEN = _words(
    "An Bình Cường Dũng Đạt Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai "
    "Nam Nga Ngân Nhung Phong Phương Quân Sơn Tâm Thảo Thắng Trang Tuấn Vân Yến"
)

# Departments every province has (code stem, name); the seed's Cao Bằng list, generalised.
DEPARTMENTS = (
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch"),
    ("so-khcn", "Sở Khoa học và Công nghệ"),
    ("so-tc", "Sở Tài chính"),
    ("so-nv", "Sở Nội vụ"),
    ("so-tp", "Sở Tư pháp"),
    ("so-ct", "Sở Công Thương"),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường"),
    ("so-xd", "Sở Xây dựng"),
    ("so-gddt", "Sở Giáo dục và Đào tạo"),
    ("so-yt", "Sở Y tế"),
    ("so-dttg", "Sở Dân tộc và Tôn giáo"),
    ("thanh-tra", "Thanh tra"),
    ("vp-ubnd", "Văn phòng Ủy ban nhân dân"),
)
MASS_ORGS = (
    ("ubmttq", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("doan-tn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("hoi-lhpn", "Hội Liên hiệp Phụ nữ"),
    ("hoi-nong-dan", "Hội Nông dân"),
)
# Seed agency codes and their counterparts' stems in other provinces (task parties).
SEED_AGENCY_STEMS = {
    "ubnd-tinh": "ubnd",
    "ban-tgdv-tu": "ban-tgdv",
    "ubmttq-tinh": "ubmttq",
    "bao-ptth-cb": "bao-ptth",
    "tap-chi-nncb": "tap-chi",
    "cong-ttdt-tinh": "cong-ttdt",
    "thanh-tra-tinh": "thanh-tra",
    "vp-ubnd-tinh": "vp-ubnd",
}

PARTNER_PRESS = (
    "Báo Nhân Dân",
    "Báo Điện tử Chính phủ",
    "Đài Tiếng nói Việt Nam",
    "Đài Truyền hình Việt Nam",
    "Thông tấn xã Việt Nam",
    "Báo Khoa học và Phát triển",
    "Tạp chí Cộng sản",
    "Báo Quân đội nhân dân",
)

MEDIA_TITLES = (
    "{place} đẩy mạnh chuyển đổi số trong cải cách hành chính",
    "Hội nghị học tập, quán triệt Nghị quyết 57-NQ/TW tại {place}",
    "{place}: người dân sử dụng dịch vụ công trực tuyến toàn trình",
    "Phong trào Bình dân học vụ số lan tỏa ở {place}",
    "Ứng dụng trí tuệ nhân tạo trong quản lý đô thị tại {place}",
    "{place} triển khai Nghị quyết 71/NQ-CP về khoa học, công nghệ",
    "Tổ công nghệ số cộng đồng {place} hướng dẫn người dân cài đặt VNeID",
    "Doanh nghiệp khởi nghiệp đổi mới sáng tạo ở {place}",
    "Kết quả triển khai chuyển đổi số năm 2026 của {place}",
    "Gương sáng trong học tập và làm theo Nghị quyết 57 ở {place}",
    "Cảnh giác với thông tin sai lệch về chuyển đổi số tại {place}",
    "Hợp tác quốc tế về khoa học, công nghệ: cơ hội cho {place}",
    "Lễ hội truyền thống và du lịch cộng đồng ở {place}",
    "{place} chăm lo Tết cho hộ nghèo",
    "Nông nghiệp công nghệ cao mở hướng làm giàu ở {place}",
    "Thanh toán không dùng tiền mặt tại chợ phiên {place}",
)
SUMMARIES = (
    "Bài viết phản ánh kết quả bước đầu và những cách làm hay của địa phương.",
    "Tin ngắn về hoạt động tuyên truyền trên hệ thống thông tin cơ sở.",
    "Phóng sự ghi nhận ý kiến của người dân và doanh nghiệp.",
    None,
    None,
)
BROADCAST_TITLES = {
    "central": (
        "Tiếp sóng chương trình thời sự Đài Tiếng nói Việt Nam",
        "Tiếp âm bản tin khoa học, công nghệ của VOV",
        "Phát lại chuyên đề Nghị quyết 57-NQ/TW của Trung ương",
        "Tiếp sóng chuyên mục Chuyển đổi số quốc gia",
    ),
    "provincial": (
        "Tiếp sóng bản tin Đài Phát thanh - Truyền hình tỉnh",
        "Phát lại chuyên mục Khoa học và Đời sống của tỉnh",
        "Tiếp sóng bản tin Nghị quyết 57-NQ/TW của tỉnh",
        "Phát lại chương trình Chuyển đổi số tỉnh",
    ),
    "local": (
        "Bản tin Bình dân học vụ số: hướng dẫn cài đặt ứng dụng VNeID",
        "Thông báo của UBND xã về dịch vụ công trực tuyến",
        "Bản tin địa phương: kết quả chuyển đổi số trong tháng",
        "Hướng dẫn người dân thanh toán không dùng tiền mặt",
        "Bản tin nông nghiệp, thời tiết và phòng chống thiên tai",
        "Tuyên truyền phòng chống lừa đảo trên không gian mạng",
    ),
}
TRAINING_TITLES = (
    "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng {place}",
    "Bồi dưỡng kỹ năng truyền thông số cho cán bộ thông tin cơ sở {place}",
    "Hội nghị học tập, quán triệt Nghị quyết 57-NQ/TW {place}",
    "Hội thảo ứng dụng trí tuệ nhân tạo trong công vụ {place}",
    "Cuộc thi trực tuyến tìm hiểu chuyển đổi số {place}",
    "Tập huấn nghiệp vụ vận hành cổng thông tin điện tử {place}",
)
