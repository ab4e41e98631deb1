from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.vocab import Scope
from app.media_products.models import MediaProduct
from app.plans.models import TaskProgress
from app.training_sessions.models import TrainingSession
from tests.helpers import assert_problem, list_all
from tests.plans.factories import PLAN, audit_actions, key_headers

URL = f"{PLAN}/tasks/1/progress"


def progress_body(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "period": "2026-q1",
        "status": "in_progress",
        "narrative": "Đài truyền thanh xã phát chuyên mục chuyển đổi số hằng tuần.",
        "evidence": [{"kind": "url", "ref": "https://baolam.caobang.gov.vn/tin/chuyen-doi-so"}],
        **overrides,
    }


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=progress_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_records(session: Session) -> tuple[int, int]:
    product = MediaProduct.model_validate(
        {
            "agency_code": "xa-bao-lam",
            "kind": "radio_segment",
            "title": "Chuyển đổi số ở xã Bảo Lâm",
            "published_at": datetime(2026, 2, 3, 1, 0, tzinfo=UTC),
            "topics": ["nq57"],
        }
    )
    training = TrainingSession.model_validate(
        {
            "agency_code": "xa-bao-lam",
            "kind": "training",
            "title": "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
            "started_on": date(2026, 3, 2),
            "ended_on": date(2026, 3, 2),
            "mode": "in_person",
        }
    )
    session.add(product)
    session.add(training)
    session.commit()
    return product.id or 0, training.id or 0


