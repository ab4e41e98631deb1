"""Who may act for which agency: a key writes its own agency's records and those under it;
an admin key's reach is its province (a province administrator's key, bound to an agency of
a province such as its coordinating Sở VHTTDL) or everything (a national one's: a national
body's key, or the bootstrap key).

Records are checked agency by agency (``authorize_agency``, ``writable_agencies``); the
``require_*`` checks cover the catalogue and the administration: agencies, plans and what
hangs under them, keys, reports.
"""

from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.core.errors import Forbidden
from app.core.principal import Principal


def province_of(session: Session, agency_code: str) -> str | None:
    return session.exec(select(Agency.province_code).where(Agency.code == agency_code)).first()


def authorize_agency(session: Session, principal: Principal, agency_code: str) -> None:
    """A key writes its own agency's records and those of agencies under it; an admin
    key, those of every agency of its province (a national one's: every agency)."""
    if principal.is_national_admin:
        return
    if principal.is_admin:
        if province_of(session, agency_code) == principal.province_code:
            return
        raise Forbidden(
            f"An administrator of '{principal.province_code}' may not act for '{agency_code}', "
            "an agency of another province."
        )
    code: str | None = agency_code
    seen: set[str] = set()
    while code is not None and code not in seen:
        if code == principal.agency_code:
            return
        seen.add(code)
        code = session.exec(select(Agency.parent_code).where(Agency.code == code)).first()
    raise Forbidden(f"A key of '{principal.agency_code}' may not write records of '{agency_code}'.")


def writable_agencies(session: Session, principal: Principal, codes: set[str]) -> set[str]:
    """Which of ``codes`` the principal may write (set-based authorize_agency, for batches)."""
    if principal.is_national_admin:
        return set(codes)
    if principal.is_admin:
        statement = select(Agency.code).where(
            col(Agency.code).in_(sorted(codes)), Agency.province_code == principal.province_code
        )
        return set(session.exec(statement).all())
    parents: dict[str, str | None] = {}
    frontier = set(codes)
    while frontier:
        rows = session.exec(
            select(Agency.code, Agency.parent_code).where(col(Agency.code).in_(sorted(frontier)))
        ).all()
        parents.update({code: parent for code, parent in rows})
        frontier = {p for _, p in rows if p is not None and p not in parents}
    writable = set()
    for code in codes:
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if current == principal.agency_code:
                writable.add(code)
                break
            seen.add(current)
            current = parents.get(current)
    return writable


class _ProvincialPlan(Protocol):
    """A plan as its reach sees it (plans sit above agencies: app.plans.models.Plan fits)."""

    @property
    def code(self) -> str: ...

    @property
    def province_code(self) -> str | None: ...


def require_national(actor: Principal, what: str) -> None:
    if not actor.is_national_admin:
        raise Forbidden(f"Only a national administrator may {what}.")


def require_province(actor: Principal, province: str | None, what: str) -> None:
    """``what`` (of ``province``; None: national) is within the admin key's reach."""
    if actor.administers(province):
        return
    if province is None:
        raise Forbidden(f"{what} is national: only a national administrator may change it.")
    raise Forbidden(
        f"{what} belongs to the province '{province}'; this key administers "
        f"'{actor.province_code}'."
    )


def require_plan_reach(actor: Principal, plan: _ProvincialPlan) -> None:
    require_province(actor, plan.province_code, f"Plan '{plan.code}'")


def require_agency_reach(session: Session, actor: Principal, agency_code: str) -> None:
    if actor.is_national_admin:
        return
    province = session.exec(select(Agency.province_code).where(Agency.code == agency_code)).first()
    require_province(actor, province, f"Agency '{agency_code}'")


def province_agencies_clause(column: Any, actor: Principal) -> Any:
    """Rows whose agency (``column``) the admin key reaches; None: every row."""
    if actor.is_national_admin:
        return None
    in_province = select(Agency.code).where(Agency.province_code == actor.province_code)
    return col(column).in_(in_province)
