"""Widgets for portals: framable, cacheable (ETag, 304, public max-age), no cookie, no
script, the API's numbers; the badge says the status in words."""

import time
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from tests.pages.html import links, number_vi, parse, percent, rows, squash
from tests.pages.world import PLAN, WHEN

WIDGETS = [
    f"/embed/plans/{PLAN}",
    f"/embed/plans/{PLAN}/indicators/T2026-5",
    f"/embed/plans/{PLAN}/indicators/T2026-5/badge.svg",
]
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("url", WIDGETS)
def test_a_widget_is_cacheable_framable_and_cookieless(client: TestClient, url: str) -> None:
    answer = client.get(url, params=WHEN)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "public, max-age=300"
    assert "set-cookie" not in answer.headers
    assert "x-frame-options" not in answer.headers
    assert "frame-ancestors" not in answer.headers["content-security-policy"]
    assert "script" not in answer.text.lower()
    etag = answer.headers["etag"]
    again = client.get(url, params=WHEN, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=300"
    weak = client.get(url, params=WHEN, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    other = client.get(url, params={**WHEN, "as_of": "2026-03-31"}, headers={"If-None-Match": etag})
    assert other.status_code == 200  # another as_of, another answer (the 2030 marks move)
    assert other.headers["etag"] != etag


def test_a_request_with_a_key_is_never_cached_publicly(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    answer = client.get(WIDGETS[0], params=WHEN, headers=admin_headers)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    assert "Authorization" in answer.headers["vary"]


def test_pages_are_not_framable(client: TestClient) -> None:
    answer = client.get(f"/plans/{PLAN}", params=WHEN)
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-cache" and answer.headers["etag"]


def test_plan_widget_shows_the_apis_numbers(client: TestClient, world: None) -> None:
    status = client.get(f"/api/v1/plans/{PLAN}/status", params=WHEN).json()
    html = client.get(WIDGETS[0], params=WHEN).text
    shown = rows(html, "data-code")
    for indicator in status["indicators"]:
        assert shown[indicator["code"]]["value"] == percent(indicator["value"])
        assert shown[indicator["code"]]["status.status"] == indicator["status"]
    # Its links open the full page (a new tab: the widget lives in a portal's iframe).
    anchors = [e for e in parse(html) if e.tag == "a"]
    assert all(a.attrs.get("target") == "_blank" and "noopener" in a.attrs["rel"] for a in anchors)
    assert f"/plans/{PLAN}?period=2026&as_of=2026-06-30" in links(html)


def test_indicator_widget_and_badge(client: TestClient, world: None) -> None:
    status = client.get(f"/api/v1/plans/{PLAN}/indicators/T2026-5/status", params=WHEN).json()
    html = client.get(WIDGETS[1], params=WHEN).text
    fields = {e.attrs["data-field"]: squash(e.text) for e in parse(html) if "data-field" in e.attrs}
    assert fields["value"] == percent(status["value"])
    assert fields["expected"] == percent(status["expected"])
    assert fields["target"] == "≥ " + percent(status["target_value"])
    badge = client.get(WIDGETS[2], params=WHEN)
    assert badge.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert badge.headers["content-security-policy"] == "default-src 'none'"
    svg = ElementTree.fromstring(badge.content)
    texts = [t.text for t in svg.iter(f"{SVG_NS}text")]
    assert texts == ["T2026-5", f"{percent(status['value'])} · Đúng tiến độ"]
    assert status["status"] == "on_track"
    title = svg.find(f"{SVG_NS}title")
    assert title is not None and percent(status["value"]) in (title.text or "")
    assert svg.attrib["role"] == "img"
    assert number_vi(status["value"]) in badge.text


def test_widgets_are_kept_a_minute(
    client: TestClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same widget URL within a minute is the same answer (its max-age allows five);
    a key's request is never served from what was kept, and a minute later it is fresh."""
    url = f"/embed/plans/{PLAN}/indicators/T2026-5"
    before = client.get(url, params=WHEN)
    populate_one = client.post(
        "/api/v1/broadcasts",
        json={
            "agency_code": "xa-bao-lam",
            "title": "Tiếp sóng chương trình về Nghị quyết 57",
            "origin": "provincial",
            "started_at": "2026-04-01T06:00:00+07:00",
            "duration_seconds": 600,
            "topics": ["nq57"],
        },
        headers=admin_headers,
    )
    assert populate_one.status_code == 201, populate_one.text
    kept = client.get(url, params=WHEN)
    assert kept.headers["etag"] == before.headers["etag"]
    keyed = client.get(url, params=WHEN, headers=admin_headers)
    assert keyed.headers["etag"] != before.headers["etag"]  # 1 of 56 communes now
    later = time.monotonic() + 61
    monkeypatch.setattr("app.pages.cache.time.monotonic", lambda: later)
    fresh = client.get(url, params=WHEN)
    assert fresh.headers["etag"] == keyed.headers["etag"]
