"""Enumerations of the domain, each member with the Vietnamese label a person reads
(``label_vi``).
"""

from enum import StrEnum
from typing import Self


class Vocabulary(StrEnum):
    """A code list: each member is its code (a string, as stored and sent) and carries
    ``label_vi``, what a person reads. A member is written ``code = "code", "label"``: a
    code and its label are declared together, once, and none comes without the other."""

    label_vi: str

    # ``label_vi`` has a default only so that looking a member up by its code,
    # ``AgencyKind("ward")``, type-checks; declaring one without its label is refused.
    def __new__(cls, code: str, label_vi: str = "") -> Self:
        if not label_vi:
            raise TypeError(f"{cls.__name__}.{code} has no Vietnamese label")
        member = str.__new__(cls, code)
        member._value_ = code
        member.label_vi = label_vi
        return member


class AgencyKind(Vocabulary):
    provincial_committee = "provincial_committee", "Ủy ban nhân dân tỉnh"
    party_body = "party_body", "Cơ quan Đảng"
    front_or_mass_org = "front_or_mass_org", "Mặt trận Tổ quốc, tổ chức chính trị - xã hội"
    department = "department", "Sở, ban, ngành"
    press = "press", "Cơ quan báo chí"
    portal = "portal", "Cổng thông tin điện tử"
    commune = "commune", "Xã"
    ward = "ward", "Phường"
    community_digital_team = "community_digital_team", "Tổ công nghệ số cộng đồng"
    central_body = "central_body", "Cơ quan Trung ương"
    other = "other", "Khác"


class ChannelKind(Vocabulary):
    portal = "portal", "Cổng/Trang thông tin điện tử"
    portal_section = "portal_section", "Chuyên trang/chuyên mục trên cổng thông tin"
    press_column = "press_column", "Chuyên mục báo chí"
    tv_programme = "tv_programme", "Chương trình truyền hình"
    radio_programme = "radio_programme", "Chương trình phát thanh"
    social_media = "social_media", "Trang mạng xã hội"
    loudspeaker_station = "loudspeaker_station", "Đài truyền thanh cơ sở"
    bulletin = "bulletin", "Bản tin"
    magazine = "magazine", "Tạp chí"


class MediaKind(Vocabulary):
    news = "news", "Tin"
    article = "article", "Bài viết"
    photo_story = "photo_story", "Phóng sự ảnh"
    reportage = "reportage", "Phóng sự"
    video = "video", "Video"
    infographic = "infographic", "Infographic"
    podcast = "podcast", "Podcast"
    radio_segment = "radio_segment", "Tin/bài phát thanh"
    tv_segment = "tv_segment", "Tin/bài truyền hình"
    social_post = "social_post", "Bài đăng mạng xã hội"
    banner = "banner", "Băng rôn"
    slogan = "slogan", "Khẩu hiệu"
    pano = "pano", "Pano"
    poster = "poster", "Áp phích"
    leaflet = "leaflet", "Tờ rơi"
    brochure = "brochure", "Tờ gấp"
    led_board = "led_board", "Nội dung bảng LED"
    print_publication = "print_publication", "Xuất bản phẩm in"
    e_publication = "e_publication", "Xuất bản phẩm điện tử"
    handbook = "handbook", "Cẩm nang"


class Topic(Vocabulary):
    nq57 = "nq57", "Nghị quyết 57-NQ/TW"
    nq71 = "nq71", "Nghị quyết 71/NQ-CP"
    ctr29 = "ctr29", "Chương trình 29-CTr/TU"
    qd1139 = "qd1139", "Quyết định 1139/QĐ-UBND"
    science_technology = "science_technology", "Khoa học, công nghệ"
    innovation = "innovation", "Đổi mới sáng tạo"
    digital_transformation = "digital_transformation", "Chuyển đổi số"
    ai = "ai", "Trí tuệ nhân tạo"
    digital_literacy = "digital_literacy", "Bình dân học vụ số"
    local_effort = "local_effort", "Nỗ lực của địa phương"
    implementation_results = "implementation_results", "Kết quả triển khai"
    good_practice = "good_practice", "Biểu dương cách làm hay"
    countering_disinformation = (
        "countering_disinformation",
        "Đấu tranh, phản bác thông tin sai trái",
    )
    international_cooperation = "international_cooperation", "Hợp tác quốc tế"


