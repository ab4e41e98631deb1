"""Text folding so that search ignores Vietnamese diacritics on every database.

Diacritics are removed in Python and the folded text is stored beside the record
(``search_text``), so that SQLite and PostgreSQL answer ``q`` the same way without
extensions such as ``unaccent``.
"""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


# Characters up to Latin Extended Additional (Vietnamese) are kept once folded; others
# are folded on each sight, so that text full of rare characters cannot grow the table.
_CACHED_BELOW = 0x2000


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time: special letters, then
    diacritics dropped (NFD, combining marks out), punctuation to a space. Filled on
    first sight of each character, so folding is one C-level pass over the text.

    Folding character by character equals folding the whole text: NFD decomposes each
    character on its own, and canonical reordering moves only combining marks, which are
    all dropped. Lower-casing stays on the whole text (a final sigma depends on what
    precedes it)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).translate(_SPECIAL))
        folded = "".join(
            ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
        )
        if code < _CACHED_BELOW:
            self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and punctuation: "Chuyển Đổi, số" -> "chuyen doi so"."""
    if not text:
        return ""
    # Punctuation folds to spaces, so "Văn hóa, Thể thao" is found by "van hoa the thao".
    return " ".join(text.translate(_FOLD).lower().split())


def search_text(*parts: str | None) -> str:
    return " | ".join(fold(part) for part in parts if part)


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching the folded query anywhere."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
