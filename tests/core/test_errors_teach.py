"""Errors that teach: 400 where a body is not JSON, 415 where it is not sent as JSON, date
and time messages that show the expected form, every problem in Vietnamese on
``Accept-Language: vi``, and an example of its own for each error status in the contract."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.core.config import get_settings
from app.core.errors import Problem
from app.core.i18n import negotiate
from app.core.idempotency import IN_FLIGHT_MARGIN, request_fingerprint
from app.core.idempotency_record import IdempotencyRecord
from app.core.types import utcnow
from app.core.vocab import Scope
from tests.auth.factories import make_key
from tests.helpers import assert_problem

BROADCASTS = "/api/v1/broadcasts"
TRAININGS = "/api/v1/training-sessions"
AGENCIES = "/api/v1/agencies"
PROBLEMS = "https://nq57-tracker.caobang.gov.vn/problems/"
VI = {"Accept-Language": "vi"}
INSTANT = "expected an instant such as 2026-03-20T09:15:00+07:00 (RFC 3339, with its offset)"
DAY = "expected a day such as 2026-03-20"
INSTANT_VI = "cần một thời điểm như 2026-03-20T09:15:00+07:00 (RFC 3339, kèm độ lệch múi giờ)"
SetEnv = Callable[..., None]


def broadcast(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "xa-bao-lam",
        "title": "Bản tin Bình dân học vụ số: hướng dẫn cài đặt VNeID",
        "origin": "local",
        "started_at": "2026-03-14T06:00:00+07:00",
        "duration_seconds": 900,
        **overrides,
    }


def training(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "so-vhttdl",
        "kind": "training",
        "title": "Tập huấn kỹ năng truyền thông trên nền tảng số",
        "started_on": "2026-04-15",
        "ended_on": "2026-04-16",
        "mode": "hybrid",
        "topics": ["nq57"],
        "audiences": ["digital_team_members"],
        **overrides,
    }


def in_vietnamese(response: Response, status: int, slug: str, title: str) -> dict[str, Any]:
    problem = assert_problem(response, status)
    assert problem["type"] == PROBLEMS + slug, problem
    assert problem["title"] == title, problem
    assert response.headers["content-language"] == "vi"
    assert "accept-language" in response.headers["vary"].lower()
    return problem


@pytest.fixture
def settings_env() -> Iterator[SetEnv]:
    with pytest.MonkeyPatch.context() as patch:

        def set_env(**values: object) -> None:
            for name, value in values.items():
                patch.setenv(f"NQ57_{name.upper()}", str(value))
            get_settings.cache_clear()

        yield set_env
    get_settings.cache_clear()


# --- 400 and 415 ----------------------------------------------------------------------


def test_a_body_that_is_not_json_is_400_saying_where(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    json_headers = {**admin_headers, "Content-Type": "application/json"}
    broken = b'{"agency_code": "xa-bao-lam",\n  "title" "Ban tin"}'
    problem = assert_problem(client.post(BROADCASTS, content=broken, headers=json_headers), 400)
    assert problem["type"] == PROBLEMS + "bad-request"
    assert problem["detail"] == (
        "The body is not valid JSON: Expecting ':' delimiter at line 2, column 11."
    )
    assert problem["errors"] == [
        {
            "loc": ["body", 40],
            "msg": "Expecting ':' delimiter at line 2, column 11",
            "type": "json_invalid",
        }
    ]
    truncated = client.patch(f"{BROADCASTS}/1", content=b"{", headers=json_headers)
    assert "at line 1, column 2" in assert_problem(truncated, 400)["detail"]
    not_utf8 = client.post(BROADCASTS, content=b'{"title": "\xff"}', headers=json_headers)
    assert assert_problem(not_utf8, 400)["detail"] == (
        "The body is not valid UTF-8 (byte 0xff at position 11); send JSON encoded in UTF-8."
    )


@pytest.mark.parametrize(
    ("content_type", "named"),
    [
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("text/plain; charset=utf-8", "text/plain"),
        ("multipart/form-data; boundary=x", "multipart/form-data"),
    ],
)
def test_a_body_sent_as_another_type_is_415(
    client: TestClient, admin_headers: dict[str, str], content_type: str, named: str
) -> None:
    body = json.dumps(broadcast()).encode()
    response = client.post(
        BROADCASTS, content=body, headers={**admin_headers, "Content-Type": content_type}
    )
    problem = assert_problem(response, 415)
    assert problem["type"] == PROBLEMS + "unsupported-media-type"
    assert problem["detail"] == (
        "This operation takes a JSON body: send it with `Content-Type: application/json` "
        f"(the request said `{named}`)."
    )
    assert response.headers["accept-post"] == "application/json"


def test_a_form_post_and_a_text_patch_are_415(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    form = client.post(BROADCASTS, data={"agency_code": "xa-bao-lam"}, headers=admin_headers)
    assert "`Content-Type: application/json`" in assert_problem(form, 415)["detail"]
    text = client.patch(
        f"{BROADCASTS}/1",
        content=b'{"title": "x"}',
        headers={**admin_headers, "Content-Type": "text/plain"},
    )
    assert assert_problem(text, 415)["title"] == "Unsupported media type"
    assert text.headers["accept-patch"] == "application/json"
    # A body without any Content-Type is 415 too; no body at all is invalid input.
    bare = client.post(BROADCASTS, content=json.dumps(broadcast()).encode(), headers=admin_headers)
    assert "(the request had no Content-Type)" in assert_problem(bare, 415)["detail"]
    assert_problem(client.post(BROADCASTS, headers=admin_headers), 422)


def test_the_contract_lists_400_and_415_with_examples_of_their_own(client: TestClient) -> None:
    contract = client.get("/openapi.json").json()
    problem = contract["components"]["schemas"]["Problem"]
    assert not any("examples" in problem["properties"][name] for name in ("type", "status"))
    named = contract["components"]["examples"]

    def resolved(example: dict[str, Any]) -> dict[str, Any]:
        return named[example["$ref"].rsplit("/", 1)[-1]] if "$ref" in example else example

    checked = 0
    for path, item in contract["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert "415" in responses, (method, path)
            for code, response in responses.items():
                if not (code.isdigit() and int(code) >= 400):
                    continue
                examples = response["content"]["application/problem+json"].get("examples")
                if int(code) in (400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 503):
                    assert examples, (method, path, code)
                    statuses = {resolved(e)["value"]["status"] for e in examples.values()}
                    assert statuses == {int(code)}, (method, path, code)
                    checked += 1
    assert checked > 100
    post = contract["paths"][BROADCASTS]["post"]["responses"]
    missing = post["422"]["content"]["application/problem+json"]["examples"]["missing"]
    assert resolved(missing)["value"]["errors"] == [
        {"loc": ["body", "agency_code"], "msg": "Field required", "type": "missing"}
    ]
    assert "Retry-After" in post["429"]["headers"]
    # Every example is a Problem the service could send.
    for example in named.values():
        Problem.model_validate(example["value"])


# --- dates and times --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kind"),
    [("20/03/2026", "datetime_from_date_parsing"), ("2026-03-20", "timezone_aware")],
)
def test_an_instant_in_another_form_shows_the_expected_form(
    client: TestClient, admin_headers: dict[str, str], given: str, kind: str
) -> None:
    response = client.post(BROADCASTS, json=broadcast(started_at=given), headers=admin_headers)
    problem = assert_problem(response, 422)
    assert problem["errors"] == [{"loc": ["body", "started_at"], "msg": INSTANT, "type": kind}]
    assert problem["detail"] == f"body.started_at: {INSTANT}"


def test_a_day_in_another_form_shows_the_expected_form(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(TRAININGS, json=training(started_on="20/03/2026"), headers=admin_headers)
    problem = assert_problem(response, 422)
    assert problem["errors"] == [
        {"loc": ["body", "started_on"], "msg": DAY, "type": "date_from_datetime_parsing"}
    ]
    with_time = client.post(
        TRAININGS, json=training(started_on="2026-03-20T09:15:00"), headers=admin_headers
    )
    assert assert_problem(with_time, 422)["errors"][0]["msg"] == f"{DAY}, without a time"


# --- Vietnamese -------------------------------------------------------------------------


def test_accept_language_is_negotiated() -> None:
    for header in ("vi", "vi-VN", "VI-vn", "vi;q=0.9, en;q=0.8", "en;q=0.5, vi", "fr, vi;q=0.1"):
        assert negotiate(header) == "vi", header
    for header in (None, "", "en", "*", "fr", "en, vi", "vi;q=0", "vi;q=abc", "en;q=0.9, vi;q=0.8"):
        assert negotiate(header) == "en", header
    assert negotiate("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7") == "vi"


def test_english_stays_the_default(client: TestClient) -> None:
    for headers in ({}, {"Accept-Language": "en;q=0.9, vi;q=0.8"}):
        response = client.get(f"{AGENCIES}/xa-bao-lamm", headers=headers)
        problem = assert_problem(response, 404)
        assert problem["title"] == "Not found"
        assert problem["detail"] == "No agency with code 'xa-bao-lamm'."
        assert "content-language" not in response.headers
        assert response.headers["vary"] == "Accept-Language"


def test_not_found_unauthorized_forbidden_in_vietnamese(
    client: TestClient, session: Session
) -> None:
    for header in ("vi", "vi-VN", "vi;q=0.9, en;q=0.8"):
        response = client.get(f"{AGENCIES}/xa-bao-lamm", headers={"Accept-Language": header})
        problem = in_vietnamese(response, 404, "not-found", "Không tìm thấy")
        assert problem["detail"] == "Không có cơ quan nào có mã 'xa-bao-lamm'."
    anonymous = client.post(BROADCASTS, json=broadcast(), headers=VI)
    problem = in_vietnamese(anonymous, 401, "unauthorized", "Cần khóa API")
    assert problem["detail"] == "Cần khóa API để truy cập hồ sơ (Authorization: Bearer …)."
    bogus = client.get(BROADCASTS, headers={**VI, "Authorization": "Bearer nq57_x"})
    assert in_vietnamese(bogus, 401, "unauthorized", "Cần khóa API")["detail"] == (
        "Khóa API không hợp lệ."
    )
    _, reader = make_key(session, scopes=(Scope.read,))
    refused = client.post(BROADCASTS, json=broadcast(), headers={**reader, **VI})
    problem = in_vietnamese(refused, 403, "forbidden", "Không có quyền")
    assert problem["detail"] == "Khóa này chỉ được đọc; muốn ghi cần phạm vi 'write'."
    _, commune = make_key(session)
    elsewhere = client.post(
        BROADCASTS, json=broadcast(agency_code="so-vhttdl"), headers={**commune, **VI}
    )
    assert in_vietnamese(elsewhere, 403, "forbidden", "Không có quyền")["detail"] == (
        "Khóa của 'xa-bao-lam' không được ghi hồ sơ của 'so-vhttdl'."
    )


def test_conflict_and_stale_precondition_in_vietnamese(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    duplicate = {"code": "so-vhttdl", "name": "x", "kind": "department"}
    response = client.post(AGENCIES, json=duplicate, headers={**admin_headers, **VI})
    problem = in_vietnamese(response, 409, "conflict", "Xung đột")
    assert problem["detail"] == "Đã có cơ quan với mã 'so-vhttdl'."
    created = client.post(BROADCASTS, json=broadcast(), headers=admin_headers)
    assert created.status_code == 201, created.text
    item = f"{BROADCASTS}/{created.json()['id']}"
    stale = client.patch(
        item, json={"title": "Khác"}, headers={**admin_headers, **VI, "If-Match": '"0-0"'}
    )
    problem = in_vietnamese(stale, 412, "precondition-failed", "Điều kiện không thỏa mãn")
    assert problem["detail"] == (
        f"Tài nguyên đã thay đổi (ETag hiện là {created.headers['etag']}); hãy tải lại rồi thử lại."
    )


def test_invalid_input_in_vietnamese_keeps_its_codes(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    headers = {**admin_headers, **VI}
    body = broadcast()
    del body["agency_code"]
    missing = client.post(BROADCASTS, json=body, headers=headers)
    problem = in_vietnamese(missing, 422, "invalid-input", "Dữ liệu không hợp lệ")
    assert problem["errors"] == [
        {"loc": ["body", "agency_code"], "msg": "Thiếu trường bắt buộc", "type": "missing"}
    ]
    assert problem["detail"] == "body.agency_code: Thiếu trường bắt buộc"
    wrong_date = client.post(BROADCASTS, json=broadcast(started_at="20/03/2026"), headers=headers)
    problem = in_vietnamese(wrong_date, 422, "invalid-input", "Dữ liệu không hợp lệ")
    assert problem["errors"] == [
        {"loc": ["body", "started_at"], "msg": INSTANT_VI, "type": "datetime_from_date_parsing"}
    ]
    day = client.post(TRAININGS, json=training(started_on="20/03/2026"), headers=headers)
    assert in_vietnamese(day, 422, "invalid-input", "Dữ liệu không hợp lệ")["errors"][0]["msg"] == (
        "cần một ngày như 2026-03-20"
    )
    several = client.post(
        BROADCASTS,
        json=broadcast(origin="foreign", duration_seconds=-1, title="", extra=1),
        headers=headers,
    )
    problem = in_vietnamese(several, 422, "invalid-input", "Dữ liệu không hợp lệ")
    by_type = {error["type"]: error["msg"] for error in problem["errors"]}
    assert by_type["enum"] == "Phải là một trong các giá trị 'central', 'provincial' hoặc 'local'"
    assert by_type["greater_than_equal"] == "Phải lớn hơn hoặc bằng 1"
    assert by_type["extra_forbidden"] == "Không có trường này (trường lạ không được chấp nhận)"
    cursor = client.get(BROADCASTS, params={"cursor": "khong-phai"}, headers=headers)
    problem = in_vietnamese(cursor, 422, "invalid-input", "Dữ liệu không hợp lệ")
    assert problem["detail"] == (
        "Con trỏ (cursor) này không do dịch vụ cấp; hãy bắt đầu lại mà không dùng nó."
    )
    assert problem["errors"] == [
        {"loc": ["query", "cursor"], "msg": "con trỏ không hợp lệ", "type": "cursor"}
    ]
    unpaired = client.post(BROADCASTS, json=broadcast(source="loa-ip"), headers=headers)
    problem = in_vietnamese(unpaired, 422, "invalid-input", "Dữ liệu không hợp lệ")
    assert problem["errors"][0]["type"] == "missing_pair"
    assert problem["errors"][0]["msg"] == "source và external_id phải đi cùng nhau"


def test_bad_json_and_unsupported_media_type_in_vietnamese(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    broken = client.post(
        BROADCASTS,
        content=b'{"title": ',
        headers={**admin_headers, **VI, "Content-Type": "application/json"},
    )
    problem = in_vietnamese(broken, 400, "bad-request", "Yêu cầu không hợp lệ")
    assert problem["detail"] == (
        "Nội dung không phải JSON hợp lệ: thiếu một giá trị tại dòng 1, cột 11."
    )
    assert problem["errors"][0]["type"] == "json_invalid"
    form = client.post(BROADCASTS, data={"title": "x"}, headers={**admin_headers, **VI})
    problem = in_vietnamese(form, 415, "unsupported-media-type", "Kiểu nội dung không được hỗ trợ")
    assert "`Content-Type: application/json`" in problem["detail"]
    assert problem["detail"].startswith("Thao tác này nhận nội dung JSON")


def test_too_many_requests_in_vietnamese(
    client: TestClient, session: Session, settings_env: SetEnv
) -> None:
    settings_env(rate_limit_per_minute=2)
    _, headers = make_key(session)
    for _ in range(2):
        assert client.get(BROADCASTS, headers=headers).status_code == 200
    limited = client.get(BROADCASTS, headers={**headers, **VI})
    problem = in_vietnamese(limited, 429, "too-many-requests", "Quá nhiều yêu cầu")
    seconds = limited.headers["retry-after"]
    assert problem["detail"] == (
        f"Khóa này được gửi tối đa 2 yêu cầu mỗi phút; hãy thử lại sau {seconds} giây."
    )


def test_idempotency_problems_in_vietnamese(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    agency = {"code": "xa-lap-lai", "name": "UBND xã Lặp Lại", "kind": "commune"}
    headers = {**admin_headers, **VI, "Content-Type": "application/json"}
    first = client.post(
        AGENCIES, content=json.dumps(agency), headers={**headers, "Idempotency-Key": "k"}
    )
    assert first.status_code == 201, first.text
    other = json.dumps({**agency, "code": "xa-khac"})
    reused = client.post(AGENCIES, content=other, headers={**headers, "Idempotency-Key": "k"})
    problem = in_vietnamese(reused, 422, "idempotency-key-reused", "Idempotency-Key đã được dùng")
    assert problem["errors"] == [
        {
            "loc": ["header", "Idempotency-Key"],
            "msg": "khóa đã được dùng với nội dung khác",
            "type": "idempotency-key-reused",
        }
    ]
    body = json.dumps({**agency, "code": "xa-dang-chay"})
    session.add(
        IdempotencyRecord(
            client="bootstrap-admin",
            key="busy",
            request_hash=request_fingerprint("POST", AGENCIES, b"", body.encode()),
            method="POST",
            path=AGENCIES,
            completed=False,
            expires_at=utcnow() + IN_FLIGHT_MARGIN,
        )
    )
    session.commit()
    busy = client.post(AGENCIES, content=body, headers={**headers, "Idempotency-Key": "busy"})
    problem = in_vietnamese(busy, 409, "idempotency-key-in-flight", "Yêu cầu đang được xử lý")
    assert problem["detail"] == (
        "Một yêu cầu với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau giây lát."
    )
    invalid = client.post(AGENCIES, content=body, headers={**headers, "Idempotency-Key": "\t"})
    problem = in_vietnamese(invalid, 422, "invalid-input", "Dữ liệu không hợp lệ")
    assert problem["errors"][0]["msg"] == "1 đến 200 ký tự ASCII in được"


def test_middleware_problems_in_vietnamese(client: TestClient) -> None:
    nul = client.get(f"{AGENCIES}?q=%00", headers=VI)
    problem = in_vietnamese(nul, 400, "bad-request", "Yêu cầu không hợp lệ")
    assert problem["detail"] == "URL chứa ký tự NUL."
    huge = client.post(AGENCIES, headers={**VI, "Content-Length": str(10**12)})
    problem = in_vietnamese(huge, 413, "payload-too-large", "Nội dung quá lớn")
    assert problem["detail"].startswith("Nội dung lớn hơn ")


def test_a_batch_item_rejection_in_vietnamese(client: TestClient, session: Session) -> None:
    _, headers = make_key(session)
    items = [
        broadcast(source="loa-ip", external_id="1"),
        broadcast(source="loa-ip", external_id="2", started_at="20/03/2026"),
        broadcast(source="loa-ip", external_id="3", agency_code="xa-khong-co"),
        broadcast(source="loa-ip", external_id="4", agency_code="so-vhttdl"),
    ]
    response = client.post(f"{BROADCASTS}/batch", json={"items": items}, headers={**headers, **VI})
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "vi"
    assert "accept-language" in response.headers["vary"].lower()
    results = response.json()["items"]
    assert [r["outcome"] for r in results] == ["created", "rejected", "rejected", "rejected"]
    wrong_date, unknown, forbidden = (r["problem"] for r in results[1:])
    assert wrong_date["type"] == PROBLEMS + "invalid-input"
    assert wrong_date["title"] == "Dữ liệu không hợp lệ"
    assert wrong_date["detail"] == "mục 1 không hợp lệ"
    assert wrong_date["errors"] == [
        {
            "loc": ["body", "items", 1, "started_at"],
            "msg": INSTANT_VI,
            "type": "datetime_from_date_parsing",
        }
    ]
    assert unknown["errors"][0]["msg"] == "không có cơ quan 'xa-khong-co'"
    assert unknown["errors"][0]["type"] == "unknown_agency"
    assert forbidden["title"] == "Không có quyền"
    assert forbidden["detail"] == "Khóa của 'xa-bao-lam' không được ghi hồ sơ của 'so-vhttdl'."
    # In English, the same item says what form it expected.
    english = client.post(
        f"{BROADCASTS}/batch", json={"items": items[1:2]}, headers=headers
    ).json()["items"][0]["problem"]
    assert english["title"] == "Invalid input"
    assert english["errors"][0]["msg"] == INSTANT
