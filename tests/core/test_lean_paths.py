"""The cheaper paths stay equal to what they replace: the readiness check's migration
heads read from the files, and search folding one character at a time."""

import unicodedata

from alembic.script import ScriptDirectory
from hypothesis import given
from hypothesis import strategies as st

from app.cli import alembic_config
from app.core import health
from app.core.text import _SPECIAL, fold


def test_heads_read_from_the_files_are_alembics() -> None:
    expected = frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    health.head_revisions.cache_clear()
    try:
        assert health.head_revisions() == expected
    finally:
        health.head_revisions.cache_clear()


def _fold_whole_text(text: str) -> str:
    """The folding as it was written first: NFD over the whole text."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    kept = (ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(kept).lower().split())


@given(st.text())
def test_fold_by_character_equals_fold_of_the_whole_text(text: str) -> None:
    assert fold(text) == _fold_whole_text(text)


def test_fold_examples() -> None:
    assert fold("Chuyển Đổi, số") == "chuyen doi so"
    assert fold("ΟΔΟΣ ΣΑΣ") == _fold_whole_text("ΟΔΟΣ ΣΑΣ")  # final sigma
    assert fold("") == ""
    assert fold(None) == ""
