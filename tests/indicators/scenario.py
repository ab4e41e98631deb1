"""Builders for indicator scenarios: every record goes in through the HTTP API."""

from itertools import count
from typing import Any

from fastapi.testclient import TestClient

ON_TOPIC = ["nq57", "digital_transformation"]
_ids = count(1)


class Scenario:
    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def _post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(url, json=body, headers=self.headers)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    def channel(self, agency: str, kind: str, **fields: Any) -> int:
        body = {"agency_code": agency, "kind": kind, "name": f"Kênh {next(_ids)}", **fields}
        return int(self._post("/api/v1/channels", body)["id"])

    def product(self, agency: str, published_at: str, **fields: Any) -> dict[str, Any]:
        body = {
            "agency_code": agency,
            "kind": "article",
            "title": f"Chuyển đổi số ở Cao Bằng {next(_ids)}",
            "published_at": published_at,
            "topics": ON_TOPIC,
            **fields,
        }
        return self._post("/api/v1/media-products", body)

    def broadcast(self, agency: str, started_at: str, **fields: Any) -> dict[str, Any]:
        body = {
            "agency_code": agency,
            "title": f"Tiếp sóng chương trình về Nghị quyết 57 {next(_ids)}",
            "origin": "provincial",
            "started_at": started_at,
            "duration_seconds": 900,
            "topics": ON_TOPIC,
            "source": "loa-ip-test",
            "external_id": f"b-{next(_ids)}",
            **fields,
        }
        return self._post("/api/v1/broadcasts", body)

    def figure(self, metric: str, agency: str, period: str, value: float) -> dict[str, Any]:
        body = {"metric": metric, "agency_code": agency, "period": period, "value": value}
        return self._post("/api/v1/figures", body)

    def training(
        self,
        started_on: str,
        *,
        audiences: list[str],
        attendance: list[dict[str, Any]] | None = None,
        roster: list[dict[str, Any]] | None = None,
        topics: list[str] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "agency_code": "so-vhttdl",
            "kind": "training",
            "title": f"Tập huấn kỹ năng số {next(_ids)}",
            "started_on": started_on,
            "ended_on": started_on,
            "mode": "in_person",
            "topics": ON_TOPIC if topics is None else topics,
            "audiences": audiences,
            "attendance": attendance or [],
        }
        if roster is not None:
            body["roster"] = roster
        return self._post("/api/v1/training-sessions", body)

    def status(self, code: str, **params: str) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1/plans/kh-209-2026/indicators/{code}/status", params=params
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def gap_codes(status: dict[str, Any]) -> set[str]:
    return {entry["agency_code"] for entry in status["gap_list"]}


def counted(status: dict[str, Any]) -> set[str]:
    return {row["agency_code"] for row in status["breakdown"] if row["counts"]}
