from datetime import date

import pytest

from app.core.periods import Period, parse_period


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H1", "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-h2", "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        (" 2026-q4 ", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-03", "2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2028-02", "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-02", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_parse_period(text: str, label: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(label, start, end)
    assert str(parse_period(text)) == label


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-",
        "2026-Q5",
        "2026-H3",
        "2026-13",
        "2026-00",
        "2026-1",
        "1999",
        "2101",
        "2026-Q1-01",
        "2026/03",
        "２０２６",
        "٢٠٢٦",
        "2026\n-03",
        "2026-W10",
    ],
)
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_contains() -> None:
    year = parse_period("2026")
    assert year.contains(parse_period("2026-Q2"))
    assert year.contains(year)
    assert not parse_period("2026-Q2").contains(year)
    assert not year.contains(parse_period("2027-01"))
