"""Enumerations of the domain, with the Vietnamese label a person reads (``label_vi``)."""

from enum import StrEnum


class AgencyKind(StrEnum):
    provincial_committee = "provincial_committee"
    party_body = "party_body"
    front_or_mass_org = "front_or_mass_org"
    department = "department"
    press = "press"
    portal = "portal"
    commune = "commune"
    ward = "ward"
    community_digital_team = "community_digital_team"
    central_body = "central_body"
    other = "other"


class ChannelKind(StrEnum):
    portal = "portal"
    portal_section = "portal_section"
    press_column = "press_column"
    tv_programme = "tv_programme"
    radio_programme = "radio_programme"
    social_media = "social_media"
    loudspeaker_station = "loudspeaker_station"
    bulletin = "bulletin"
    magazine = "magazine"


class MediaKind(StrEnum):
    news = "news"
    article = "article"
    photo_story = "photo_story"
    reportage = "reportage"
    video = "video"
    infographic = "infographic"
    podcast = "podcast"
    radio_segment = "radio_segment"
    tv_segment = "tv_segment"
    social_post = "social_post"
    banner = "banner"
    slogan = "slogan"
    pano = "pano"
    poster = "poster"
    leaflet = "leaflet"
    brochure = "brochure"
    led_board = "led_board"
    print_publication = "print_publication"
    e_publication = "e_publication"
    handbook = "handbook"


class Topic(StrEnum):
    nq57 = "nq57"
    nq71 = "nq71"
    ctr29 = "ctr29"
    qd1139 = "qd1139"
    science_technology = "science_technology"
    innovation = "innovation"
    digital_transformation = "digital_transformation"
    ai = "ai"
    digital_literacy = "digital_literacy"
    local_effort = "local_effort"
    implementation_results = "implementation_results"
    good_practice = "good_practice"
    countering_disinformation = "countering_disinformation"
    international_cooperation = "international_cooperation"


class Audience(StrEnum):
    leaders = "leaders"
    civil_servants = "civil_servants"
    public_employees = "public_employees"
    businesses = "businesses"
    citizens = "citizens"
    youth_students = "youth_students"
    ethnic_minorities = "ethnic_minorities"
    reporters = "reporters"
    portal_operators = "portal_operators"
    grassroots_info_staff = "grassroots_info_staff"
    external_info_staff = "external_info_staff"
    comms_staff = "comms_staff"
    digital_team_members = "digital_team_members"


class Language(StrEnum):
    vi = "vi"
    tay = "tay"
    nung = "nung"
    hmong = "hmong"
    dao = "dao"
    san_chay = "san_chay"
    lo_lo = "lo_lo"
    other = "other"


class ContentOrigin(StrEnum):
    central = "central"
    provincial = "provincial"
    local = "local"


class TrainingKind(StrEnum):
    training = "training"
    refresher = "refresher"
    briefing = "briefing"
    seminar = "seminar"
    online_contest = "online_contest"


class TrainingMode(StrEnum):
    in_person = "in_person"
    online = "online"
    hybrid = "hybrid"


class ProgressStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


class ScheduleKind(StrEnum):
    recurring = "recurring"
    years = "years"
    from_year_recurring = "from_year_recurring"


class TaskRole(StrEnum):
    lead = "lead"
    coordinating = "coordinating"


class FundingSource(StrEnum):
    """Section IV: the state budget of each level, or other lawful sources."""

    central_budget = "central_budget"
    provincial_budget = "provincial_budget"
    commune_budget = "commune_budget"
    other_lawful = "other_lawful"


class ReportPeriodKind(StrEnum):
    """The periodic reports of Nghị định 09/2019/NĐ-CP a plan may ask for."""

    quarter = "quarter"
    half_year = "half_year"
    year = "year"


class FigureMetric(StrEnum):
    staff_total = "staff_total"
    staff_briefed = "staff_briefed"
    comms_staff_total = "comms_staff_total"
    digital_team_members = "digital_team_members"
    population = "population"
    population_reached = "population_reached"


class Comparator(StrEnum):
    at_least = "at_least"
    at_most = "at_most"


class IndicatorWindow(StrEnum):
    year = "year"
    cumulative = "cumulative"
    point_in_time = "point_in_time"


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


