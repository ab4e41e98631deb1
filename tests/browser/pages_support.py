"""Fixtures and helpers for tests/browser/test_pages.py (the conftest beside it gives the
browser and the artifacts folder).

The pages need records: the service runs on a database of its own (``<test db>_pages`` on
PostgreSQL, a temporary SQLite file otherwise), migrated, seeded and filled through the
HTTP API, so that nothing is left in the suite's database.
"""

import json
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.core.db import create_db_engine
from app.seed.loader import seed
from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL, migrate, reset_database
from tests.integration.servers import uvicorn_server
from tests.pages.html import number_vi  # noqa: F401  (the tests' own formatter)
from tests.pages.world import populate

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ADMIN_HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}
# axe-core's impacts that fail a page (minor and moderate ones are printed, not failed).
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000


def _admin_engine_url() -> Any:
    return make_url(TEST_DATABASE_URL)


def pages_database_url() -> str:
    url = _admin_engine_url()
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_pages"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return str(url.set(database=name).render_as_string(hide_password=False))
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='nq57-pages-')) / 'pages.db'}"


def _drop(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    admin = sa.create_engine(_admin_engine_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="module")
def pages_service() -> Iterator[str]:
    """The service under uvicorn on 127.0.0.1 with the world of tests/pages/world.py."""
    database_url = pages_database_url()
    engine = create_db_engine(database_url)
    try:
        reset_database(engine)
        migrate(engine)
        with Session(engine) as session:
            seed(session)
    finally:
        engine.dispose()
    try:
        with uvicorn_server(database_url) as (base, _process):
            with httpx.Client(base_url=base, timeout=60) as http:
                populate(http, ADMIN_HEADERS)
            yield base
    finally:
        _drop(database_url)


@pytest.fixture
def api(pages_service: str) -> Iterator[httpx.Client]:
    """The JSON the pages must agree with, straight from the API."""
    with httpx.Client(base_url=pages_service, timeout=60, headers=ADMIN_HEADERS) as http:
        yield http


def is_local(url: str, base: str) -> bool:
    """On the service, or never on the network (data:, blob:, about: URLs)."""
    parts, service = urlsplit(url), urlsplit(base)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme == service.scheme and parts.netloc == service.netloc


class Visit:
    """A browser context on the service: every request is recorded, and anything meant
    for another host is aborted at once (a closed network) and then fails the test."""

    def __init__(self, context: "BrowserContext", base: str) -> None:
        self.context = context
        self.base = base
        self.requested: list[str] = []
        context.route(lambda url: not is_local(url, base), lambda route: route.abort())
        context.on("request", lambda request: self.requested.append(request.url))
        self.page: Page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)
        return response

    def outside(self) -> list[str]:
        return [url for url in self.requested if not is_local(url, self.base)]


@pytest.fixture
def visit(browser: "Browser", pages_service: str) -> Iterator[Visit]:
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    try:
        yield Visit(context, pages_service)
    finally:
        context.close()


def axe_script() -> str:
    """axe-core as the PyPI package axe-playwright-python ships it (never a CDN)."""
    try:
        bundled = resources.files("axe_playwright_python") / "axe.min.js"
        return bundled.read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError) as exc:
        pytest.skip(f"axe-core is not installed ({exc}): pip install -e '.[dev]'")


def axe_violations(page: "Page", artifacts: Path, name: str) -> list[dict[str, Any]]:
    """Runs axe-core on the page (WCAG 2.x A and AA rules and best practices); writes the
    full result beside the screenshots; returns the serious and critical violations."""
    page.evaluate(axe_script())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = result["violations"]
    (artifacts / f"{name}.axe.json").write_text(
        json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    for v in violations:
        print(f"axe {name}: {v['id']} ({v['impact']}) on {len(v['nodes'])} nodes")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]


def shoot(page: "Page", artifacts: Path, name: str) -> Path:
    """A full-page screenshot under test-artifacts/ (kept after the run)."""
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