class Audience(Vocabulary):
    leaders = "leaders", "Cán bộ lãnh đạo"
    civil_servants = "civil_servants", "Cán bộ, công chức"
    public_employees = "public_employees", "Viên chức"
    businesses = "businesses", "Doanh nghiệp"
    citizens = "citizens", "Người dân"
    youth_students = "youth_students", "Thanh niên, học sinh, sinh viên"
    ethnic_minorities = "ethnic_minorities", "Đồng bào dân tộc thiểu số"
    reporters = "reporters", "Phóng viên"
    portal_operators = "portal_operators", "Cán bộ quản lý, vận hành cổng/trang thông tin điện tử"
    grassroots_info_staff = "grassroots_info_staff", "Cán bộ thông tin cơ sở"
    external_info_staff = "external_info_staff", "Cán bộ thông tin đối ngoại"
    comms_staff = "comms_staff", "Cán bộ chuyên trách truyền thông"
    digital_team_members = "digital_team_members", "Thành viên Tổ công nghệ số cộng đồng"


class Language(Vocabulary):
    vi = "vi", "Tiếng Việt"
    tay = "tay", "Tiếng Tày"
    nung = "nung", "Tiếng Nùng"
    hmong = "hmong", "Tiếng H'Mông"
    dao = "dao", "Tiếng Dao"
    san_chay = "san_chay", "Tiếng Sán Chay"
    lo_lo = "lo_lo", "Tiếng Lô Lô"
    other = "other", "Ngôn ngữ khác"


class ContentOrigin(Vocabulary):
    central = "central", "Trung ương (phát lại)"
    provincial = "provincial", "Tỉnh (phát lại)"
    local = "local", "Cơ sở tự sản xuất"


class TrainingKind(Vocabulary):
    training = "training", "Tập huấn"
    refresher = "refresher", "Bồi dưỡng"
    briefing = "briefing", "Học tập, quán triệt"
    seminar = "seminar", "Hội thảo, tọa đàm"
    online_contest = "online_contest", "Cuộc thi trực tuyến"


class TrainingMode(Vocabulary):
    in_person = "in_person", "Trực tiếp"
    online = "online", "Trực tuyến"
    hybrid = "hybrid", "Kết hợp"


class ProgressStatus(Vocabulary):
    not_started = "not_started", "Chưa triển khai"
    in_progress = "in_progress", "Đang triển khai"
    done = "done", "Hoàn thành"
    blocked = "blocked", "Vướng mắc"


class ScheduleKind(Vocabulary):
    recurring = "recurring", "Thường xuyên"
    years = "years", "Theo năm"
    from_year_recurring = "from_year_recurring", "Từ năm … và thường xuyên"


class TaskRole(Vocabulary):
    lead = "lead", "Chủ trì"
    coordinating = "coordinating", "Phối hợp"


class FundingSource(Vocabulary):
    """Section IV: the state budget of each level, or other lawful sources."""

    central_budget = "central_budget", "Ngân sách trung ương"
    provincial_budget = "provincial_budget", "Ngân sách tỉnh"
    commune_budget = "commune_budget", "Ngân sách cấp xã"
    other_lawful = "other_lawful", "Nguồn kinh phí huy động hợp pháp khác"


class ReportPeriodKind(Vocabulary):
    """The periodic reports of Nghị định 09/2019/NĐ-CP a plan may ask for."""

    quarter = "quarter", "Quý"
    half_year = "half_year", "6 tháng"
    year = "year", "Năm"


class FigureMetric(Vocabulary):
    staff_total = "staff_total", "Tổng số cán bộ, công chức, viên chức"
    staff_briefed = "staff_briefed", "Số được học tập, quán triệt NQ57"
    comms_staff_total = (
        "comms_staff_total",
        "Cán bộ truyền thông, thông tin cơ sở, thông tin đối ngoại",
    )
    digital_team_members = "digital_team_members", "Thành viên Tổ công nghệ số cộng đồng"
    population = "population", "Dân số"
    population_reached = "population_reached", "Dân số được hệ thống thông tin cơ sở tiếp cận"


class Comparator(Vocabulary):
    at_least = "at_least", "Tối thiểu"
    at_most = "at_most", "Tối đa"


class IndicatorWindow(Vocabulary):
    year = "year", "Trong năm"
    cumulative = "cumulative", "Lũy kế"
    point_in_time = "point_in_time", "Tại thời điểm"


class Scope(Vocabulary):
    read = "read", "Đọc"
    write = "write", "Ghi"
    admin = "admin", "Quản trị"


# Each vocabulary's labels by code, the vocabularies in the order they are defined here.
LABELS_VI: dict[type[StrEnum], dict[str, str]] = {
    vocabulary: {member.value: member.label_vi for member in vocabulary}
    for vocabulary in Vocabulary.__subclasses__()
}