LABELS_VI: dict[type[StrEnum], dict[str, str]] = {
    AgencyKind: {
        "provincial_committee": "Ủy ban nhân dân tỉnh",
        "party_body": "Cơ quan Đảng",
        "front_or_mass_org": "Mặt trận Tổ quốc, tổ chức chính trị - xã hội",
        "department": "Sở, ban, ngành",
        "press": "Cơ quan báo chí",
        "portal": "Cổng thông tin điện tử",
        "commune": "Xã",
        "ward": "Phường",
        "community_digital_team": "Tổ công nghệ số cộng đồng",
        "central_body": "Cơ quan Trung ương",
        "other": "Khác",
    },
    ChannelKind: {
        "portal": "Cổng/Trang thông tin điện tử",
        "portal_section": "Chuyên trang/chuyên mục trên cổng thông tin",
        "press_column": "Chuyên mục báo chí",
        "tv_programme": "Chương trình truyền hình",
        "radio_programme": "Chương trình phát thanh",
        "social_media": "Trang mạng xã hội",
        "loudspeaker_station": "Đài truyền thanh cơ sở",
        "bulletin": "Bản tin",
        "magazine": "Tạp chí",
    },
    MediaKind: {
        "news": "Tin",
        "article": "Bài viết",
        "photo_story": "Phóng sự ảnh",
        "reportage": "Phóng sự",
        "video": "Video",
        "infographic": "Infographic",
        "podcast": "Podcast",
        "radio_segment": "Tin/bài phát thanh",
        "tv_segment": "Tin/bài truyền hình",
        "social_post": "Bài đăng mạng xã hội",
        "banner": "Băng rôn",
        "slogan": "Khẩu hiệu",
        "pano": "Pano",
        "poster": "Áp phích",
        "leaflet": "Tờ rơi",
        "brochure": "Tờ gấp",
        "led_board": "Nội dung bảng LED",
        "print_publication": "Xuất bản phẩm in",
        "e_publication": "Xuất bản phẩm điện tử",
        "handbook": "Cẩm nang",
    },
    Topic: {
        "nq57": "Nghị quyết 57-NQ/TW",
        "nq71": "Nghị quyết 71/NQ-CP",
        "ctr29": "Chương trình 29-CTr/TU",
        "qd1139": "Quyết định 1139/QĐ-UBND",
        "science_technology": "Khoa học, công nghệ",
        "innovation": "Đổi mới sáng tạo",
        "digital_transformation": "Chuyển đổi số",
        "ai": "Trí tuệ nhân tạo",
        "digital_literacy": "Bình dân học vụ số",
        "local_effort": "Nỗ lực của địa phương",
        "implementation_results": "Kết quả triển khai",
        "good_practice": "Biểu dương cách làm hay",
        "countering_disinformation": "Đấu tranh, phản bác thông tin sai trái",
        "international_cooperation": "Hợp tác quốc tế",
    },
    Audience: {
        "leaders": "Cán bộ lãnh đạo",
        "civil_servants": "Cán bộ, công chức",
        "public_employees": "Viên chức",
        "businesses": "Doanh nghiệp",
        "citizens": "Người dân",
        "youth_students": "Thanh niên, học sinh, sinh viên",
        "ethnic_minorities": "Đồng bào dân tộc thiểu số",
        "reporters": "Phóng viên",
        "portal_operators": "Cán bộ quản lý, vận hành cổng/trang thông tin điện tử",
        "grassroots_info_staff": "Cán bộ thông tin cơ sở",
        "external_info_staff": "Cán bộ thông tin đối ngoại",
        "comms_staff": "Cán bộ chuyên trách truyền thông",
        "digital_team_members": "Thành viên Tổ công nghệ số cộng đồng",
    },
    Language: {
        "vi": "Tiếng Việt",
        "tay": "Tiếng Tày",
        "nung": "Tiếng Nùng",
        "hmong": "Tiếng H'Mông",
        "dao": "Tiếng Dao",
        "san_chay": "Tiếng Sán Chay",
        "lo_lo": "Tiếng Lô Lô",
        "other": "Ngôn ngữ khác",
    },
    ContentOrigin: {
        "central": "Trung ương (phát lại)",
        "provincial": "Tỉnh (phát lại)",
        "local": "Cơ sở tự sản xuất",
    },
    TrainingKind: {
        "training": "Tập huấn",
        "refresher": "Bồi dưỡng",
        "briefing": "Học tập, quán triệt",
        "seminar": "Hội thảo, tọa đàm",
        "online_contest": "Cuộc thi trực tuyến",
    },
    TrainingMode: {"in_person": "Trực tiếp", "online": "Trực tuyến", "hybrid": "Kết hợp"},
    ProgressStatus: {
        "not_started": "Chưa triển khai",
        "in_progress": "Đang triển khai",
        "done": "Hoàn thành",
        "blocked": "Vướng mắc",
    },
    ScheduleKind: {
        "recurring": "Thường xuyên",
        "years": "Theo năm",
        "from_year_recurring": "Từ năm … và thường xuyên",
    },
    TaskRole: {"lead": "Chủ trì", "coordinating": "Phối hợp"},
    FundingSource: {
        "central_budget": "Ngân sách trung ương",
        "provincial_budget": "Ngân sách tỉnh",
        "commune_budget": "Ngân sách cấp xã",
        "other_lawful": "Nguồn kinh phí huy động hợp pháp khác",
    },
    ReportPeriodKind: {"quarter": "Quý", "half_year": "6 tháng", "year": "Năm"},
    FigureMetric: {
        "staff_total": "Tổng số cán bộ, công chức, viên chức",
        "staff_briefed": "Số được học tập, quán triệt NQ57",
        "comms_staff_total": "Cán bộ truyền thông, thông tin cơ sở, thông tin đối ngoại",
        "digital_team_members": "Thành viên Tổ công nghệ số cộng đồng",
        "population": "Dân số",
        "population_reached": "Dân số được hệ thống thông tin cơ sở tiếp cận",
    },
    Comparator: {"at_least": "Tối thiểu", "at_most": "Tối đa"},
    IndicatorWindow: {
        "year": "Trong năm",
        "cumulative": "Lũy kế",
        "point_in_time": "Tại thời điểm",
    },
    Scope: {"read": "Đọc", "write": "Ghi", "admin": "Quản trị"},
}
