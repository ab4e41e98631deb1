"""Every route × every kind of caller: anonymous, another agency's key, the own agency's key,
a read-only key, the national admin key, the province's admin key (Cao Bằng's, whose
agencies and plan every target is), another province's admin key, a revoked key and an
expired key.

The operations come from the app's own OpenAPI, so a new route that is not classified here
fails the suite instead of escaping the matrix. Each case sends a real, valid request; a
denied one must change nothing (no audit event, no row added or removed, the target as
before), an allowed write must leave an audit event.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.main import create_app
from tests.authz_world import (
    DUTY,
    GROUP,
    INDICATOR,
    OTHER,
    OWN,
    PLAN,
    TASK,
    Who,
    World,
    agency_body,
    api_key_body,
    broadcast_body,
    budget_line_body,
    channel_body,
    duty_body,
    figure_body,
    group_body,
    import_body,
    indicator_body,
    media_product_body,
    plan_body,
    principal_headers,
    progress_body,
    report_body,
    report_request_body,
    table_counts,
    task_body,
    training_session_body,
)
from tests.channels.factories import key_headers
from tests.helpers import assert_problem


class Access(StrEnum):
    catalogue_read = "catalogue read"  # anonymous allowed (public read is on by default)
    record_read = "record read"  # any valid key
    own_record_read = "own record read"  # a key of the record's agency, admin; others 404
    record_write = "record write"  # a write key of the record's agency (or above it), admin
    record_batch = "record batch"  # the same, decided per item
    record_upload = "record upload"  # the same, decided per row; the upload itself is kept
    catalogue_write = "catalogue write"  # admin only (of the province, or national)
    shared_write = "shared catalogue write"  # groups, which every province shares: national
    admin = "admin"  # keys and audit: admin only (of the key's province, or national)
    admin_list = "admin list"  # the same; another province's admin lists its own, not these
    coordinator = "coordinator"  # review, requests, approval, consolidated report: admin only


ALLOWED = "allowed"
BATCH_REJECTED = "each item rejected with 403"
UPLOAD_REJECTED = "each row rejected as forbidden, the upload kept"
THIRD = "xa-bao-lac"  # a commune neither OWN nor OTHER
READS = {Access.catalogue_read, Access.record_read, Access.own_record_read}
OWN_WRITES = {Access.record_write, Access.record_batch, Access.record_upload}


def expected(access: Access, who: Who) -> str | int:
    """The rule of API.md and DOMAIN.md, in one place."""
    if who in (Who.revoked, Who.expired):
        return 401
    if who is Who.anonymous:
        return ALLOWED if access is Access.catalogue_read else 401
    if access is Access.shared_write:
        return ALLOWED if who is Who.admin else 403
    if who is Who.other_province_admin:
        return _other_province(access)
    if who is Who.other_agency and access is Access.own_record_read:
        return 404  # another agency's upload is not shown to exist
    if who in (Who.admin, Who.province_admin) or access in READS:
        return ALLOWED
    if who is Who.own_agency and access in OWN_WRITES:
        return ALLOWED
    if who is Who.other_agency and access is Access.record_batch:
        return BATCH_REJECTED
    if who is Who.other_agency and access is Access.record_upload:
        return UPLOAD_REJECTED
    return 403


def _other_province(access: Access) -> str | int:
    """Another province's administrator: reads like any key, administers nothing here."""
    if access is Access.own_record_read:
        return 404
    if access in READS or access is Access.admin_list:
        return ALLOWED
    if access is Access.record_batch:
        return BATCH_REJECTED
    if access is Access.record_upload:
        return UPLOAD_REJECTED
    return 403


Params = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Op:
    access: Access
    params: Params = lambda w: {}
    body: Callable[[World], Any] | None = None
    # A URL read (as admin) before and after a denied request, which must not differ.
    # By default the request's own URL for PATCH and DELETE.
    probe: Callable[[World], str] | None = None
    query: Params = lambda w: {}  # the query string


def _fixed(**params: Any) -> Params:
    return lambda w: params


