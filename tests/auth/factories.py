"""API keys for tests: a key bound to an agency, with the Authorization header."""

from datetime import datetime

from sqlmodel import Session

from app.auth.service import create_api_key
from app.core.principal import SYSTEM
from app.core.vocab import Scope


def make_key(
    session: Session,
    *,
    agency_code: str = "xa-bao-lam",
    scopes: tuple[Scope, ...] = (Scope.read, Scope.write),
    expires_at: datetime | None = None,
    name: str = "test key",
) -> tuple[str, dict[str, str]]:
    """(prefix, headers) of a fresh key."""
    key, secret = create_api_key(
        session,
        agency_code=agency_code,
        scopes=list(scopes),
        name=name,
        expires_at=expires_at,
        actor=SYSTEM,
    )
    session.commit()  # the test is the boundary: the service only flushes
    return key.prefix, {"Authorization": f"Bearer {secret}"}
