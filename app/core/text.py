"""Text folding so that search ignores Vietnamese diacritics on every database.

Diacritics are removed in Python and the folded text is stored beside the record
(``search_text``), so that SQLite and PostgreSQL answer ``q`` the same way without
extensions such as ``unaccent``.
"""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and punctuation: "Chuyển Đổi, số" -> "chuyen doi so"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    kept = (ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    # Punctuation folds to spaces, so "Văn hóa, Thể thao" is found by "van hoa the thao".
    return " ".join("".join(kept).lower().split())


def search_text(*parts: str | None) -> str:
    return " | ".join(fold(part) for part in parts if part)


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching the folded query anywhere."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