def _const(body: dict[str, Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: body


def _call(factory: Callable[[], Any]) -> Callable[[World], Any]:
    return lambda w: factory()


CR, RR, OR, RW, RB, RU, CW, SW, AD, AL, CO = (
    Access.catalogue_read,
    Access.record_read,
    Access.own_record_read,
    Access.record_write,
    Access.record_batch,
    Access.record_upload,
    Access.catalogue_write,
    Access.shared_write,
    Access.admin,
    Access.admin_list,
    Access.coordinator,
)
SEEDED_TASK = _fixed(plan=PLAN, number=TASK)
SEEDED_INDICATOR = _fixed(plan=PLAN, code=INDICATOR)
SEEDED_DUTY = _fixed(plan=PLAN, code=DUTY)
PERIOD = _fixed(plan=PLAN, period="2026-Q1")


def _progress(w: World) -> dict[str, Any]:
    return {"plan": PLAN, "number": TASK, "progress_id": w.progress}


def _duty_progress(w: World) -> dict[str, Any]:
    return {"plan": PLAN, "code": DUTY, "progress_id": w.duty_progress}


def _report(w: World) -> dict[str, Any]:
    return {"report_id": w.report}


def _submitted(w: World) -> dict[str, Any]:
    return {"report_id": w.submitted_report}


def _request(w: World) -> dict[str, Any]:
    return {"request_id": w.report_request}


def _line(w: World) -> dict[str, Any]:
    return {"line_id": w.budget_line}


OPERATIONS: dict[str, Op] = {
    "list_vocabularies": Op(CR),
    # agencies and groups
    "list_agencies": Op(CR),
    "get_agency": Op(CR, _fixed(code=OWN)),
    "create_agency": Op(CW, body=_call(agency_body)),
    "update_agency": Op(CW, lambda w: {"code": w.agency}, _const({"short_name": "Xã Ma Trận"})),
    "delete_agency": Op(CW, lambda w: {"code": w.agency}),
    "list_agency_groups": Op(CR),
    "get_agency_group": Op(CR, _fixed(code=GROUP)),
    "list_agency_group_members": Op(CR, _fixed(code=GROUP)),
    "create_agency_group": Op(SW, body=_call(group_body)),
    "update_agency_group": Op(
        SW, lambda w: {"code": w.group}, _const({"description": "Nhóm để thử quyền."})
    ),
    "delete_agency_group": Op(SW, lambda w: {"code": w.group}),
    # plans, tasks, indicators, status
    "list_plans": Op(CR),
    "get_plan": Op(CR, _fixed(plan=PLAN)),
    "create_plan": Op(CW, body=_call(plan_body)),
    "update_plan": Op(CW, lambda w: {"plan": w.plan}, _const({"report_deadline_working_days": 7})),
    "delete_plan": Op(CW, lambda w: {"plan": w.plan}),
    "get_plan_status": Op(CR, _fixed(plan=PLAN)),
    "get_national_status": Op(CR, query=_fixed(period="2026", as_of="2026-06-30")),
    "list_tasks": Op(CR, _fixed(plan=PLAN)),
    "get_task": Op(CR, SEEDED_TASK),
    "create_task": Op(CW, _fixed(plan=PLAN), _call(task_body)),
    "update_task": Op(
        CW,
        lambda w: {"plan": PLAN, "number": w.task},
        _const({"deadline_text": "Năm 2026 và thường xuyên"}),
    ),
    "delete_task": Op(CW, lambda w: {"plan": PLAN, "number": w.task}),
    "list_indicators": Op(CR, _fixed(plan=PLAN)),
    "get_indicator": Op(CR, SEEDED_INDICATOR),
    "get_indicator_status": Op(CR, SEEDED_INDICATOR),
    "create_indicator": Op(CW, _fixed(plan=PLAN), _call(indicator_body)),
    "update_indicator": Op(
        CW,
        lambda w: {"plan": PLAN, "code": w.indicator},
        _const({"description": "Đếm mỗi xã một lần."}),
    ),
    "delete_indicator": Op(CW, lambda w: {"plan": PLAN, "code": w.indicator}),
    "get_plan_document": Op(CR, _fixed(plan=PLAN)),
    # section V duties (catalogue) and their progress (a record)
    "list_duties": Op(CR, _fixed(plan=PLAN)),
    "get_duty": Op(CR, SEEDED_DUTY),
    "create_duty": Op(CW, _fixed(plan=PLAN), _call(duty_body)),
    "update_duty": Op(
        CW, lambda w: {"plan": PLAN, "code": w.duty}, _const({"coordinating_text": "Sở Nội vụ"})
    ),
    "delete_duty": Op(CW, lambda w: {"plan": PLAN, "code": w.duty}),
    "list_duty_progress": Op(RR, SEEDED_DUTY),
    "get_duty_progress": Op(RR, _duty_progress),
    "create_duty_progress": Op(RW, SEEDED_DUTY, _call(progress_body)),
    "update_duty_progress": Op(RW, _duty_progress, _const({"status": "done"})),
    "delete_duty_progress": Op(RW, _duty_progress),
    # task progress (a record)
    "list_task_progress": Op(RR, SEEDED_TASK),
    "get_task_progress": Op(RR, _progress),
    "create_task_progress": Op(RW, SEEDED_TASK, _call(progress_body)),
    "update_task_progress": Op(RW, _progress, _const({"status": "done"})),
    "delete_task_progress": Op(RW, _progress),
    # records
    "list_channels": Op(RR),
    "get_channel": Op(RR, lambda w: {"channel_id": w.channel}),
    "create_channel": Op(RW, body=_call(channel_body)),
    "update_channel": Op(
        RW, lambda w: {"channel_id": w.channel}, _const({"closed_on": "2026-12-31"})
    ),
    "delete_channel": Op(RW, lambda w: {"channel_id": w.channel}),
    "list_media_products": Op(RR),
    "get_media_product": Op(RR, lambda w: {"product_id": w.media_product}),
    "create_media_product": Op(RW, body=_call(media_product_body)),
    "push_media_product_batch": Op(
        RB,
        body=lambda w: {"items": [media_product_body(source="ma-tran", external_id="sp-1")]},
    ),
    "update_media_product": Op(
        RW, lambda w: {"product_id": w.media_product}, _const({"views": 20400})
    ),
    "delete_media_product": Op(RW, lambda w: {"product_id": w.media_product}),
    "list_broadcasts": Op(RR),
    "get_broadcast": Op(RR, lambda w: {"broadcast_id": w.broadcast}),
    "create_broadcast": Op(RW, body=_call(broadcast_body)),
    "push_broadcast_batch": Op(
        RB, body=lambda w: {"items": [broadcast_body(source="loa-ip", external_id="b-1")]}
    ),
    "update_broadcast": Op(
        RW, lambda w: {"broadcast_id": w.broadcast}, _const({"duration_seconds": 1200})
    ),
    "delete_broadcast": Op(RW, lambda w: {"broadcast_id": w.broadcast}),
    "list_training_sessions": Op(RR),
    "get_training_session": Op(RR, lambda w: {"session_id": w.training_session}),
    "create_training_session": Op(RW, body=_call(training_session_body)),
    "update_training_session": Op(
        RW,
        lambda w: {"session_id": w.training_session},
        _const({"location": "Hội trường UBND xã Bảo Lâm"}),
    ),
    "delete_training_session": Op(RW, lambda w: {"session_id": w.training_session}),
    "list_figures": Op(RR),
    "get_figure": Op(RR, lambda w: {"figure_id": w.figure}),
    "create_figure": Op(RW, body=_call(figure_body)),
    "update_figure": Op(RW, lambda w: {"figure_id": w.figure}, _const({"value": 42})),
    "delete_figure": Op(RW, lambda w: {"figure_id": w.figure}),
    # agency reports: the agency files, the coordinator reviews and consolidates
    "list_reports": Op(RR),
    "get_report": Op(RR, _report),
    "get_report_compliance": Op(RR, query=PERIOD),
    "get_task_board": Op(RR, query=PERIOD),
    "create_report": Op(RW, body=_call(report_body)),
    "update_report": Op(RW, _report, _const({"difficulties": "Loa ở xóm Nà Pồng hỏng."})),
    "delete_report": Op(RW, _report),
    "submit_report": Op(RW, _report, probe=lambda w: f"/api/v1/reports/{w.report}"),
    "accept_report": Op(
        CO,
        _submitted,
        body=_const({"comment": "Báo cáo đầy đủ."}),
        probe=lambda w: f"/api/v1/reports/{w.submitted_report}",
    ),
    "return_report": Op(
        CO,
        _submitted,
        body=_const({"comment": "Đề nghị bổ sung số lượt phát thanh trong quý."}),
        probe=lambda w: f"/api/v1/reports/{w.submitted_report}",
    ),
    "get_consolidated_report": Op(CO, query=PERIOD),
    "export_consolidated_report_xlsx": Op(CO, query=PERIOD),
    "export_consolidated_report_docx": Op(CO, query=PERIOD),
    "list_report_requests": Op(RR),
    "get_report_request": Op(RR, _request),
    "create_report_request": Op(CO, body=_call(report_request_body)),
    "update_report_request": Op(CO, _request, _const({"due_on": "2026-06-10"})),
    "delete_report_request": Op(CO, _request),
    # budget lines: the agency estimates and spends, the coordinator approves
    "list_budget_lines": Op(RR),
    "get_budget_line": Op(RR, _line),
    "get_budget_totals": Op(RR, query=_fixed(plan=PLAN)),
    "create_budget_line": Op(RW, body=_call(budget_line_body)),
    "update_budget_line": Op(RW, _line, _const({"spent_vnd": 12_500_000})),
    "delete_budget_line": Op(RW, _line),
    "approve_budget_line": Op(
        CO,
        _line,
        body=_const({"approved_vnd": 40_000_000}),
        probe=lambda w: f"/api/v1/budget-lines/{w.budget_line}",
    ),
    # spreadsheet intake: templates (public), uploads (kept, each row pushed as a record)
    "get_xlsx_template": Op(CR, _fixed(record_type="broadcasts")),
    "get_csv_template": Op(CR, _fixed(record_type="broadcasts")),
    "list_imports": Op(RR),
    "get_import": Op(OR, lambda w: {"import_id": w.spreadsheet_import}),
    "create_import": Op(RU, body=_call(import_body)),
    # keys and audit
    "list_api_keys": Op(AL),
    "get_api_key": Op(AD, lambda w: {"prefix": w.api_key}),
    "create_api_key": Op(AD, body=_call(api_key_body)),
    "revoke_api_key": Op(
        AD,
        lambda w: {"prefix": w.api_key},
        probe=lambda w: f"/api/v1/api-keys/{w.api_key}",
    ),
    "list_audit_events": Op(AL),
}

METHODS = {"get", "post", "put", "patch", "delete"}
OPENAPI_OPERATIONS = sorted(
    (operation["operationId"], method, path)
    for path, item in create_app().openapi()["paths"].items()
    for method, operation in item.items()
    if method in METHODS
)


@pytest.fixture(scope="module")
def warm_app() -> FastAPI:
    return create_app()


@pytest.fixture
def app(app: FastAPI, warm_app: FastAPI) -> FastAPI:
    """conftest's app, but one instance for the whole module: a fresh app spends ~0.1 s
    resolving its routes on its first request, which 460 cases would pay each."""
    warm_app.dependency_overrides = app.dependency_overrides  # the test's session
    return warm_app


def test_every_operation_is_in_the_matrix() -> None:
    found = {operation_id for operation_id, _, _ in OPENAPI_OPERATIONS}
    assert sorted(found - OPERATIONS.keys()) == [], "classify these operations in OPERATIONS"
    assert sorted(OPERATIONS.keys() - found) == [], "these operations no longer exist"
    for operation_id, method, path in OPENAPI_OPERATIONS:
        access = OPERATIONS[operation_id].access
        if access in READS:
            assert method == "get", f"{method.upper()} {path} is classified as a read"
        elif access not in (Access.admin, Access.admin_list, Access.coordinator):
            assert method != "get", f"GET {path} is classified as a write"


def _read(client: TestClient, url: str, admin_headers: dict[str, str]) -> Any:
    response = client.get(url, headers=admin_headers)
    assert response.status_code == 200, response.text
    document = response.json()
    if isinstance(document.get("figures"), dict):  # a draft report's, compiled at each read
        document["figures"].pop("compiled_at", None)
    return document


@pytest.mark.parametrize("who", list(Who), ids=str)
@pytest.mark.parametrize(
    ("operation_id", "method", "path"),
    OPENAPI_OPERATIONS,
    ids=[operation_id for operation_id, _, _ in OPENAPI_OPERATIONS],
)
def test_matrix(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    operation_id: str,
    method: str,
    path: str,
    who: Who,
) -> None:
    op = OPERATIONS.get(operation_id)
    if op is None:
        pytest.fail(f"{method.upper()} {path} ({operation_id}) is not in the matrix")
    world = World(client, session, admin_headers)
    url = path.format(**op.params(world))
    assert "{" not in url, f"{operation_id}: a path parameter is missing"
    query = op.query(world)
    body = op.body(world) if op.body else None
    probe = op.probe(world) if op.probe else (url if method in ("patch", "delete") else None)
    headers = principal_headers(session, who, admin_headers)
    outcome = expected(op.access, who)
    counts = table_counts(session)
    target = _read(client, probe, admin_headers) if probe and outcome != ALLOWED else None

    response = client.request(method, url, params=query, json=body, headers=headers)

    where = f"{method.upper()} {url} by {who} ({op.access}): expected {outcome}"
    if outcome == ALLOWED:
        assert 200 <= response.status_code < 300, f"{where}, got {response.text}"
        if method != "get":
            after = table_counts(session)["audit_event"]
            assert after > counts["audit_event"], f"{where}: no audit event"
        if op.access is Access.record_batch:
            assert [i["outcome"] for i in response.json()["items"]] == ["created"], where
        if op.access is Access.record_upload:
            assert [r["outcome"] for r in response.json()["rows"]] == ["created"], where
        return
    if outcome == UPLOAD_REJECTED:
        assert response.status_code == 201, f"{where}, got {response.text}"
        [row] = response.json()["rows"]
        assert (row["outcome"], row["id"]) == ("rejected", None), where
        assert [e["type"] for e in row["errors"]] == ["forbidden"], where
        counts["spreadsheet_import"] += 1  # every upload is kept, this one too; nothing else
    elif outcome == BATCH_REJECTED:
        assert response.status_code == 200, f"{where}, got {response.text}"
        result = response.json()
        assert result["counts"]["rejected"] == 1, where
        [item] = result["items"]
        assert (item["outcome"], item["id"]) == ("rejected", None), where
        assert item["problem"]["status"] == 403, where
    else:
        assert response.status_code == outcome, f"{where}, got {response.text}"
        assert_problem(response, int(outcome))
    assert table_counts(session) == counts, f"{where}: rows changed"
    if probe:
        assert _read(client, probe, admin_headers) == target, f"{where}: the target changed"


MOVES = {
    "/api/v1/channels/{}": "channel",
    "/api/v1/media-products/{}": "media_product",
    "/api/v1/broadcasts/{}": "broadcast",
    "/api/v1/training-sessions/{}": "training_session",
    f"/api/v1/plans/{PLAN}/tasks/{TASK}/progress/{{}}": "progress",
}


def test_own_key_cannot_move_a_record_to_another_agency(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """The update is checked against the new agency as well as the stored one."""
    world = World(client, session, admin_headers)
    headers = principal_headers(session, Who.own_agency, admin_headers)
    for template, attr in MOVES.items():
        url = template.format(getattr(world, attr))
        counts = table_counts(session)
        before = _read(client, url, admin_headers)
        response = client.patch(url, json={"agency_code": OTHER}, headers=headers)
        assert_problem(response, 403)
        assert table_counts(session) == counts, url
        assert _read(client, url, admin_headers) == before, url


PUSHED = {
    "/api/v1/channels": channel_body,
    "/api/v1/media-products": media_product_body,
    "/api/v1/broadcasts": broadcast_body,
    "/api/v1/training-sessions": training_session_body,
}


def test_other_agency_pushing_the_same_pair_gets_its_own_record(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """Pushing another agency's (source, external_id) under one's own agency code makes a
    record of one's own, alone or in a batch; the other agency's record never changes."""
    headers = principal_headers(session, Who.other_agency, admin_headers)
    push_key = {"source": "he-thong-chung", "external_id": "ban-ghi-1"}
    for url, factory in PUSHED.items():
        created = client.post(url, json={**factory(), **push_key}, headers=admin_headers)
        assert created.status_code == 201, created.text
        record = f"{url}/{created.json()['id']}"
        before = _read(client, record, admin_headers)
        same_pair = {**factory(), **push_key, "agency_code": OTHER}
        own = client.post(url, json=same_pair, headers=headers)
        assert own.status_code == 201, own.text
        assert (own.json()["agency_code"], own.json()["id"] != before["id"]) == (OTHER, True)
        if url in ("/api/v1/media-products", "/api/v1/broadcasts"):
            batch = client.post(f"{url}/batch", json={"items": [same_pair]}, headers=headers)
            assert batch.status_code == 200, batch.text
            [item] = batch.json()["items"]
            assert (item["outcome"], item["id"]) == ("unchanged", own.json()["id"]), url
        assert _read(client, record, admin_headers) == before, url


def test_organiser_records_attendance_of_other_agencies(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    """Unlike a link to a channel, attendance may name any agency: the session belongs to
    its organiser, whose key alone (with those above it) writes it, so naming the commune
    whose people came writes nothing of that commune's."""
    body = training_session_body()
    body["attendance"] = [
        *body["attendance"],
        {"agency_code": OTHER, "audience": "civil_servants", "participants": 5, "passed": 5},
    ]
    organiser = principal_headers(session, Who.own_agency, admin_headers)
    created = client.post("/api/v1/training-sessions", json=body, headers=organiser)
    assert created.status_code == 201, created.text
    assert OTHER in {row["agency_code"] for row in created.json()["attendance"]}

    url = f"/api/v1/training-sessions/{created.json()['id']}"
    before = _read(client, url, admin_headers)
    # Neither a third commune nor the attending one may change it.
    for code in (THIRD, OTHER):
        headers = key_headers(session, code)
        counts = table_counts(session)  # the key just made is a row
        change = client.patch(url, json={"location": "Nhà văn hóa xã"}, headers=headers)
        assert_problem(change, 403)
        assert table_counts(session) == counts, code
        assert _read(client, url, admin_headers) == before, code
