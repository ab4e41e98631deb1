"""GET /plans/{plan}/document: the plan's own text, checked against the published file."""

import re
from importlib import resources

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.plans.document import parse_plan_text, replace_document
from app.plans.service import get_plan
from tests.helpers import assert_problem
from tests.plans.factories import PLAN


def plan_lines() -> list[str]:
    text = (resources.files("app.seed") / "data" / "kh-209-ubnd-cao-bang.txt").read_text("utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_the_documents_headings_are_the_plans(client: TestClient) -> None:
    response = client.get(f"{PLAN}/document")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["document_number"] == "209/KH-UBND" and body["issued_on"] == "2026-01-27"
    headings = [(s["number"], s["heading"]) for s in body["sections"] if s["heading"]]
    # Every Roman heading of the text, in order, and nothing before the appendix.
    body_lines = plan_lines()[: plan_lines().index("Nơi nhận:")]
    roman = [tuple(line.split(". ", 1)) for line in body_lines if re.match(r"[IVX]+\. ", line)]
    assert [h for h in headings if "." not in h[0]] == roman
    assert [h[1] for h in headings if "." not in h[0]] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "MỤC TIÊU KẾ HOẠCH",
        "NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN",
        "KINH PHÍ THỰC HIỆN",
        "TỔ CHỨC THỰC HIỆN",
    ]
    assert [n for n, _ in headings] == [
        "I", "I.1", "I.2", "II", "II.1", "II.2", "II.2.1", "II.2.2", "III", "III.1", "III.2",
        "IV", "V", "V.1", "V.2", "V.3", "V.4", "V.5", "V.6",
    ]  # fmt: skip
    for number, heading in headings:  # each as printed: "2.1. Mục tiêu năm 2026"
        printed = number.split(".", 1)[1] if "." in number else number
        assert f"{printed}. {heading}" in body_lines, number
    sections = {s["number"]: s for s in body["sections"]}
    # III.1: the content points 1.1 to 1.5, the bullets of 1.2 between them.
    points = [p["number"] for p in sections["III.1"]["paragraphs"] if p["number"]]
    assert points == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert len([p for p in sections["III.2"]["paragraphs"] if p["kind"] == "bullet"]) == 7
    # Paragraphs are the text's, page breaks joined: "tinh / gọn" of I.1 reads as one.
    text = " ".join(plan_lines())
    for section in body["sections"]:
        for paragraph in section["paragraphs"]:
            assert paragraph["text"] in text
    assert (
        "tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực"
        in (sections["I.1"]["paragraphs"][1]["text"])
    )
    preamble, closing = body["sections"][0], body["sections"][-1]
    assert preamble["number"] is None and preamble["paragraphs"][0]["text"].startswith(
        "Thực hiện Nghị quyết số 57-NQ/TW"
    )
    assert closing["paragraphs"][0]["text"].startswith("Trên đây là Kế hoạch tuyên truyền")
    assert closing["paragraphs"][0]["text"].endswith("theo quy định./.")


def test_a_plan_without_its_text_has_an_empty_document(
    client: TestClient, session: Session
) -> None:
    replace_document(session, plan=get_plan(session, "kh-209-2026"), sections=[])
    assert client.get(f"{PLAN}/document").json()["sections"] == []
    assert_problem(client.get("/api/v1/plans/kh-khong-co/document"), 404)


def test_the_parser_keeps_numbered_sentences_as_paragraphs() -> None:
    sections = parse_plan_text(
        "I. NỘI DUNG\n\n1. Nội dung\n\n1.1. Tuyên truyền các mục tiêu:\n\n- một\n\nhai.\n"
    )
    assert [(s.number, s.heading) for s in sections] == [("I", "NỘI DUNG"), ("I.1", "Nội dung")]
    assert [(p.kind, p.number, p.text) for p in sections[1].paragraphs] == [
        ("paragraph", "1.1", "Tuyên truyền các mục tiêu:"),
        ("bullet", None, "một hai."),
    ]
