"""The pages and widgets in Chromium, on a service with records: the numbers shown are
the API's, nothing is requested from another host, axe-core finds no serious or critical
violation, the plan page fits a phone and prints without its controls, the breakdown
sorts without scripts, and a widget renders inside another page's iframe.

Screenshots and axe-core's findings are kept in test-artifacts/ (``pages-*``).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tests.browser import pages_support
from tests.browser.pages_support import (
    ADMIN_HEADERS,
    DESKTOP,
    PHONE,
    Visit,
    axe_violations,
    number_vi,
    shoot,
)
from tests.pages.world import PLAN, REPORT_PERIOD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The fixtures of pages_support, for this module (conftest.py is another engineer's).
pages_service = pages_support.pages_service
api = pages_support.api
visit = pages_support.visit

WHEN = "period=2026&as_of=2026-06-30"
WORDS = {
    "achieved": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ",
    "off_track": "Chậm",
    "no_data": "Chưa có dữ liệu",
}


def percent(value: float | None) -> str:
    return "–" if value is None else number_vi(value) + "%"


def _text(page: "Page", selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def _checked(visit: Visit, artifacts: Path, name: str) -> None:
    """What every page must pass: nothing from outside, axe-core, a screenshot."""
    shoot(visit.page, artifacts, name)
    assert visit.outside() == [], visit.outside()
    assert axe_violations(visit.page, artifacts, name) == []


def test_plan_page(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    status = api.get(f"/api/v1/plans/{PLAN}/status?{WHEN}").json()
    visit.open(f"/plans/{PLAN}?{WHEN}")
    page = visit.page
    assert page.title().startswith("Tổng quan chỉ tiêu, kỳ 2026")
    for indicator in status["indicators"]:
        row = f'tr[data-code="{indicator["code"]}"]'
        assert _text(page, f'{row} [data-field="value"]') == percent(indicator["value"])
        assert _text(page, f'{row} [data-field="expected"]') == percent(indicator["expected"])
        assert WORDS[indicator["status"]] in _text(page, f'{row} [data-field="status"]')
    _checked(visit, artifacts, "pages-plan")
    # Printed: no navigation, no form; the figures stay.
    page.emulate_media(media="print")
    assert not page.locator("header.site nav").is_visible()
    assert not page.locator("form.when").is_visible()
    assert page.locator('tr[data-code="T2026-5"]').is_visible()
    shoot(page, artifacts, "pages-plan-print")


def test_plan_page_on_a_phone(browser: "Browser", pages_service: str, artifacts: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        phone = Visit(context, pages_service)
        phone.open(f"/plans/{PLAN}?{WHEN}")
        # Nothing wider than the screen: the indicator table reads as cards.
        widths = phone.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], widths
        phone.page.screenshot(path=str(artifacts / "pages-plan-phone.png"))
        assert phone.outside() == []
        assert axe_violations(phone.page, artifacts, "pages-plan-phone") == []
    finally:
        context.close()


def test_indicator_page(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    status = api.get(f"/api/v1/plans/{PLAN}/indicators/T2026-5/status?{WHEN}").json()
    visit.open(f"/plans/{PLAN}/indicators/T2026-5?{WHEN}")
    page = visit.page
    assert _text(page, 'dl [data-field="value"]') == percent(status["value"])
    assert _text(page, 'dl [data-field="expected"]') == percent(status["expected"])
    assert page.locator("#breakdown tbody tr").count() == len(status["breakdown"])
    assert page.locator("#gaps tbody tr").count() == len(status["gap_list"])
    for entry in status["breakdown"][:10]:
        row = f'#breakdown tr[data-agency="{entry["agency_code"]}"]'
        assert _text(page, f'{row} [data-field="numerator"]') == number_vi(entry["numerator"], 0)
    # The chart: one dot per month end, each the API's value as of that day.
    dots = page.locator("svg.chart circle")
    assert dots.count() == 6
    for row in page.locator("#series tbody tr").all():
        day = row.get_attribute("data-day")
        at = api.get(f"/api/v1/plans/{PLAN}/indicators/T2026-5/status?period=2026&as_of={day}")
        shown = " ".join(row.locator('[data-field="value"]').inner_text().split())
        assert shown == percent(at.json()["value"]), day
    # The badge image on the page loaded from the service.
    badge = page.locator('img[src*="badge.svg"]')
    assert badge.evaluate("img => img.complete && img.naturalWidth > 0")
    _checked(visit, artifacts, "pages-indicator")
    page.locator("svg.chart").screenshot(path=str(artifacts / "pages-indicator-chart.png"))


def test_breakdown_sorts_without_scripts(
    browser: "Browser", pages_service: str, artifacts: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        no_js = Visit(context, pages_service)
        no_js.open(f"/plans/{PLAN}/indicators/T2026-5?{WHEN}")
        page = no_js.page
        page.locator("#breakdown thead a", has_text="Tỷ lệ").click()
        page.wait_for_url("**sort=ratio**")
        assert "as_of=2026-06-30" in page.url
        header = page.locator("#breakdown thead th[aria-sort]")
        assert header.get_attribute("aria-sort") == "ascending"
        page.locator("#breakdown thead a", has_text="Tỷ lệ").click()
        page.wait_for_url("**sort=-ratio**")
        first = page.locator('#breakdown tbody tr [data-field="ratio"]').first.inner_text()
        assert first.strip() == "100,0%"
        shoot(page, artifacts, "pages-indicator-sorted")
        assert no_js.outside() == []
    finally:
        context.close()


def test_communes_grid(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    status = api.get(f"/api/v1/plans/{PLAN}/status?{WHEN}").json()
    visit.open(f"/plans/{PLAN}/communes?{WHEN}")
    page = visit.page
    assert page.locator("#grid tbody tr").count() == 56
    t2026_5 = next(i for i in status["indicators"] if i["code"] == "T2026-5")
    counting = sum(1 for e in t2026_5["breakdown"] if e["counts"])
    shown = page.locator('#grid tbody td[data-code="T2026-5"][data-state="yes"]').count()
    assert shown == counting == t2026_5["numerator"]
    _checked(visit, artifacts, "pages-communes")


def test_reports_board(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    board = api.get(
        "/api/v1/reports/compliance", params={"plan": PLAN, "period": REPORT_PERIOD}
    ).json()
    visit.page.set_extra_http_headers(ADMIN_HEADERS)  # the board needs a key, as the API
    visit.open(f"/plans/{PLAN}/reports?period={REPORT_PERIOD}")
    page = visit.page
    for state, count in board["summary"].items():
        assert _text(page, f'strong[data-state="{state}"]') == str(count)
    assert page.locator("#compliance tbody tr").count() == len(board["agencies"])
    _checked(visit, artifacts, "pages-reports")


def _framed(page: "Page", src: str, width: int, height: int) -> Any:
    """A portal's page (about:blank, another origin) framing the widget."""
    page.set_content(
        '<!doctype html><html lang="vi"><head><title>Cổng thông tin</title></head><body>'
        f'<main><iframe src="{src}" title="Tiến độ" width="{width}" height="{height}"></iframe>'
        "</main></body></html>"
    )
    frame = page.frame_locator("iframe")
    frame.locator("main").wait_for()
    return frame