def test_create_read_update_delete(client: TestClient, session: Session) -> None:
    headers = key_headers(session)
    product_id, training_id = make_records(session)
    evidence = [
        {"kind": "media_product", "ref": str(product_id)},
        {"kind": "training_session", "ref": str(training_id)},
        {"kind": "url", "ref": "https://baolam.caobang.gov.vn/tin/1"},
    ]
    response = client.post(URL, json=progress_body(evidence=evidence), headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    item = f"{URL}/{created['id']}"
    assert response.headers["location"] == item
    assert created["period"] == "2026-Q1"
    assert (created["period_start"], created["period_end"]) == ("2026-01-01", "2026-03-31")
    assert created["plan_code"] == "kh-209-2026" and created["task_number"] == 1
    assert created["evidence"] == evidence

    got = client.get(item, headers=headers)
    assert got.status_code == 200 and got.json() == created
    etag = got.headers["etag"]
    patched = client.patch(
        item,
        json={"status": "done", "evidence": []},
        headers={**headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "done" and patched.json()["evidence"] == []
    assert patched.json()["narrative"] == created["narrative"]
    assert patched.headers["etag"] != etag
    stale = client.patch(item, json={"status": "blocked"}, headers={**headers, "If-Match": etag})
    assert_problem(stale, 412)
    moved = client.patch(item, json={"period": "2026-04"}, headers=headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["period_start"], moved.json()["period_end"]) == (
        "2026-04-01",
        "2026-04-30",
    )
    assert_problem(client.get(f"{PLAN}/tasks/2/progress/{created['id']}", headers=headers), 404)
    assert client.delete(item, headers=headers).status_code == 204
    assert_problem(client.get(item, headers=headers), 404)
    assert audit_actions(session, "task_progress", created["id"]) == [
        "create",
        "update",
        "update",
        "delete",
    ]


def test_one_update_per_task_agency_and_period(client: TestClient, session: Session) -> None:
    headers = key_headers(session)
    first = post(client, headers)
    again = client.post(URL, json=progress_body(period="2026-Q1", status="done"), headers=headers)
    assert_problem(again, 409)
    post(client, headers, period="2026-Q2")
    post(client, headers, agency_code="to-cns-xa-bao-lam")
    other_task = client.post(f"{PLAN}/tasks/9/progress", json=progress_body(), headers=headers)
    assert other_task.status_code == 201
    clash = client.patch(f"{URL}/{first['id']}", json={"period": "2026-Q2"}, headers=headers)
    assert_problem(clash, 409)
    assert client.get(f"{URL}/{first['id']}", headers=headers).json()["period"] == "2026-Q1"


def test_a_key_writes_only_its_agency_and_those_under_it(
    client: TestClient, session: Session
) -> None:
    own = key_headers(session, "xa-bao-lam")
    other = key_headers(session, "xa-ly-bon")
    reader = key_headers(session, "xa-ly-bon", scopes=[Scope.read])
    created = post(client, own)
    post(client, own, agency_code="to-cns-xa-bao-lam", period="2026")
    item = f"{URL}/{created['id']}"
    count = len(session.exec(select(TaskProgress)).all())

    assert_problem(client.post(URL, json=progress_body(period="2026-Q3"), headers=other), 403)
    assert_problem(client.post(URL, json=progress_body(period="2026-Q3"), headers=reader), 403)
    assert_problem(client.patch(item, json={"status": "done"}, headers=other), 403)
    # A key cannot hand its record to an agency it may not write for.
    assert_problem(client.patch(item, json={"agency_code": "xa-ly-bon"}, headers=own), 403)
    assert_problem(client.delete(item, headers=other), 403)
    assert client.get(item, headers=own).json()["status"] == "in_progress"
    assert client.get(item, headers=other).status_code == 200, "any key reads"
    assert len(session.exec(select(TaskProgress)).all()) == count

    assert_problem(client.get(URL), 401)
    assert_problem(client.get(item), 401)
    assert_problem(client.post(URL, json=progress_body()), 401)


def test_filters_and_pagination(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    headers = key_headers(session)
    post(client, headers, period="2026", status="in_progress", narrative="Cả năm 2026")
    post(client, headers, period="2026-03", status="done", narrative="Tháng ba: đã phát 12 lượt")
    post(client, headers, period="2026-H2", status="blocked", narrative="Thiếu kinh phí")
    post(client, admin_headers, agency_code="so-khcn", period="2027-Q1", status="done")

    def periods(**params: Any) -> list[str]:
        return [p["period"] for p in list_all(client, URL, headers=headers, **params)]

    assert periods() == ["2026", "2026-03", "2026-H2", "2027-Q1"]
    assert periods(agency="xa-bao-lam") == ["2026", "2026-03", "2026-H2"]
    assert periods(agency="so-khcn") == ["2027-Q1"]
    assert periods(period="2026") == ["2026", "2026-03", "2026-H2"]
    assert periods(period="2026-q1") == ["2026-03"]
    assert periods(period="2026-03") == ["2026-03"]
    assert periods(period="2027") == ["2027-Q1"]
    assert periods(status="done") == ["2026-03", "2027-Q1"]
    assert periods(status="done", agency="xa-bao-lam") == ["2026-03"]
    assert periods(q="THANG BA da phat") == ["2026-03"]
    assert periods(q="kinh phi") == ["2026-H2"]
    assert periods(limit=1) == ["2026", "2026-03", "2026-H2", "2027-Q1"]
    first = client.get(URL, params={"limit": 3}, headers=headers).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    assert client.get(f"{PLAN}/tasks/2/progress", headers=headers).json()["items"] == []
    assert_problem(client.get(URL, params={"period": "2026-Q5"}, headers=headers), 422)
    assert_problem(client.get(URL, params={"status": "finished"}, headers=headers), 422)
    assert_problem(client.get(f"{PLAN}/tasks/99/progress", headers=headers), 404)


def test_a_task_with_progress_is_not_deleted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    post(client, admin_headers)
    assert_problem(client.delete(f"{PLAN}/tasks/1", headers=admin_headers), 409)
    assert client.get(f"{PLAN}/tasks/1").status_code == 200


def test_bad_input(client: TestClient, session: Session, admin_headers: dict[str, str]) -> None:
    headers = key_headers(session)
    url_item = {"kind": "url", "ref": "https://baolam.caobang.gov.vn"}
    cases = [
        progress_body(period="2026-Q5"),
        progress_body(period="Q1/2026"),
        progress_body(period="2025"),
        progress_body(period="2031-01"),
        progress_body(period="2026-01-01T00:00"),
        progress_body(status="finished"),
        progress_body(agency_code="xa-khong-co"),
        progress_body(agency_code="Xa Bao Lam"),
        progress_body(narrative="x" * 20001),
        progress_body(narrative="a\u0000b"),
        progress_body(evidence=[{"kind": "photo", "ref": "x"}]),
        progress_body(evidence=[{"kind": "url", "ref": "ftp://example.com/a"}]),
        progress_body(evidence=[{"kind": "url", "ref": "https://" + "a" * 2000}]),
        progress_body(evidence=[{"kind": "media_product", "ref": "abc"}]),
        progress_body(evidence=[{"kind": "media_product", "ref": "999999999"}]),
        progress_body(evidence=[{"kind": "training_session", "ref": str(10**30)}]),
        progress_body(evidence=[url_item] * 51),
        progress_body(evidence=[{"kind": "url"}]),
        progress_body(extra="x"),
        {k: v for k, v in progress_body().items() if k != "status"},
    ]
    for body in cases:
        problem = assert_problem(client.post(URL, json=body, headers=headers), 422)
        assert problem["errors"], body
    assert_problem(
        client.post(URL, content=b"{", headers={**headers, "Content-Type": "application/json"}),
        400,
    )
    assert_problem(
        client.post(f"{PLAN}/tasks/99/progress", json=progress_body(), headers=headers), 404
    )
    created = post(client, headers)
    item = f"{URL}/{created['id']}"
    for body in [
        {"status": None},
        {"period": None},
        {"agency_code": None},
        {"period": "2025-Q4"},
        {"agency_code": "xa-khong-co"},
        {"evidence": [{"kind": "media_product", "ref": "0"}]},
        {"task_id": 2},
    ]:
        problem = assert_problem(client.patch(item, json=body, headers=headers), 422)
        assert problem["errors"], body
    assert_problem(client.patch(f"{URL}/999999", json={}, headers=headers), 404)
    assert_problem(client.get(f"{URL}/{2**70}", headers=headers), 422)
    assert_problem(client.delete(f"{URL}/999999", headers=admin_headers), 404)
    assert client.get(item, headers=headers).json() == created
