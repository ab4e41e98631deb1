"""An admin key's reach: a province administrator's key (bound to an agency of a province,
such as its coordinating Sở VHTTDL) administers that province alone; a national one's (a
national body's, or the bootstrap key) everything.

Records are checked agency by agency (``authorize_agency``); these check the catalogue
and the administration: agencies, plans and what hangs under them, keys, reports.
"""

from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.core.errors import Forbidden
from app.core.principal import Principal


class _ProvincialPlan(Protocol):
    """A plan as its reach sees it (plans sit above auth: app.plans.models.Plan fits)."""

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
