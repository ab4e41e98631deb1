"""The pieces: number formats, the chart's and the badge's SVG, reporting quarters, and
the direction of imports (only app.main imports app.pages)."""

import ast
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from app.pages.charts import ChartPoint, badge_svg, month_ends, nice_top, trajectory_svg
from app.pages.format import number_vi, percent_vi
from app.pages.service import regime_quarter
from tests.pages.html import number_vi as number_in_tests

APP = Path(__file__).resolve().parents[2] / "app"


def test_numbers_read_the_vietnamese_way() -> None:
    assert number_vi(1234.5) == "1.234,5" == number_in_tests(1234.5)
    assert number_vi(49.6) == "49,6"
    assert number_vi(35000, 0) == "35.000" == number_in_tests(35000, 0)
    assert percent_vi(None) == "–"


def test_axis_tops_and_month_ends() -> None:
    assert [nice_top(v) for v in (0, 8.6, 49.6, 100, 101)] == [10, 10, 50, 100, 200]
    assert month_ends(date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    assert month_ends(date(2026, 12, 1), date(2026, 12, 31)) == [date(2026, 12, 31)]


def test_chart_is_one_svg_with_a_title_and_gaps_where_no_value() -> None:
    points = [
        ChartPoint(date(2026, 1, 31), 10.0, 8.5),
        ChartPoint(date(2026, 2, 28), None, 16.2),
        ChartPoint(date(2026, 3, 31), 30.0, 24.7),
    ]
    svg = trajectory_svg(
        points,
        first=date(2026, 1, 1),
        last=date(2026, 12, 31),
        target=100,
        suffix="%",
        title="T <1> & co",
        description="d",
    )
    # Inline SVG in HTML needs no namespace; a standalone parser does.
    ns_uri = "http://www.w3.org/2000/svg"
    tree = ElementTree.fromstring(str(svg).replace("<svg ", f'<svg xmlns="{ns_uri}" ', 1))
    ns = "{" + ns_uri + "}"
    assert tree.find(f"{ns}title").text == "T <1> & co"  # type: ignore[union-attr]
    values = [p for p in tree.iter(f"{ns}polyline") if p.get("stroke-width") == "3"]
    assert len(values) == 2  # the month without a value breaks the line
    assert len(list(tree.iter(f"{ns}circle"))) == 2
    labels = [t.text for t in tree.iter(f"{ns}text") if (t.text or "").startswith("T")]
    assert labels == [f"T{m}" for m in range(1, 13)]


def test_badge_escapes_what_it_is_given() -> None:
    svg = ElementTree.fromstring(badge_svg("<T>", "a & b", "#123456", 'say "x"'))
    assert svg.get("aria-label") == 'say "x"'


def test_reporting_quarters_follow_decree_09() -> None:
    assert regime_quarter(date(2025, 12, 15)) == "2026-Q1"
    assert regime_quarter(date(2026, 3, 14)) == "2026-Q1"
    assert regime_quarter(date(2026, 3, 15)) == "2026-Q2"
    assert regime_quarter(date(2026, 12, 14)) == "2026-Q4"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_imports_go_one_way() -> None:
    """app.pages reads the layers below it; nothing but app.main imports it."""
    for path in APP.rglob("*.py"):
        inside = path.is_relative_to(APP / "pages")
        for module in _imports(path):
            if module == "app.pages" or module.startswith("app.pages."):
                assert inside or path == APP / "main.py", path
            elif inside and module.startswith("app."):
                layer = module.split(".")[1]
                assert layer in {
                    "core",
                    "indicators",
                    "status",
                    "reports",
                    "agencies",
                    "plans",
                    "auth",
                }, (
                    path,
                    module,
                )
