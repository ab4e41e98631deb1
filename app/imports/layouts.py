"""The columns of each template: Vietnamese headers, what each cell holds, an example row.

Headers are matched loosely (app.imports.reading): case, diacritics, punctuation, the
required mark ``(*)`` and any hint in parentheses are ignored, so ``Thời lượng (phút) (*)``
is found as ``thoi luong``. A header renamed beyond that is another template.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.core.text import fold
from app.core.vocab import (
    Audience,
    ContentOrigin,
    FigureMetric,
    Language,
    MediaKind,
    Topic,
    TrainingKind,
    TrainingMode,
)
from app.imports.schemas import RecordType

REQUIRED_MARK = " (*)"
# Training: the attendance columns of a row (one line of attendance per row).
ATTENDANCE = "attendance."


class Kind(StrEnum):
    identifier = "identifier"  # the row's own ID: its identity when filled
    text = "text"
    agency = "agency"  # an agency's code or name
    instant = "instant"  # day and time of day, local time
    instant_or_day = "instant_or_day"  # a day alone means 00:00 local time
    day = "day"
    duration = "duration"  # minutes, "15 phút", "1 giờ 30 phút", 0:15:00
    integer = "integer"
    number = "number"
    choice = "choice"  # one of a vocabulary (its Vietnamese label or its code)
    choices = "choices"  # several, separated by ";"
    flag = "flag"  # Có / Không
    period = "period"  # 2026, Quý 1/2026, 6 tháng đầu năm 2026, Tháng 3/2026…


@dataclass(frozen=True)
class Column:
    field: str  # the Create payload's field (``attendance.x``: an attendance row's)
    header: str  # as the template shows it, without the required mark
    kind: Kind
    required: bool = False
    vocab: type[StrEnum] | None = None
    hint: str = ""  # for the note sheet
    width: int = 18

    @property
    def title(self) -> str:
        """The header cell's text."""
        return self.header + (REQUIRED_MARK if self.required else "")

    @property
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class Layout:
    record_type: RecordType
    name: str  # what the records are called, for titles and file names
    file_stem: str
    columns: tuple[Column, ...]
    example: tuple[Any, ...]  # one value per column
    identity: str  # how a row's identity is formed, for the note
    agency_kinds: tuple[str, ...] = ()  # the agencies the drop-down offers; () = all

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)


def header_key(header: str) -> str:
    """``Thời lượng (phút) (*)`` -> ``thoi luong``: what matching compares."""
    return fold(re.sub(r"\([^)]*\)", " ", header))


_ID_HINT = (
    "Không bắt buộc. Mã riêng của dòng (ví dụ số thứ tự trong sổ). Khi có mã, mã là danh "
    "tính của dòng: sửa bất kỳ ô nào rồi tải lại đều cập nhật đúng bản ghi cũ."
)
_AGENCY_HINT = (
    "Tên như trong danh sách (UBND xã Bảo Lâm, Xã Bảo Lâm, Bảo Lâm) hoặc mã (xa-bao-lam)."
)
_TOPICS_HINT = "Chọn trong danh sách; nhiều chủ đề cách nhau bằng dấu chấm phẩy (;)."
_INSTANT_HINT = "ngày/tháng/năm giờ:phút, giờ Việt Nam, ví dụ 20/03/2026 07:30."


# The columns several templates share: the same field, read the same way, with the same
# note; only the header (what the record calls it) and the width may differ.
def _row_id(header: str) -> Column:
    """The row's own ID, optional: a row that has one is updated in place on reupload."""
    return Column("external_id", header, Kind.identifier, hint=_ID_HINT, width=14)


def _agency(header: str, width: int) -> Column:
    """The agency a row belongs to, by its name or code."""
    return Column("agency_code", header, Kind.agency, True, hint=_AGENCY_HINT, width=width)


def _topics(width: int) -> Column:
    return Column("topics", "Chủ đề", Kind.choices, vocab=Topic, hint=_TOPICS_HINT, width=width)


