"""A real browser against the real service: Debian's Chromium driven by Playwright.

Playwright's own browsers are never downloaded (the machines reach no CDN): the tests use
``/usr/bin/chromium`` (Debian's ``chromium``, installed by .ci/run), and are skipped, with
the reason, where it or the ``playwright`` package is missing.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import TEST_DATABASE_URL
from tests.integration.servers import uvicorn_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots, kept after the run (CI's artifacts); in .gitignore.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"playwright is not importable ({exc}): pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def service(engine: Engine) -> Iterator[str]:
    """The service under uvicorn on 127.0.0.1, on the suite's migrated and seeded database
    (``engine`` builds it); its base URL."""
    with uvicorn_server(TEST_DATABASE_URL) as (base, _process):
        yield base


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
