"""What a request about a plan's part hears first, whatever the plan: the key check (401),
then the request's own mistakes (422), and only then that the plan is unknown (404). The
routes look the plan up after checking the caller and the request, so that a caller
without a key learns nothing of which plans exist."""

import pytest
from fastapi.testclient import TestClient

from tests.helpers import assert_problem

UNKNOWN = "/api/v1/plans/no-such-plan"

WRITES = [
    ("PATCH", f"{UNKNOWN}/tasks/1", {"title": "Một nhiệm vụ"}, {"title": 5}),
    ("POST", f"{UNKNOWN}/tasks", {"number": 99}, {"number": "x"}),
    ("PATCH", f"{UNKNOWN}/duties/V.1", {"title": "Một nhiệm vụ"}, {"title": 5}),
    ("PATCH", f"{UNKNOWN}/indicators/T2026-1", {"title": "Một chỉ tiêu"}, {"title": 5}),
    ("PATCH", f"{UNKNOWN}/tasks/1/progress/1", {"narrative": "Đã xong"}, {"status": "x"}),
]


@pytest.mark.parametrize(("method", "path", "good", "bad"), WRITES)
def test_a_write_without_a_key_is_refused_before_the_plan_is_looked_up(
    client: TestClient, method: str, path: str, good: dict[str, object], bad: dict[str, object]
) -> None:
    assert_problem(client.request(method, path, json=good), 401)


@pytest.mark.parametrize(("method", "path", "good", "bad"), WRITES)
def test_a_bad_body_is_told_so_before_the_plan_is_looked_up(
    client: TestClient,
    admin_headers: dict[str, str],
    method: str,
    path: str,
    good: dict[str, object],
    bad: dict[str, object],
) -> None:
    assert_problem(client.request(method, path, json=bad, headers=admin_headers), 422)


def test_a_good_request_about_an_unknown_plan_is_a_404(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.patch(
        f"{UNKNOWN}/tasks/1", json={"title": "Một nhiệm vụ"}, headers=admin_headers
    )
    assert_problem(response, 404)


def test_a_progress_list_needs_a_key_before_its_plan_is_looked_up(client: TestClient) -> None:
    assert_problem(client.get(f"{UNKNOWN}/tasks/1/progress"), 401)
    assert_problem(client.get(f"{UNKNOWN}/duties/V.1/progress"), 401)