_AUDIENCES = Column("audiences", "Đối tượng", Kind.choices, vocab=Audience, hint=_TOPICS_HINT)
_LANGUAGE = Column(
    "language", "Ngôn ngữ", Kind.choice, vocab=Language, hint="Để trống: Tiếng Việt."
)

BROADCASTS = Layout(
    record_type=RecordType.broadcasts,
    name="Lượt phát trên hệ thống thông tin cơ sở",
    file_stem="mau-luot-phat-thanh",
    columns=(
        _row_id("Mã dòng"),
        _agency("Xã, phường", 24),
        Column("started_at", "Thời gian bắt đầu phát", Kind.instant, True, hint=_INSTANT_HINT),
        Column(
            "duration_seconds",
            "Thời lượng (phút)",
            Kind.duration,
            True,
            hint="Số phút (15), hoặc 15 phút, 1 giờ 30 phút, 0:15:00.",
            width=12,
        ),
        Column("title", "Tên tin, bài, chương trình", Kind.text, True, width=48),
        Column("origin", "Nguồn nội dung", Kind.choice, True, ContentOrigin, width=24),
        _LANGUAGE,
        _topics(36),
        Column("loudspeaker_clusters", "Số cụm loa", Kind.integer, width=10),
    ),
    example=(
        "",
        "UBND xã Bảo Lâm",
        datetime(2026, 3, 20, 7, 30),
        15,
        "Bản tin Bình dân học vụ số: hướng dẫn cài đặt ứng dụng VNeID",
        "Cơ sở tự sản xuất",
        "Tiếng Tày",
        "Bình dân học vụ số; Chuyển đổi số",
        12,
    ),
    identity="xã/phường, thời gian bắt đầu phát và tên tin, bài",
    agency_kinds=("commune", "ward"),
)

MEDIA_PRODUCTS = Layout(
    record_type=RecordType.media_products,
    name="Sản phẩm truyền thông",
    file_stem="mau-san-pham-truyen-thong",
    columns=(
        _row_id("Mã dòng"),
        _agency("Đơn vị thực hiện", 28),
        Column("kind", "Loại sản phẩm", Kind.choice, True, MediaKind, width=22),
        Column("title", "Tiêu đề", Kind.text, True, width=48),
        Column(
            "published_at",
            "Ngày đăng, phát hành",
            Kind.instant_or_day,
            True,
            hint="ngày/tháng/năm (giờ:phút nếu có), ví dụ 14/03/2026 hoặc 14/03/2026 08:30.",
        ),
        Column("url", "Đường dẫn (URL)", Kind.text, hint="Bắt đầu bằng http:// hoặc https://."),
        Column("summary", "Tóm tắt", Kind.text, width=36),
        _topics(36),
        _AUDIENCES,
        _LANGUAGE,
        Column("partner_press", "Cơ quan báo chí phối hợp (ngoài tỉnh)", Kind.text, width=24),
        Column(
            "state_commissioned",
            "Đặt hàng bằng ngân sách nhà nước",
            Kind.flag,
            hint="Có hoặc Không (để trống: Không).",
            width=14,
        ),
        Column("views", "Lượt xem", Kind.integer, width=10),
        Column("listeners", "Lượt nghe", Kind.integer, width=10),
        Column("copies", "Số bản in", Kind.integer, width=10),
    ),
    example=(
        "",
        "Báo và Phát thanh, Truyền hình Cao Bằng",
        "Bài viết",
        "Chuyển đổi số ở Cao Bằng: từ Nghị quyết 57 đến từng thôn bản",
        datetime(2026, 3, 14, 8, 30),
        "https://baocaobang.vn/chuyen-doi-so-o-cao-bang-3179.html",
        "Kết quả bước đầu triển khai Kế hoạch 209/KH-UBND trên địa bàn tỉnh.",
        "Nghị quyết 57-NQ/TW; Nỗ lực của địa phương",
        "Người dân; Cán bộ, công chức",
        "Tiếng Việt",
        "",
        "Không",
        12500,
        "",
        "",
    ),
    identity="đơn vị, ngày đăng và tiêu đề",
)

