"""Cells as people type them in Vietnam."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.core.vocab import Audience, ContentOrigin, Topic
from app.imports import cells
from app.imports.cells import CellError
from app.imports.directory import spellings


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("20/03/2026 07:30", "2026-03-20T00:30"),
        ("20/3/2026 7:30", "2026-03-20T00:30"),
        ("20-03-26 7h30", "2026-03-20T00:30"),
        ("20.03.2026 07:30:15", "2026-03-20T00:30:15"),
        ("07:30 20/03/2026", "2026-03-20T00:30"),
        ("ngày 20/03/2026 lúc 7 giờ 30", "2026-03-20T00:30"),
        ("2026-03-20T07:30:00+07:00", "2026-03-20T00:30"),
        (datetime(2026, 3, 20, 7, 30), "2026-03-20T00:30"),  # an Excel date cell
        (46101.3125, "2026-03-20T00:30"),  # an Excel serial number
        ("01/01/2026 00:15", "2025-12-31T17:15"),  # still 2025 in UTC
    ],
)
def test_instants_are_local_time(typed: object, utc: str) -> None:
    read = cells.instant(typed, time_required=True)
    assert read.astimezone(UTC).replace(tzinfo=None).isoformat().startswith(utc)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("31/02/2026", "date"),
        ("29/02/2026 07:00", "date"),
        ("20/03/2026 25:00", "time"),
        ("hôm qua", "date"),
        ("20/03/2026", "time_missing"),
        (12, "date"),
    ],
)
def test_instants_refused(typed: object, kind: str) -> None:
    with pytest.raises(CellError) as refused:
        cells.instant(typed, time_required=True)
    assert refused.value.kind == kind


def test_days() -> None:
    assert cells.day_of("15/04/2026") == date(2026, 4, 15)
    assert cells.day_of(datetime(2026, 4, 15)) == date(2026, 4, 15)
    assert cells.instant("01/04/2026", time_required=False).isoformat() == (
        "2026-04-01T00:00:00+07:00"
    )


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        (15, 900),
        (1.5, 90),
        ("15", 900),
        ("15 phút", 900),
        ("15p", 900),
        ("15'", 900),
        ("1 giờ 30 phút", 5400),
        ("1h30", 5400),
        ("1,5 giờ", 5400),
        ("90 giây", 90),
        ("0:15:00", 900),
        (time(0, 15), 900),
        (timedelta(minutes=20), 1200),
    ],
)
def test_durations(typed: object, seconds: int) -> None:
    assert cells.duration_seconds(typed) == seconds


@pytest.mark.parametrize("typed", ["mười lăm phút", "15:00", "15 ngày", "khoảng 15"])
def test_durations_refused(typed: str) -> None:
    with pytest.raises(CellError):
        cells.duration_seconds(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1.234", 1234), ("1 234", 1234), ("12.500", 12500), ("1,5", 1.5), ("12.5", 12.5), (7, 7)],
)
def test_numbers(typed: object, value: float) -> None:
    assert cells.number(typed) == value


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("2026", "2026"),
        (2026, "2026"),
        ("Năm 2026", "2026"),
        ("Quý 1/2026", "2026-Q1"),
        ("Quý IV/2026", "2026-Q4"),
        ("Q2/2026", "2026-Q2"),
        ("6 tháng đầu năm 2026", "2026-H1"),
        ("Tháng 3/2026", "2026-03"),
        ("03/2026", "2026-03"),
        ("2026-q3", "2026-Q3"),
    ],
)
def test_periods(typed: object, label: str) -> None:
    assert cells.period(typed) == label


def test_choices_by_label_code_or_short_label() -> None:
    assert cells.choice("Trung ương", ContentOrigin) == "central"
    assert cells.choice("TỈNH (PHÁT LẠI)", ContentOrigin) == "provincial"
    assert cells.choice("local", ContentOrigin) == "local"
    assert cells.choices("Bình dân học vụ số; Chuyển đổi số", Topic) == [
        "digital_literacy",
        "digital_transformation",
    ]
    # labels hold commas: a part that is not a label is split on them
    assert cells.choices("Cán bộ, công chức; Người dân, Doanh nghiệp", Audience) == [
        "businesses",
        "citizens",
        "civil_servants",
    ]
    with pytest.raises(CellError):
        cells.choice("Huyện", ContentOrigin)


def test_flags() -> None:
    assert [cells.flag(v) for v in ("Có", "x", "không", True, 0)] == [
        True,
        True,
        False,
        True,
        False,
    ]


def test_agency_spellings() -> None:
    found = spellings("xa-bao-lam", "UBND xã Bảo Lâm", None, "01290")
    assert {"xa bao lam", "ubnd xa bao lam", "bao lam", "01290"} <= found
