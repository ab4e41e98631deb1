"""Agencies as a spreadsheet names them: by code, by name, by the name people say.

``UBND xã Bảo Lâm`` is also found as ``Xã Bảo Lâm``, ``xa bao lam``, ``Bảo Lâm``, its
code ``xa-bao-lam`` and its administrative code ``01290``. A spelling that several
agencies share (two provinces' ``Bảo Lâm``) names none: the row says which ones.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from app.agencies.models import Agency
from app.core.local_time import LOCAL_TZ
from app.core.text import fold
from app.imports.cells import CellError, display

_PREFIXES = ("ubnd ", "uy ban nhan dan ")
_UNIT_WORDS = ("xa ", "phuong ", "thi tran ")


def spellings(code: str, name: str, short_name: str | None, admin_code: str | None) -> set[str]:
    """Every folded spelling of one agency."""
    found = {fold(code), fold(name)}
    if short_name:
        found.add(fold(short_name))
    if admin_code:
        found.add(admin_code.strip())
    for spelling in list(found):
        for prefix in _PREFIXES:
            if spelling.startswith(prefix):
                found.add(spelling.removeprefix(prefix))
    for spelling in list(found):
        for word in _UNIT_WORDS:
            if spelling.startswith(word):
                found.add(spelling.removeprefix(word))
    return found - {""}


@dataclass
class AgencyDirectory:
    by_spelling: dict[str, set[str]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> "AgencyDirectory":
        directory = cls()
        rows = session.exec(
            select(Agency.code, Agency.name, Agency.short_name, Agency.admin_code)
        ).all()
        for code, name, short_name, admin_code in rows:
            directory.codes.add(code)
            for spelling in spellings(code, name, short_name, admin_code):
                directory.by_spelling.setdefault(spelling, set()).add(code)
        return directory

    def resolve(self, value: Any) -> str:
        shown = display(value)
        if shown in self.codes:
            return shown
        found = self.by_spelling.get(fold(shown), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = ", ".join(sorted(found)[:5])
            raise CellError(
                "ambiguous_agency",
                f"'{shown}' names several agencies ({options}): write the code",
                f"'{shown}' ứng với nhiều đơn vị ({options}): hãy ghi mã đơn vị",
            )
        raise CellError(
            "unknown_agency",
            f"no agency '{shown}': write its name as in the list or its code (xa-bao-lam)",
            f"không có đơn vị '{shown}': ghi tên như trong danh sách hoặc mã (xa-bao-lam)",
        )


def listed_agencies(session: Session, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, code) of the agencies a template's drop-down offers: those active today,
    of these kinds (all kinds when none), by name."""
    today = datetime.now(LOCAL_TZ).date()
    statement = select(Agency.name, Agency.code).where(
        or_(col(Agency.valid_to).is_(None), col(Agency.valid_to) >= today)
    )
    if kinds:
        statement = statement.where(col(Agency.kind).in_(kinds))
    return sorted(session.exec(statement).all(), key=lambda row: (fold(row[0]), row[1]))
