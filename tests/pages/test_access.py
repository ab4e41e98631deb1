"""Who may read the pages (as the API's reads), what they load (nothing from outside),
what they answer when the services refuse, and that the contract does not see them."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.config import get_settings
from tests.pages.html import links, parse, squash
from tests.pages.world import PLAN, REPORT_PERIOD, WHEN

STATUS_PAGES = [
    f"/plans/{PLAN}",
    f"/plans/{PLAN}/indicators/T2026-5",
    f"/plans/{PLAN}/communes",
    f"/embed/plans/{PLAN}",
    f"/embed/plans/{PLAN}/indicators/T2026-5",
    f"/embed/plans/{PLAN}/indicators/T2026-5/badge.svg",
]
REPORTS_PAGE = f"/plans/{PLAN}/reports"


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NQ57_PUBLIC_READ", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_public_read_off_closes_the_pages_like_the_api(
    closed: None, client: TestClient, admin_headers: dict[str, str]
) -> None:
    api = client.get(f"/api/v1/plans/{PLAN}/status", params=WHEN)
    assert api.status_code == 401
    for url in STATUS_PAGES:
        answer = client.get(url, params=WHEN)
        assert answer.status_code == api.status_code, url
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.headers["cache-control"] == "private, no-store"
        assert client.get(url, params=WHEN, headers=admin_headers).status_code == 200, url


def test_the_compliance_board_needs_a_key_as_the_api(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    params = {"period": REPORT_PERIOD}
    api = client.get("/api/v1/reports/compliance", params={"plan": PLAN, **params})
    assert api.status_code == 401
    refused = client.get(REPORTS_PAGE, params=params)
    assert refused.status_code == 401
    assert "khóa API" in refused.text and refused.headers["content-type"].startswith("text/html")
    assert client.get(REPORTS_PAGE, params=params, headers=admin_headers).status_code == 200


def test_pages_load_nothing_from_outside(client: TestClient, admin_headers: dict[str, str]) -> None:
    for url in [*STATUS_PAGES[:-1], REPORTS_PAGE]:
        answer = client.get(url, params=WHEN if url != REPORTS_PAGE else {}, headers=admin_headers)
        assert answer.status_code == 200, url
        for link in links(answer.text):
            # "" is the form's action: the page itself.
            local = link == "" or link.startswith(("/", "#", "mailto:", "tel:"))
            assert local and not link.startswith("//"), (url, link)
        assert "<script" not in answer.text and "url(" not in answer.text
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        sheets = [e.attrs["href"] for e in parse(answer.text) if e.attrs.get("rel") == "stylesheet"]
        assert sheets == ["/pages-assets/pages.css"]
    css = client.get("/pages-assets/pages.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text and "@import" not in css.text and "@media print" in css.text
    assert client.get("/pages-assets/nothing.css").status_code == 404


def test_refusals_are_pages_in_vietnamese(client: TestClient) -> None:
    unknown = client.get("/plans/no-such-plan")
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    wrong = client.get(f"/plans/{PLAN}", params={"period": "2026-13"})
    assert wrong.status_code == 422
    heading = [squash(e.text) for e in parse(wrong.text) if e.tag == "h1"]
    assert heading == ["Dữ liệu không hợp lệ"]
    main = next(squash(e.text) for e in parse(wrong.text) if e.tag == "main")
    assert "'2026-13'" in main  # the service's message
    outside = client.get(f"/plans/{PLAN}/indicators/T2026-5", params={"as_of": "2031-01-01"})
    assert outside.status_code == 422
    assert client.get(f"/plans/{PLAN}/indicators/T9999-9").status_code == 404
    long = client.get(f"/plans/{PLAN}", params={"as_of": "2026-06-30" * 10})
    assert long.status_code == 422


def test_empty_form_fields_mean_the_defaults(client: TestClient) -> None:
    """A GET form sends empty fields: ``?period=&as_of=`` is the default view."""
    answer = client.get(f"/plans/{PLAN}", params={"period": "", "as_of": ""})
    assert answer.status_code == 200


def test_pages_stay_out_of_the_contract(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    assert not [p for p in paths if p.startswith(("/plans", "/embed", "/pages-assets"))]
