"""The plan's own text as sections of headings and paragraphs (GET /plans/{plan}/document).

``parse_plan_text`` reads a plan as published (one paragraph a line, blank lines between,
as in app/seed/data/kh-209-ubnd-cao-bang.txt): the numbered headings (``I. MỤC ĐÍCH, YÊU
CẦU``, ``2.1. Mục tiêu năm 2026``) open sections numbered from their Roman part
(``II.2.1``); a numbered line that ends like a sentence (``1.1. Tập trung … dân tộc.``) is a
numbered paragraph, not a heading; ``- …`` lines are bullets. A line that starts in lower
case continues the paragraph before it (a page break split it). The text before ``I.`` is
the preamble, ``Trên đây là …`` the closing; the recipients, the signature and the
appendix (the tasks) are left out.
"""

import re
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, select

from app.plans.models import Plan, PlanSection
from app.plans.schemas import DocumentParagraph, DocumentSection, PlanDocument

_ROMAN = re.compile(r"^([IVX]+)\.\s+(.+)$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(.+)$")
_SENTENCE_END = (".", ":", ";", "…", ")", "”")
_HEADING_MAX = 250
_CLOSING = "Trên đây là"
_END = ("Nơi nhận:", "Phụ lục:")


@dataclass
class SectionSpec:
    number: str | None
    level: int
    heading: str | None
    paragraphs: list[DocumentParagraph] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """Paragraphs of the body, page-break continuations joined, up to the recipients."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if line.startswith(_END):
            break
        if lines and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    start = next((i for i, line in enumerate(lines) if line == "KẾ HOẠCH"), None)
    return lines[start + 2 :] if start is not None else lines


def _heading(line: str, roman: str | None) -> SectionSpec | None:
    match = _ROMAN.match(line)
    if match:
        return SectionSpec(match.group(1), 1, match.group(2))
    match = _NUMBERED.match(line)
    if match and roman and len(line) <= _HEADING_MAX and not line.endswith(_SENTENCE_END):
        number = match.group(1)
        return SectionSpec(f"{roman}.{number}", 2 + number.count("."), match.group(2))
    return None


def _paragraph(line: str) -> DocumentParagraph:
    if line.startswith("- "):
        return DocumentParagraph(kind="bullet", number=None, text=line[2:].strip())
    match = _NUMBERED.match(line)
    if match:
        return DocumentParagraph(kind="paragraph", number=match.group(1), text=match.group(2))
    return DocumentParagraph(kind="paragraph", number=None, text=line)


def parse_plan_text(text: str) -> list[SectionSpec]:
    sections = [SectionSpec(None, 0, None)]  # the preamble
    roman: str | None = None
    for line in _lines(text):
        if line.startswith(_CLOSING):
            sections.append(SectionSpec(None, 0, None))
            roman = None
        elif (section := _heading(line, roman)) is not None:
            if section.level == 1:
                roman = section.number
            sections.append(section)
            continue
        sections[-1].paragraphs.append(_paragraph(line))
    return [s for s in sections if s.heading or s.paragraphs]


def replace_document(session: Session, *, plan: Plan, sections: list[SectionSpec]) -> None:
    """The plan's sections become ``sections`` (flushes; the caller commits)."""
    session.exec(delete(PlanSection).where(col(PlanSection.plan_id) == plan.id))
    for position, section in enumerate(sections):
        session.add(
            PlanSection(
                plan_id=plan.id or 0,
                position=position,
                number=section.number,
                level=section.level,
                heading=section.heading,
                paragraphs=[p.model_dump(mode="json") for p in section.paragraphs],
            )
        )
    session.flush()


def has_document(session: Session, plan: Plan) -> bool:
    return (
        session.exec(select(PlanSection.id).where(PlanSection.plan_id == plan.id)).first()
        is not None
    )


def plan_document(session: Session, *, plan: Plan) -> PlanDocument:
    rows = session.exec(
        select(PlanSection)
        .where(PlanSection.plan_id == plan.id)
        .order_by(col(PlanSection.position))
    ).all()
    return PlanDocument(
        plan_code=plan.code,
        document_number=plan.document_number,
        title=plan.title,
        issued_on=plan.issued_on,
        sections=[
            DocumentSection(
                number=row.number,
                level=row.level,
                heading=row.heading,
                paragraphs=[DocumentParagraph.model_validate(p) for p in row.paragraphs],
            )
            for row in rows
        ],
    )
