"""/docs and /redoc work on a closed network: every request they make goes to the service.

Swagger UI is used as an integrator would: Authorize with a key, "Try it out" on a read
and on a POST sent twice with the same fresh ``Idempotency-Key``.
"""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.audit.models import AuditEvent
from app.broadcasts.models import Broadcast
from app.core.idempotency_record import IdempotencyRecord
from app.status import tallies
from tests.conftest import ADMIN_KEY

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

# What the POST creates, so that it can be taken away again (the database is the suite's).
SOURCE = "docs-browser-test"
# Swagger UI highlights a response before it shows it: the plan's status (~200 kB) takes
# seconds on a busy 2-core machine.
TIMEOUT_MS = 20_000


def _purge(engine: Engine, idempotency_key: str) -> None:
    with Session(engine) as session:
        ids = [
            str(i)
            for i in session.execute(
                sa.select(Broadcast.id).where(col(Broadcast.source) == SOURCE)
            ).scalars()
        ]
        tallies.delete_records(session, "broadcast", col(Broadcast.source) == SOURCE)
        session.execute(
            sa.delete(AuditEvent).where(
                col(AuditEvent.entity) == "broadcast", col(AuditEvent.entity_id).in_(ids)
            )
        )
        session.execute(
            sa.delete(IdempotencyRecord).where(col(IdempotencyRecord.key) == idempotency_key)
        )
        session.commit()


@pytest.fixture
def idempotency_key(engine: Engine) -> Iterator[str]:
    key = f"docs-browser-{uuid.uuid4()}"
    yield key
    _purge(engine, key)


@pytest.fixture
def page(browser: "Browser", service: str) -> Iterator["Page"]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Anything not for the service fails at once (rather than hang on a closed network);
    # it is still seen, and failed, by the test's request log.
    context.route(lambda url: not _is_local(url, service), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def _is_local(url: str, base: str) -> bool:
    """On the service, or never on the network (data: and blob: URLs the page makes)."""
    parts, service = urlsplit(url), urlsplit(base)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme == service.scheme and parts.netloc == service.netloc


def _operation(page: "Page", method: str, path: str) -> "Locator":
    return (
        page.locator(f".opblock.opblock-{method}")
        .filter(has=page.locator(f'.opblock-summary-path[data-path="{path}"]'))
        .first
    )


def _open_try_it_out(operation: "Locator") -> None:
    operation.locator(".opblock-summary").first.click()
    operation.locator("button.try-out__btn").click()


def _execute(page: "Page", operation: "Locator", method: str, path_end: str) -> tuple[int, str]:
    """Clicks Execute; the status the service answered, and the one Swagger UI shows."""
    with page.expect_response(
        lambda r: r.request.method == method.upper() and r.url.split("?")[0].endswith(path_end)
    ) as answer:
        operation.locator("button.execute").click()
    response = answer.value
    shown = operation.locator(".live-responses-table tr.response .response-col_status").first
    expected = str(response.status)
    from playwright.sync_api import expect

    expect(shown).to_have_text(expected, timeout=TIMEOUT_MS)
    return response.status, (shown.text_content() or "").strip()


def test_docs_and_redoc_load_nothing_from_outside(
    browser: "Browser",
    service: str,
    page: "Page",
    artifacts: Path,
    idempotency_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from playwright.sync_api import expect

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # Swagger UI renders, from /docs-assets/ only.
    page.goto(f"{service}/docs")
    title = page.locator(".information-container .title")
    expect(title).to_contain_text("nq57-tracker", timeout=TIMEOUT_MS)
    expect(page.locator(".opblock").first).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator(".opblock").count() > 20
    assert page.locator('link[rel="shortcut icon"]').get_attribute("href") == "/favicon.ico"
    icon = page.request.get(f"{service}/favicon.ico")
    assert icon.ok and icon.headers["content-type"] == "image/x-icon"
    docs_png = artifacts / "docs.png"
    page.screenshot(path=str(docs_png))

    # Authorize with the admin key.
    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.locator("input").first.fill(ADMIN_KEY)
    dialog.locator("button.modal-btn.authorize").click()
    expect(dialog.get_by_text("Authorized", exact=True)).to_be_visible()  # and "Logout" instead
    dialog.locator("button.btn-done").click()

    # A read: the plan's status.
    status = _operation(page, "get", "/api/v1/plans/{plan}/status")
    _open_try_it_out(status)
    status.locator('tr[data-param-name="plan"] input').fill("kh-209-2026")
    status.locator('tr[data-param-name="period"] input').fill("2026")
    answered, shown = _execute(page, status, "get", "/api/v1/plans/kh-209-2026/status")
    assert (answered, shown) == (200, "200")

    # A POST, twice with the same fresh Idempotency-Key: created, then the same answer.
    create = _operation(page, "post", "/api/v1/broadcasts")
    create.scroll_into_view_if_needed()
    _open_try_it_out(create)
    create.locator('tr[data-param-name="Idempotency-Key"] input').fill(idempotency_key)
    body_field = create.locator("textarea.body-param__text")
    body = json.loads(body_field.input_value())
    # The contract's example names channel 1, which a fresh seed does not have (to be
    # fixed in the examples); the source is the test's own, for the cleanup.
    body.pop("channel_id", None)
    body["source"] = SOURCE
    body_field.fill(json.dumps(body, ensure_ascii=False, indent=2))
    for attempt in range(2):
        if attempt:  # "Clear" the first answer, so that the second is the one shown
            create.locator("button.btn-clear").click()
            expect(create.locator(".live-responses-table")).to_have_count(0)
        with page.expect_request(lambda r: r.method == "POST") as sent:
            answered, shown = _execute(page, create, "post", "/api/v1/broadcasts")
        assert answered in (200, 201) and shown == str(answered)
        headers = sent.value.headers
        assert headers["idempotency-key"] == idempotency_key
        assert headers["authorization"] == f"Bearer {ADMIN_KEY}"
    # The request as sent (curl, with the key) and the service's answer, on one screen.
    create.locator(".curl-command").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    try_png = artifacts / "docs-try-it-out.png"
    page.screenshot(path=str(try_png))

    # ReDoc renders the same contract.
    page.goto(f"{service}/redoc")
    expect(page.locator("h1").first).to_contain_text("nq57-tracker", timeout=TIMEOUT_MS)
    expect(page.locator("[data-section-id]").first).to_be_attached()
    redoc_png = artifacts / "redoc.png"
    page.screenshot(path=str(redoc_png))

    outside = [url for url in requested if not _is_local(url, service)]
    assert not outside, f"requests that left {service}: {outside}"
    assert any(url.endswith("/docs-assets/swagger/swagger-ui-bundle.js") for url in requested)
    assert any(url.endswith("/docs-assets/redoc/redoc.standalone.js") for url in requested)
    with capsys.disabled():
        print(f"\nscreenshots: {docs_png}, {try_png}, {redoc_png}")
