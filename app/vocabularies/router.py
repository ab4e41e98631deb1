from fastapi import APIRouter
from pydantic import BaseModel

from app.core.access import CatalogueReader
from app.core.errors import problem_responses
from app.core.vocab import LABELS_VI

router = APIRouter(prefix="/vocabularies", tags=["vocabularies"])


class Term(BaseModel):
    code: str
    label_vi: str


class Vocabulary(BaseModel):
    name: str
    terms: list[Term]


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


@router.get(
    "",
    response_model=list[Vocabulary],
    summary="List the enumerations with Vietnamese labels",
    responses=problem_responses(401, 429, 503),
)
def list_vocabularies(_reader: CatalogueReader) -> list[Vocabulary]:
    """Every enumeration the contract uses (agency kinds, topics, audiences…), each value
    with the Vietnamese label to show people (`label_vi`)."""
    return [
        Vocabulary(
            name=_snake(enum.__name__),
            terms=[Term(code=member.value, label_vi=labels[member.value]) for member in enum],
        )
        for enum, labels in LABELS_VI.items()
    ]
