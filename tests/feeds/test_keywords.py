"""The plan's feed keywords: seeded once, edited through the API, matched folded."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.feeds.parse import FeedItem, external_id, parse_feed
from app.feeds.sync import Keywords, load_keywords, topics_of
from app.plans.models import Plan
from app.seed.loader import seed

PLAN = "/api/v1/plans/kh-209-2026"
SEEDED = [
    "chuyển đổi số",
    "Nghị quyết 57",
    "khoa học, công nghệ",
    "đổi mới sáng tạo",
    "Bình dân học vụ số",
]


def _item(title: str, summary: str | None = None) -> FeedItem:
    return FeedItem("g", title, None, summary, datetime(2026, 3, 1, tzinfo=UTC))


def test_the_seed_sets_the_keywords_once_and_keeps_an_edit(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    assert client.get(PLAN).json()["feed_keywords"] == SEEDED
    edited = client.patch(
        PLAN, json={"feed_keywords": ["AI", "ai", "  trí tuệ nhân tạo "]}, headers=admin_headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["feed_keywords"] == ["AI", "trí tuệ nhân tạo"]
    cleared = client.patch(PLAN, json={"feed_keywords": []}, headers=admin_headers)
    assert cleared.json()["feed_keywords"] == []
    assert str(seed(session)).startswith("nothing to add")
    assert client.get(PLAN).json()["feed_keywords"] == []


def test_a_plan_from_before_the_column_gets_the_shipped_keywords(
    client: TestClient, session: Session
) -> None:
    plan = session.exec(select(Plan).where(Plan.code == "kh-209-2026")).one()
    plan.feed_keywords = None
    session.add(plan)
    session.commit()
    assert client.get(PLAN).json()["feed_keywords"] == []
    assert "plan feed keywords" in str(seed(session))
    assert client.get(PLAN).json()["feed_keywords"] == SEEDED


def test_keywords_that_match_everything_or_are_null_are_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for body in ({"feed_keywords": ["!!!"]}, {"feed_keywords": [""]}, {"feed_keywords": None}):
        response = client.patch(PLAN, json=body, headers=admin_headers)
        assert response.status_code == 422, (body, response.text)


def test_matching_ignores_case_diacritics_punctuation_and_needs_whole_words(
    session: Session,
) -> None:
    keywords = load_keywords(session)
    assert keywords == [Keywords(tuple(k for k in keywords[0].phrases), "nq57")]
    assert topics_of(_item("CHUYEN DOI SO ở vùng cao"), keywords, dedicated=False) == ["nq57"]
    assert topics_of(_item("Tin", "Khoa học - công nghệ"), keywords, dedicated=False) == ["nq57"]
    assert topics_of(_item("Chuyển đổi song ngữ"), keywords, dedicated=False) == []
    assert topics_of(_item("Lễ hội"), keywords, dedicated=False) == []
    # A section built for the topic: all its items are on-topic.
    assert topics_of(_item("Lễ hội"), keywords, dedicated=True) == ["nq57"]


def test_long_guids_are_hashed_and_items_parse_from_both_formats() -> None:
    assert external_id("x" * 200) == "x" * 200
    assert external_id("x" * 201).startswith("sha256:") and len(external_id("x" * 201)) == 71
    atom = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">'
        b"&lt;b&gt;Ti\xc3\xaau \xc4\x91\xe1\xbb\x81&lt;/b&gt;</title>"
        b'<link rel="self" href="https://x.vn/self"/><link href="https://x.vn/a"/>'
        b"<updated>2026-03-01T08:00:00Z</updated></entry></feed>"
    )
    assert atom == [
        FeedItem(
            "https://x.vn/a", "Tiêu đề", "https://x.vn/a", None, datetime(2026, 3, 1, 8, tzinfo=UTC)
        )
    ]
