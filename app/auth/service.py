"""API keys: created with a secret shown once, listed, revoked."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.agencies.access import province_agencies_clause, require_agency_reach
from app.agencies.service import require_agency
from app.audit.service import Trail, snapshot
from app.auth.models import ApiKey
from app.auth.schemas import ApiKeyFilters
from app.auth.security import new_key_secret
from app.core.filters import has_tag
from app.core.pagination import PageParams, paginate
from app.core.principal import Principal
from app.core.records import equal_to, insert_record, retraction, where_all
from app.core.service import or_not_found
from app.core.types import utcnow
from app.core.vocab import Scope


def create_api_key(
    session: Session,
    *,
    agency_code: str,
    scopes: list[Scope],
    name: str,
    expires_at: datetime | None,
    actor: Principal,
) -> tuple[ApiKey, str]:
    """Returns the key row and the full secret (to be shown once, never stored)."""
    require_agency(session, agency_code, loc=["body", "agency_code"])
    require_agency_reach(session, actor, agency_code)
    full, prefix, digest = new_key_secret()
    key = ApiKey(
        prefix=prefix,
        secret_hash=digest,
        name=name,
        agency_code=agency_code,
        scopes=[s.value for s in scopes],
        expires_at=expires_at,
    )
    insert_record(session, key, _KEY_TRAIL.recorder(session, actor))
    return key, full


def _public(key: ApiKey) -> dict[str, Any]:
    """A key's state as the audit trail keeps it: never its secret's hash."""
    data = snapshot(key)
    data.pop("secret_hash", None)
    return data


# A key is known by its prefix.
_KEY_TRAIL = Trail("api_key", entity_id=lambda key: key.prefix, after=lambda _, key: _public(key))


def list_api_keys(session: Session, *, agency_code: str | None = None) -> list[ApiKey]:
    statement = select(ApiKey).order_by(col(ApiKey.id))
    if agency_code:
        statement = statement.where(ApiKey.agency_code == agency_code)
    return list(session.exec(statement).all())


def page_api_keys(
    session: Session, *, page: PageParams, filters: ApiKeyFilters, reach: Principal | None = None
) -> tuple[list[ApiKey], str | None]:
    """One page of keys, by id (``reach``: only those of agencies its admin key reaches)."""
    scope = filters.scope
    statement = where_all(
        select(ApiKey),
        province_agencies_clause(ApiKey.agency_code, reach) if reach else None,
        equal_to(ApiKey.agency_code, filters.agency),
        retraction(ApiKey.revoked_at, filters.revoked),
        None if scope is None else has_tag(ApiKey.scopes, scope.value),
    )
    return paginate(session, statement, ApiKey.id, page)


def get_api_key(session: Session, prefix: str, *, reach: Principal | None = None) -> ApiKey:
    """``reach``: an admin key that must reach the key's agency (403 otherwise)."""
    key = or_not_found(
        session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first(),
        f"No API key with prefix '{prefix}'.",
    )
    if reach is not None:
        require_agency_reach(session, reach, key.agency_code)
    return key


def revoke_api_key(session: Session, *, prefix: str, actor: Principal) -> ApiKey:
    key = get_api_key(session, prefix, reach=actor)
    if key.revoked_at is None:
        before = _public(key)
        key.revoked_at = utcnow()
        session.add(key)
        _KEY_TRAIL.record(session, actor, "revoke", key, before=before)
    return key
