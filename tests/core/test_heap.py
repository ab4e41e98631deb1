"""Once the application has started, the garbage collector runs as app/core/heap.py says:
what startup made is frozen and young collections wait for more allocations."""

import gc

from fastapi.testclient import TestClient

from app.core import heap


def test_started_application_freezes_startup_objects_and_raises_thresholds(
    client: TestClient,
) -> None:
    assert client.get("/healthz").status_code == 200
    assert gc.get_threshold() == (
        heap.YOUNG_THRESHOLD,
        heap.OLDER_THRESHOLD,
        heap.OLDER_THRESHOLD,
    )
    # The application's modules, models and routes are among the frozen objects.
    assert gc.get_freeze_count() > 10_000


def test_settling_twice_changes_nothing(client: TestClient) -> None:
    frozen = gc.get_freeze_count()
    heap.settle_heap()
    assert gc.get_freeze_count() == frozen