TRAINING_SESSIONS = Layout(
    record_type=RecordType.training_sessions,
    name="Lớp tập huấn, bồi dưỡng, hội nghị quán triệt",
    file_stem="mau-lop-tap-huan",
    columns=(
        _row_id("Mã lớp"),
        _agency("Đơn vị tổ chức", 28),
        Column("title", "Tên lớp, hội nghị", Kind.text, True, width=44),
        Column("kind", "Loại hình", Kind.choice, True, TrainingKind),
        Column("mode", "Hình thức", Kind.choice, True, TrainingMode, width=12),
        Column("started_on", "Từ ngày", Kind.day, True, hint="ngày/tháng/năm.", width=12),
        Column("ended_on", "Đến ngày", Kind.day, hint="Để trống: lớp một ngày.", width=12),
        Column("location", "Địa điểm", Kind.text, width=28),
        _topics(30),
        _AUDIENCES,
        Column(
            ATTENDANCE + "agency_code",
            "Đơn vị tham dự",
            Kind.agency,
            hint="Một dòng cho mỗi đơn vị và đối tượng tham dự.",
            width=28,
        ),
        Column(ATTENDANCE + "audience", "Đối tượng tham dự", Kind.choice, vocab=Audience),
        Column(ATTENDANCE + "participants", "Số người tham dự", Kind.integer, width=12),
        Column(
            ATTENDANCE + "passed",
            "Số người đạt yêu cầu",
            Kind.integer,
            hint="Trong số người tham dự; để trống: 0.",
            width=12,
        ),
    ),
    example=(
        "TH-2026-014",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Tập huấn kỹ năng truyền thông trên nền tảng số cho Tổ công nghệ số cộng đồng",
        "Tập huấn",
        "Kết hợp",
        datetime(2026, 4, 15),
        datetime(2026, 4, 16),
        "Hội trường Sở Văn hóa, Thể thao và Du lịch",
        "Nghị quyết 57-NQ/TW; Bình dân học vụ số",
        "Thành viên Tổ công nghệ số cộng đồng",
        "Tổ công nghệ số cộng đồng xã Bảo Lâm",
        "Thành viên Tổ công nghệ số cộng đồng",
        12,
        11,
    ),
    identity="đơn vị tổ chức, ngày bắt đầu và tên lớp",
)

FIGURES = Layout(
    record_type=RecordType.figures,
    name="Số liệu báo cáo",
    file_stem="mau-so-lieu",
    columns=(
        Column("metric", "Chỉ số", Kind.choice, True, FigureMetric, width=40),
        _agency("Đơn vị", 30),
        Column(
            "period",
            "Kỳ báo cáo",
            Kind.period,
            True,
            hint="Năm 2026, Quý 1/2026, 6 tháng đầu năm 2026, Tháng 3/2026 (hoặc 2026-Q1).",
            width=20,
        ),
        Column("value", "Giá trị", Kind.number, True, width=12),
        Column("note", "Ghi chú", Kind.text, width=40),
    ),
    example=(
        "Thành viên Tổ công nghệ số cộng đồng",
        "Tổ công nghệ số cộng đồng xã Bảo Lâm",
        "Năm 2026",
        12,
        "12 thành viên ở 6 xóm.",
    ),
    identity="chỉ số, đơn vị và kỳ báo cáo (một giá trị cho mỗi bộ ba: tải lại là sửa giá trị)",
)

LAYOUTS: dict[RecordType, Layout] = {
    layout.record_type: layout
    for layout in (BROADCASTS, MEDIA_PRODUCTS, TRAINING_SESSIONS, FIGURES)
}
