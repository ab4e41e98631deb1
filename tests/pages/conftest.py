"""The pages' tests read a world of records built through the API (tests/pages/world.py),
inside the test's transaction like every other test."""

import pytest
from fastapi.testclient import TestClient

from tests.pages.world import populate


@pytest.fixture
def world(client: TestClient, admin_headers: dict[str, str]) -> None:
    populate(client, admin_headers)
