import json
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.core.vocab import Scope
from app.media_products.models import MediaProduct, MediaProductChannel
from tests.channels.factories import audit_events, count_rows, ids, key_headers, make_channel
from tests.helpers import assert_problem, list_all

URL = "/api/v1/media-products"


def product_body(**overrides: Any) -> dict[str, Any]:
    return {
        "agency_code": "bao-ptth-cb",
        "kind": "article",
        "title": "Chuyển đổi số ở Cao Bằng: từ Nghị quyết 57 đến từng thôn bản",
        "published_at": "2026-03-14T08:30:00+07:00",
        "topics": ["nq57", "digital_transformation"],
        **overrides,
    }


def make_product(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=product_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_read_update_delete(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    portal = make_channel(client, admin_headers, agency_code="bao-ptth-cb", kind="portal")
    column = make_channel(client, admin_headers, agency_code="bao-ptth-cb", kind="press_column")
    created = client.post(
        URL,
        json=product_body(
            summary="Kết quả bước đầu triển khai Kế hoạch 209/KH-UBND.",
            url="https://baocaobang.vn/chuyen-doi-so-3179.html",
            channel_ids=[column["id"], portal["id"], column["id"]],
            topics=["local_effort", "nq57", "nq57"],
            audiences=["citizens"],
            language="tay",
            partner_press="Báo Nhân Dân",
            views=12500,
            copies=10**12,
        ),
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    product = created.json()
    assert created.headers["push-outcome"] == "created"
    assert created.headers["location"] == f"{URL}/{product['id']}"
    assert product["channel_ids"] == sorted([portal["id"], column["id"]])
    assert product["topics"] == ["local_effort", "nq57"]
    assert product["published_at"] == "2026-03-14T01:30:00Z"
    assert product["language"] == "tay"
    assert product["copies"] == 10**12
    assert product["retracted_at"] is None

    item = f"{URL}/{product['id']}"
    got = client.get(item, headers=admin_headers)
    assert got.json() == product
    etag = got.headers["etag"]
    patched = client.patch(
        item,
        json={"channel_ids": [portal["id"]], "views": 20400, "partner_press": None},
        headers={**admin_headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["channel_ids"] == [portal["id"]]
    assert patched.json()["views"] == 20400
    assert patched.json()["partner_press"] is None
    assert patched.headers["etag"] != etag
    assert_problem(
        client.patch(item, json={"views": 1}, headers={**admin_headers, "If-Match": etag}), 412
    )
    only_channels = client.patch(item, json={"channel_ids": []}, headers=admin_headers)
    assert only_channels.json()["channel_ids"] == []
    assert only_channels.headers["etag"] != patched.headers["etag"]

    assert client.delete(item, headers=admin_headers).status_code == 204
    assert_problem(client.get(item, headers=admin_headers), 404)
    assert count_rows(session, MediaProductChannel) == 0
    events = audit_events(session, "media_product", product["id"])
    assert [e.action for e in events] == ["create", "update", "update", "delete"]
    assert events[0].after is not None and events[0].after["channel_ids"] == product["channel_ids"]
    assert (
        events[1].before is not None and events[1].before["channel_ids"] == product["channel_ids"]
    )
    assert events[1].after is not None and events[1].after["channel_ids"] == [portal["id"]]
    assert events[3].before is not None and events[3].after is None


def test_filters(client: TestClient, admin_headers: dict[str, str]) -> None:
    portal = make_channel(client, admin_headers, agency_code="cong-ttdt-tinh", kind="portal")
    a = make_product(
        client,
        admin_headers,
        agency_code="cong-ttdt-tinh",
        title="Chuyển đổi số trong cải cách hành chính",
        channel_ids=[portal["id"]],
        audiences=["civil_servants"],
        published_at="2026-03-14T23:30:00+07:00",
    )
    b = make_product(
        client,
        admin_headers,
        kind="video",
        title="Phóng sự: Bình dân học vụ số ở vùng cao",
        topics=["digital_literacy"],
        audiences=["ethnic_minorities", "citizens"],
        language="hmong",
        published_at="2026-03-14T17:30:00Z",
        retracted_at="2026-03-20T10:00:00+07:00",
    )
    c = make_product(
        client,
        admin_headers,
        kind="print_publication",
        title="Cẩm nang trí tuệ nhân tạo",
        summary="Tài liệu về ứng dụng AI cho cán bộ xã",
        topics=["ai"],
        published_at="2026-01-05T09:00:00+07:00",
        state_commissioned=True,
    )
    mine = [a["id"], b["id"], c["id"]]

    def found(**params: object) -> list[int]:
        return [i for i in ids(list_all(client, URL, headers=admin_headers, **params)) if i in mine]

    assert found() == mine, "ordered by id; withdrawn products are listed too"
    assert found(agency="cong-ttdt-tinh") == [a["id"]]
    assert found(kind="video") == [b["id"]]
    assert found(kind=["video", "print_publication"]) == [b["id"], c["id"]]
    assert found(topic="nq57") == [a["id"]]
    assert found(topic=["ai", "digital_literacy"]) == [b["id"], c["id"]]
    assert found(audience="citizens") == [b["id"]]
    assert found(channel=portal["id"]) == [a["id"]]
    assert found(language="hmong") == [b["id"]]
    assert found(language="vi") == [a["id"], c["id"]]
    assert found(retracted="true") == [b["id"]]
    assert found(retracted="false") == [a["id"], c["id"]]
    # 23:30 local on 14 March is 14 March; 17:30Z on 14 March is 00:30 local on 15 March.
    assert found(**{"from": "2026-03-14", "to": "2026-03-14"}) == [a["id"]]
    assert found(**{"from": "2026-03-15", "to": "2026-03-15"}) == [b["id"]]
    assert found(**{"from": "2026-03-01"}) == [a["id"], b["id"]]
    assert found(to="2026-03-13") == [c["id"]]
    assert found(q="chuyen doi so") == [a["id"]]
    assert found(q="BINH DAN hoc vu") == [b["id"]]
    assert found(q="ung dung ai") == [c["id"]], "the summary is searched too"
    assert found(q="dữ liệu lớn") == []
    got = client.get(URL, params={"from": "2026-03-15", "to": "2026-03-14"}, headers=admin_headers)
    assert_problem(got, 422)


def test_push_semantics_include_channels(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    one = make_channel(client, admin_headers, agency_code="bao-ptth-cb", kind="portal")
    two = make_channel(client, admin_headers, agency_code="bao-ptth-cb", kind="social_media")
    body = product_body(
        channel_ids=[one["id"], two["id"]],
        source="baocaobang-cms",
        external_id="3179",
        topics=["nq57", "ai"],
    )
    first = client.post(URL, json=body, headers=admin_headers)
    assert first.status_code == 201, first.text
    rows, events = count_rows(session, MediaProduct), count_rows(session, AuditEvent)

    same = {
        **body,
        "channel_ids": [two["id"], one["id"]],
        "topics": ["ai", "nq57"],
        "published_at": "2026-03-14T01:30:00Z",
    }
    again = client.post(URL, json=same, headers=admin_headers)
    assert again.status_code == 200, again.text
    assert again.headers["push-outcome"] == "unchanged"
    assert again.json() == first.json()
    assert count_rows(session, MediaProduct) == rows
    assert count_rows(session, AuditEvent) == events

    fewer = client.post(URL, json={**body, "channel_ids": [one["id"]]}, headers=admin_headers)
    assert fewer.status_code == 200, fewer.text
    assert fewer.headers["push-outcome"] == "updated"
    assert fewer.json()["channel_ids"] == [one["id"]]
    assert fewer.headers["etag"] != first.headers["etag"]
    last = audit_events(session, "media_product", first.json()["id"])[-1]
    assert last.action == "update"
    assert last.before is not None and last.before["channel_ids"] == sorted([one["id"], two["id"]])
    assert last.after is not None and last.after["channel_ids"] == [one["id"]]

    retitled = client.post(
        URL,
        json={**body, "channel_ids": [one["id"]], "title": "Tiêu đề mới"},
        headers=admin_headers,
    )
    assert retitled.headers["push-outcome"] == "updated"
    last = audit_events(session, "media_product", first.json()["id"])[-1]
    assert last.before is not None and last.before["title"] == body["title"]
    assert last.after is not None and last.after["title"] == "Tiêu đề mới"
    assert count_rows(session, MediaProduct) == rows


def test_pagination_while_rows_are_inserted(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for n in range(5):
        make_product(client, admin_headers, title=f"Tin {n}")
    seen: list[int] = []
    cursor = None
    inserted = 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params=params, headers=admin_headers).json()
        seen.extend(ids(page["items"]))
        if inserted < 3:
            make_product(client, admin_headers, title=f"Tin mới {inserted}")
            inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no product is served twice"
    assert seen == ids(list_all(client, URL, headers=admin_headers)), "none is skipped"


def test_agency_bound_keys(client: TestClient, session: Session) -> None:
    headers = key_headers(session, "xa-bao-lam")
    own = make_product(client, headers, agency_code="xa-bao-lam", source="cms-xa", external_id="1")
    team = make_product(client, headers, agency_code="to-cns-xa-bao-lam")
    assert team["agency_code"] == "to-cns-xa-bao-lam"
    foreign = make_product(client, key_headers(session, "xa-ly-bon"), agency_code="xa-ly-bon")
    reader = key_headers(session, "xa-bao-lam", [Scope.read])
    rows, events = count_rows(session, MediaProduct), count_rows(session, AuditEvent)

    assert_problem(
        client.post(URL, json=product_body(agency_code="xa-ly-bon"), headers=headers), 403
    )
    # Re-pushing a known key for another agency is refused too.
    moved = product_body(agency_code="xa-ly-bon", source="cms-xa", external_id="1")
    assert_problem(client.post(URL, json=moved, headers=headers), 403)
    assert_problem(client.patch(f"{URL}/{foreign['id']}", json={"views": 1}, headers=headers), 403)
    assert_problem(
        client.patch(f"{URL}/{own['id']}", json={"agency_code": "xa-ly-bon"}, headers=headers), 403
    )
    assert_problem(client.delete(f"{URL}/{foreign['id']}", headers=headers), 403)
    assert client.get(f"{URL}/{own['id']}", headers=reader).status_code == 200
    assert_problem(
        client.post(URL, json=product_body(agency_code="xa-bao-lam"), headers=reader), 403
    )
    assert_problem(client.patch(f"{URL}/{own['id']}", json={"views": 1}, headers=reader), 403)
    assert_problem(client.delete(f"{URL}/{own['id']}", headers=reader), 403)
    assert count_rows(session, MediaProduct) == rows
    assert count_rows(session, AuditEvent) == events
    assert client.get(f"{URL}/{own['id']}", headers=reader).json() == own


def test_bad_input_on_writes(client: TestClient, admin_headers: dict[str, str]) -> None:
    channel = make_channel(client, admin_headers)
    cases: list[tuple[dict[str, Any], list[Any] | None]] = [
        (product_body(kind="tweet"), ["body", "kind"]),
        (product_body(topics=["nq57", "astrology"]), ["body", "topics", 1]),
        (product_body(audiences=["aliens"]), ["body", "audiences", 0]),
        (product_body(language="klingon"), ["body", "language"]),
        (product_body(title="Tin\u0000"), ["body", "title"]),
        (product_body(summary="a\u0000b"), ["body", "summary"]),
        (product_body(views=10**12 + 1), ["body", "views"]),
        (product_body(copies=10**30), ["body", "copies"]),
        (product_body(listeners=-1), ["body", "listeners"]),
        (product_body(published_at="2026-03-14T08:30:00"), ["body", "published_at"]),
        (product_body(retracted_at="2026-03-14 08:30"), ["body", "retracted_at"]),
        (product_body(published_at="hôm qua"), ["body", "published_at"]),
        (product_body(channel_ids=[channel["id"], 999999]), ["body", "channel_ids", 1]),
        (product_body(channel_ids=[10**30]), ["body", "channel_ids", 0]),
        (product_body(channel_ids=list(range(1, 22))), ["body", "channel_ids"]),
        (product_body(topics=["nq57"] * 21), ["body", "topics"]),
        (product_body(url="ftp://example.vn/x"), ["body", "url"]),
        (product_body(url="https://x.vn/" + "a" * 2000), ["body", "url"]),
        (product_body(agency_code="khong-co"), ["body", "agency_code"]),
        (product_body(source="cms"), ["body", "external_id"]),
        (product_body(external_id="1"), ["body", "source"]),
        (product_body(title=""), ["body", "title"]),
        (product_body(partner_press="x" * 301), ["body", "partner_press"]),
        (product_body(extra="x"), ["body", "extra"]),
        (product_body(views=1.5), ["body", "views"]),
        (product_body(views=float("inf")), None),
    ]
    for body, loc in cases:
        if loc is None:
            content = json.dumps(body).encode()  # Infinity is not JSON; it must be refused
            response = client.post(
                URL, content=content, headers={**admin_headers, "Content-Type": "application/json"}
            )
            assert_problem(response, 422)
            continue
        problem = assert_problem(client.post(URL, json=body, headers=admin_headers), 422)
        assert loc in [e["loc"] for e in problem["errors"]], (loc, problem["errors"])
    # Not JSON (a UTF-16 byte order mark reads as an empty text) is 400; no body, or null, 422.
    for content, status in ((b'{"title": ', 400), (b"", 422), (b"\xff\xfe", 400), (b"null", 422)):
        malformed = client.post(
            URL, content=content, headers={**admin_headers, "Content-Type": "application/json"}
        )
        assert_problem(malformed, status)

    product = make_product(client, admin_headers)
    item = f"{URL}/{product['id']}"
    for patch, loc in [
        ({"kind": "tweet"}, ["body", "kind"]),
        ({"title": None}, ["body", "title"]),
        ({"published_at": None}, ["body", "published_at"]),
        ({"published_at": "2026-03-14T08:30:00"}, ["body", "published_at"]),
        ({"views": 10**13}, ["body", "views"]),
        ({"channel_ids": [999999]}, ["body", "channel_ids", 0]),
        ({"agency_code": "khong-co"}, ["body", "agency_code"]),
        ({"summary": "\u0000"}, ["body", "summary"]),
        ({"source": "cms"}, ["body", "source"]),
    ]:
        problem = assert_problem(client.patch(item, json=patch, headers=admin_headers), 422)
        assert loc in [e["loc"] for e in problem["errors"]], (loc, problem["errors"])
    assert_problem(
        client.patch(
            item, content=b"{", headers={**admin_headers, "Content-Type": "application/json"}
        ),
        400,
    )
    for bad_id in ("0", str(2**63)):
        assert_problem(client.patch(f"{URL}/{bad_id}", json={}, headers=admin_headers), 422)
        assert_problem(client.delete(f"{URL}/{bad_id}", headers=admin_headers), 422)
    # Ids are digits in the route itself (so that /batch is no id): anything else is no URL.
    assert_problem(client.patch(f"{URL}/x", json={}, headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/x", headers=admin_headers), 404)
    assert_problem(client.delete(f"{URL}/999999", headers=admin_headers), 404)
    for params in [{"topic": "x"}, {"channel": "-1"}, {"from": "2026-02-30"}, {"retracted": "x"}]:
        assert_problem(client.get(URL, params=params, headers=admin_headers), 422)
    assert client.get(item, headers=admin_headers).json() == product
