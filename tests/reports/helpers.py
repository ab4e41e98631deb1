"""Helpers the report tests share: keys, reports, a clock for submissions."""

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.plans.factories import key_headers

ICT = timezone(timedelta(hours=7))
PLAN = "kh-209-2026"
REPORTS = "/api/v1/reports"
ON_TOPIC = ["nq57", "digital_transformation"]

__all__ = ["ICT", "PLAN", "REPORTS", "key_headers"]


def at(day: str, clock: str = "10:00") -> datetime:
    """A local (Asia/Ho_Chi_Minh) instant: ``at("2026-03-18")``."""
    return datetime.fromisoformat(f"{day}T{clock}:00+07:00")


def create_report(
    client: TestClient,
    headers: dict[str, str],
    agency: str,
    period: str | None = "2026-Q1",
    **fields: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plan_code": PLAN,
        "agency_code": agency,
        "results": f"Kết quả tuyên truyền Nghị quyết 57 của {agency}.",
        **fields,
    }
    if period is not None:
        body["period"] = period
    response = client.post(REPORTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def act(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    report_id: int,
    action: str,
    headers: dict[str, str],
    when: datetime,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """POST /reports/{id}/{action} with the service's clock set to ``when``."""
    with monkeypatch.context() as patched:
        patched.setattr("app.reports.workflow.utcnow", lambda: when)
        response = client.post(f"{REPORTS}/{report_id}/{action}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def post(client: TestClient, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = client.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def broadcast(
    client: TestClient, headers: dict[str, str], agency: str, started_at: str, **fields: Any
) -> dict[str, Any]:
    body = {
        "agency_code": agency,
        "title": "Tiếp sóng chương trình về Nghị quyết 57-NQ/TW",
        "origin": "provincial",
        "started_at": started_at,
        "duration_seconds": 900,
        "topics": ON_TOPIC,
        **fields,
    }
    return post(client, "/api/v1/broadcasts", body, headers)  # type: ignore[no-any-return]


def product(
    client: TestClient, headers: dict[str, str], agency: str, published_at: str, **fields: Any
) -> dict[str, Any]:
    body = {
        "agency_code": agency,
        "kind": "article",
        "title": "Cao Bằng đẩy mạnh chuyển đổi số",
        "published_at": published_at,
        "topics": ON_TOPIC,
        **fields,
    }
    return post(client, "/api/v1/media-products", body, headers)  # type: ignore[no-any-return]


def progress(
    client: TestClient,
    headers: dict[str, str],
    task: int,
    agency: str,
    period: str,
    status: str = "in_progress",
) -> dict[str, Any]:
    body = {"agency_code": agency, "period": period, "status": status}
    url = f"/api/v1/plans/{PLAN}/tasks/{task}/progress"
    return post(client, url, body, headers)  # type: ignore[no-any-return]
