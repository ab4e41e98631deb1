"""The plan page, an indicator page and the communes grid show the API's numbers."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from app.pages.format import STATUS_LOOKS
from tests.pages.html import links, number_vi, parse, percent, rows, squash
from tests.pages.world import PLAN, WHEN

API = f"/api/v1/plans/{PLAN}"
PAGE = f"/plans/{PLAN}"
WORDS = {
    "achieved": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ",
    "off_track": "Chậm",
    "no_data": "Chưa có dữ liệu",
}


def _json(client: TestClient, url: str, **params: str) -> Any:
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _html(client: TestClient, url: str, **params: str) -> str:
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    return answer.text


def test_status_words_are_the_apis_codes() -> None:
    assert {code: look.label for code, look in STATUS_LOOKS.items()} == WORDS


def test_plan_page_shows_every_indicator_as_the_api(client: TestClient, world: None) -> None:
    status = _json(client, f"{API}/status", **WHEN)
    html = _html(client, PAGE, **WHEN)
    shown = rows(html, "data-code")
    assert len(status["indicators"]) == 16
    for indicator in status["indicators"]:
        row = shown[indicator["code"]]
        assert row["value"] == percent(indicator["value"]), indicator["code"]
        assert row["expected"] == percent(indicator["expected"]), indicator["code"]
        assert row["target"] == "≥ " + percent(indicator["target_value"])
        numerator, denominator = indicator["numerator"], indicator["denominator"]
        assert row["fraction"] == f"{number_vi(numerator, 0)} / {number_vi(denominator, 0)}"
        assert row["status.status"] == indicator["status"]
        assert WORDS[indicator["status"]] in row["status"]  # words, not colour alone
    # Grouped into the 2026 and the 2030 targets, each linked to its page.
    headings = [squash(e.text) for e in parse(html) if e.tag == "h2"]
    assert "Chỉ tiêu đến năm 2026" in headings and "Chỉ tiêu đến năm 2030" in headings
    hrefs = links(html)
    for indicator in status["indicators"]:
        assert f"{PAGE}/indicators/{indicator['code']}?period=2026&as_of=2026-06-30" in hrefs
    summary = {
        e.attrs["data-summary"]: squash(e.text) for e in parse(html) if "data-summary" in e.attrs
    }
    assert set(summary) == set(WORDS)
    for code, words in WORDS.items():
        assert summary[code].endswith(f"{words}: {status['summary'].get(code, 0)}")
    # The JSON behind it, with the same period and as_of.
    assert f"{API}/status?period=2026&as_of=2026-06-30" in hrefs


def test_indicator_page_breakdown_gaps_and_json(client: TestClient, world: None) -> None:
    status = _json(client, f"{API}/indicators/T2026-5/status", **WHEN)
    html = _html(client, f"{PAGE}/indicators/T2026-5", **WHEN)
    elements = parse(html)
    breakdown = rows(html, "data-agency")
    table = next(e for e in elements if e.attrs.get("id") == "breakdown")
    assert len(parse_table_rows(table)) == len(status["breakdown"])
    for entry in status["breakdown"]:
        row = breakdown[entry["agency_code"]]
        assert row["numerator"] == number_vi(entry["numerator"], 0)
        assert row["denominator"] == number_vi(entry["denominator"], 0)
        assert row["counts"].endswith("Có" if entry["counts"] else "Chưa")
    gaps = [e for e in elements if e.attrs.get("id") == "gaps"]
    gap_codes = {
        e.attrs["data-agency"] for e in parse_table_rows(gaps[0]) if "data-agency" in e.attrs
    }
    assert gap_codes == {g["agency_code"] for g in status["gap_list"]}
    assert f"{API}/indicators/T2026-5/status?period=2026&as_of=2026-06-30" in links(html)
    headline = next(e for e in elements if e.tag == "dl")
    assert percent(status["value"]) in squash(headline.text)
    assert percent(status["expected"]) in squash(headline.text)
    assert WORDS[status["status"]] in squash(headline.text)


def parse_table_rows(table: Any) -> list[Any]:
    body = next(c for c in table.children if c.tag == "tbody")
    return [c for c in body.children if c.tag == "tr"]


def _order(html: str) -> list[str]:
    table = next(e for e in parse(html) if e.attrs.get("id") == "breakdown")
    return [r.attrs["data-agency"] for r in parse_table_rows(table)]


def test_breakdown_sorts_by_links(client: TestClient, world: None) -> None:
    status = _json(client, f"{API}/indicators/T2026-5/status", **WHEN)
    html = _html(client, f"{PAGE}/indicators/T2026-5", **WHEN)
    # Default: who does not count first.
    counts = {e["agency_code"]: e["counts"] for e in status["breakdown"]}
    order = _order(html)
    flags = [counts[code] for code in order]
    assert flags == sorted(flags)
    # Each column header is a link that sorts server-side, keeping period and as_of.
    sort_links = [h for h in links(html) if "sort=" in h]
    ratio = next(h for h in sort_links if parse_qs(urlsplit(h).query)["sort"] == ["ratio"])
    assert parse_qs(urlsplit(ratio).query)["as_of"] == ["2026-06-30"]
    descending = _html(client, f"{PAGE}/indicators/T2026-5", **WHEN, sort="-ratio")
    flags = [counts[code] for code in _order(descending)]
    assert flags == sorted(flags, reverse=True)
    assert 'aria-sort="descending"' in descending
    by_name = _order(_html(client, f"{PAGE}/indicators/T2026-5", **WHEN, sort="name"))
    assert by_name != order and sorted(by_name) == sorted(order)
    # An unknown column is the default order, not an error.
    assert _order(_html(client, f"{PAGE}/indicators/T2026-5", **WHEN, sort="x")) == order


def test_chart_points_are_the_apis_month_ends(client: TestClient, world: None) -> None:
    html = _html(client, f"{PAGE}/indicators/T2026-5", **WHEN)
    table = next(e for e in parse(html) if e.attrs.get("id") == "series")
    points = {r.attrs["data-day"]: r for r in parse_table_rows(table)}
    days = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]
    assert list(points) == days
    for day in days:
        at = _json(client, f"{API}/indicators/T2026-5/status", period="2026", as_of=day)
        cells = {c.attrs.get("data-field"): squash(c.text) for c in points[day].children}
        assert cells["value"] == percent(at["value"]), day
        assert cells["expected"] == percent(at["expected"]), day
    svg = next(e for e in parse(html) if e.tag == "svg" and "chart" in e.attrs.get("class", ""))
    assert svg.attrs["role"] == "img"
    circles = [e for e in parse(html) if e.tag == "circle"]
    assert len(circles) == len(days)


def test_communes_grid_follows_the_breakdowns(client: TestClient, world: None) -> None:
    status = _json(client, f"{API}/status", **WHEN)
    html = _html(client, f"{PAGE}/communes", **WHEN)
    communes = client.get("/api/v1/agencies", params={"kind": "commune", "limit": 500}).json()
    wards = client.get("/api/v1/agencies", params={"kind": "ward", "limit": 500}).json()
    units = {a["code"] for a in communes["items"] + wards["items"]}
    grid = next(e for e in parse(html) if e.attrs.get("id") == "grid")
    shown = {r.attrs["data-agency"]: r for r in parse_table_rows(grid)}
    assert set(shown) == units
    by_code = {i["code"]: i for i in status["indicators"]}
    for code in ("T2026-5", "T2030-5", "T2026-6"):
        counts = {e["agency_code"]: e["counts"] for e in by_code[code]["breakdown"]}
        for unit, row in shown.items():
            cell = next(c for c in row.children if c.attrs.get("data-code") == code)
            verdict = counts.get(unit, counts.get(f"to-cns-{unit}"))
            assert cell.attrs["data-state"] == ("yes" if verdict else "no"), (code, unit)
    # Sorted with who lags most first.
    lagging = [int(squash(r.children[1].text)) for r in shown.values()]
    assert lagging == sorted(lagging, reverse=True)
