"""NQ57_PUBLIC_READ=false closes the catalogue and indicator status to anonymous clients."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from tests.helpers import assert_problem

CATALOGUE = [
    "/api/v1/plans/kh-209-2026",
    "/api/v1/plans/kh-209-2026/tasks",
    "/api/v1/plans/kh-209-2026/indicators",
    "/api/v1/plans/kh-209-2026/status?period=2026&as_of=2026-06-30",
    "/api/v1/plans/kh-209-2026/indicators/T2026-5/status?period=2026&as_of=2026-06-30",
    "/api/v1/agencies?kind=commune",
    "/api/v1/agency-groups",
    "/api/v1/vocabularies",
]


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NQ57_PUBLIC_READ", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_catalogue_and_status_are_open_by_default(client: TestClient) -> None:
    for url in CATALOGUE:
        assert client.get(url).status_code == 200, url


def test_a_setting_closes_them(
    closed: None, client: TestClient, admin_headers: dict[str, str]
) -> None:
    for url in CATALOGUE:
        problem = assert_problem(client.get(url), 401)
        assert client.get(url, headers=admin_headers).status_code == 200, (url, problem)