def test_widgets_in_a_portals_iframe(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    status = api.get(f"/api/v1/plans/{PLAN}/status?{WHEN}").json()
    frame = _framed(visit.page, f"{visit.base}/embed/plans/{PLAN}?{WHEN}", 420, 900)
    for indicator in status["indicators"]:
        value = frame.locator(f'li[data-code="{indicator["code"]}"] [data-field="value"]')
        assert " ".join(value.inner_text().split()) == percent(indicator["value"])
    shoot(visit.page, artifacts, "pages-embed-plan")
    one_src = f"{visit.base}/embed/plans/{PLAN}/indicators/T2026-5?{WHEN}"
    frame = _framed(visit.page, one_src, 360, 250)  # the size the indicator page suggests
    one = next(i for i in status["indicators"] if i["code"] == "T2026-5")
    assert frame.locator('[data-field="value"]').inner_text().strip() == percent(one["value"])
    shoot(visit.page, artifacts, "pages-embed-indicator")
    assert visit.outside() == []
    widgets = {
        "pages-embed-plan-alone": f"/embed/plans/{PLAN}?{WHEN}",
        "pages-embed-indicator-alone": f"/embed/plans/{PLAN}/indicators/T2026-5?{WHEN}",
    }
    for name, path in widgets.items():
        response = visit.open(path)
        assert response.headers["cache-control"] == "public, max-age=300"
        assert visit.page.context.cookies() == []
        assert axe_violations(visit.page, artifacts, name) == []


def test_badge(visit: Visit, api: httpx.Client, artifacts: Path) -> None:
    one = api.get(f"/api/v1/plans/{PLAN}/indicators/T2026-5/status?{WHEN}").json()
    url = f"/embed/plans/{PLAN}/indicators/T2026-5/badge.svg?{WHEN}"
    response = visit.open(url)
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert f"{percent(one['value'])} · {WORDS[one['status']]}" in visit.page.content()
    visit.page.locator("svg").screenshot(path=str(artifacts / "pages-badge.png"))
    again = visit.page.request.get(
        visit.base + url, headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status == 304
    assert visit.outside() == []
