"""Reporting windows of NĐ 09/2019/NĐ-CP, cut in local time, and working-day deadlines."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.reports.regime import (
    ad_hoc_window,
    deadline_end,
    parse_regime_period,
    periodic_deadline,
    requested_deadline,
    status_reference,
)
from app.reports.workdays import add_working_days, holiday_name, is_working_day

ICT = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2026-Q1", "2026-Q1", date(2025, 12, 15), date(2026, 3, 14)),
        ("2026-q2", "2026-Q2", date(2026, 3, 15), date(2026, 6, 14)),
        ("2026-Q3", "2026-Q3", date(2026, 6, 15), date(2026, 9, 14)),
        (" 2026-Q4 ", "2026-Q4", date(2026, 9, 15), date(2026, 12, 14)),
        ("2026-H1", "2026-H1", date(2025, 12, 15), date(2026, 6, 14)),
        ("2026", "2026", date(2025, 12, 15), date(2026, 12, 14)),
        ("2027", "2027", date(2026, 12, 15), date(2027, 12, 14)),
    ],
)
def test_regime_windows(text: str, label: str, first: date, last: date) -> None:
    window = parse_regime_period(text)
    assert (window.label, window.first_day, window.last_day) == (label, first, last)


@pytest.mark.parametrize("text", ["2026-H2", "2026-03", "2026-Q5", "26", "", "2026-Q1x", "1999"])
def test_regime_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_regime_period(text)


def test_second_half_explains_the_regime() -> None:
    with pytest.raises(ValueError, match="no second-half report"):
        parse_regime_period("2026-H2")


def test_q1_2026_cut_in_local_time() -> None:
    q1, q2 = parse_regime_period("2026-Q1"), parse_regime_period("2026-Q2")
    last_minute = datetime(2026, 3, 14, 23, 59, tzinfo=ICT)
    next_day = datetime(2026, 3, 15, 0, 0, tzinfo=ICT)
    assert q1.contains(last_minute) and not q2.contains(last_minute)
    assert q2.contains(next_day) and not q1.contains(next_day)
    # The same instants in UTC: 16:59 and 17:00 on 14/03.
    assert q1.contains(datetime(2026, 3, 14, 16, 59, tzinfo=UTC))
    assert q2.contains(datetime(2026, 3, 14, 17, 0, tzinfo=UTC))
    assert q1.contains(datetime(2025, 12, 15, 0, 0, tzinfo=ICT))
    assert not q1.contains(datetime(2025, 12, 14, 23, 59, tzinfo=ICT))


def test_half_year_and_year_2026_cut_in_local_time() -> None:
    half, year = parse_regime_period("2026-H1"), parse_regime_period("2026")
    assert half.contains(datetime(2025, 12, 15, 0, 0, tzinfo=ICT))
    assert not half.contains(datetime(2025, 12, 14, 23, 59, tzinfo=ICT))
    assert half.contains(datetime(2026, 6, 14, 23, 59, tzinfo=ICT))
    assert not half.contains(datetime(2026, 6, 15, 0, 0, tzinfo=ICT))
    assert year.contains(datetime(2026, 12, 14, 23, 59, tzinfo=ICT))
    assert not year.contains(datetime(2026, 12, 15, 0, 0, tzinfo=ICT))
    assert parse_regime_period("2027").contains(datetime(2026, 12, 15, 0, 0, tzinfo=ICT))
    assert not year.contains(datetime(2025, 12, 14, 23, 59, tzinfo=ICT))


def test_tet_is_not_a_working_day() -> None:
    # Tết Bính Ngọ: 17/02/2026; the state sector is off Monday 16 to Friday 20 February.
    for day in range(16, 21):
        assert not is_working_day(date(2026, 2, day))
    assert holiday_name(date(2026, 2, 17)) is not None
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))
    # Tết Đinh Mùi: 06/02/2027, a Saturday.
    assert holiday_name(date(2027, 2, 6)) is not None
    assert not is_working_day(date(2027, 2, 5)) and not is_working_day(date(2027, 2, 8))


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 1, 1), "Tết Dương lịch"),
        (date(2026, 4, 30), "30/4"),
        (date(2026, 5, 1), "1/5"),
        (date(2026, 9, 2), "Quốc khánh"),
        (date(2026, 4, 27), "Giỗ Tổ Hùng Vương (10/3 âm lịch, 26/4 is a Sunday)"),
    ],
)
def test_public_holidays(day: date, holiday: str) -> None:
    assert not is_working_day(day), holiday


def test_working_days_skip_weekends() -> None:
    assert add_working_days(date(2026, 3, 14), 5) == date(2026, 3, 20)  # Sat -> Fri
    assert add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 23)
    assert add_working_days(date(2026, 3, 20), 0) == date(2026, 3, 20)


def test_deadline_on_tet_moves_past_it() -> None:
    # Five working days after Monday 09/02/2026 would be Monday 16/02, the eve of Tết:
    # Tết takes 16-20/02, so the fifth working day is Monday 23/02.
    assert add_working_days(date(2026, 2, 9), 4) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 9), 5) == date(2026, 2, 23)
    # A deadline a request names on Tết moves to the next working day.
    assert requested_deadline(date(2026, 2, 17)) == date(2026, 2, 23)
    assert requested_deadline(date(2027, 2, 8)) > date(2027, 2, 9)
    assert requested_deadline(date(2026, 3, 20)) == date(2026, 3, 20)


def test_periodic_deadlines() -> None:
    q1 = parse_regime_period("2026-Q1")
    assert periodic_deadline(q1, 5) == date(2026, 3, 20)
    assert deadline_end(date(2026, 3, 20)) == datetime(2026, 3, 21, tzinfo=ICT)
    # The half-year's cut-off is Sunday 14/06/2026: five working days reach Friday 19/06.
    assert periodic_deadline(parse_regime_period("2026-H1"), 5) == date(2026, 6, 19)
    # The year's: Monday 14/12/2026 -> Monday 21/12/2026.
    assert periodic_deadline(parse_regime_period("2026"), 5) == date(2026, 12, 21)


def test_status_reference_reads_the_cutoff_year() -> None:
    plan_start, plan_end = date(2026, 1, 27), date(2030, 12, 31)
    assert status_reference(parse_regime_period("2026-Q1"), plan_start, plan_end) == (
        "2026",
        "2026-03-14",
    )
    assert status_reference(parse_regime_period("2031"), plan_start, plan_end) == (
        "2030",
        "2030-12-31",
    )
    window = ad_hoc_window(3, date(2026, 1, 1), date(2026, 1, 20))
    assert status_reference(window, plan_start, plan_end) == ("2026", "2026-01-27")
    assert window.label == "request-3" and window.calendar_label is None
