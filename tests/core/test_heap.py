"""Once the application has started, what startup made is frozen (app/core/heap.py)."""

import gc

from fastapi.testclient import TestClient

from app.core import heap


def test_started_application_freezes_startup_objects(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    # The application's modules, models and routes are among the frozen objects.
    assert gc.get_freeze_count() > 10_000


def test_settling_twice_changes_nothing(client: TestClient) -> None:
    frozen = gc.get_freeze_count()
    heap.settle_heap()
    assert gc.get_freeze_count() == frozen
