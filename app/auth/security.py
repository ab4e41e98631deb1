"""Which key is calling: API keys (``Authorization: Bearer``) and how a token becomes a
principal (``authenticate``, which create_app() hands to app.core.access).

Keys look like ``nq57_<prefix>_<secret>``; the prefix finds the row, the SHA-256 of the
whole key must match. Keys carry 256 bits of randomness, so a fast hash is enough.
"""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.agencies.access import province_of
from app.auth.models import ApiKey
from app.core.auth_failures import AuthAttempt, current_attempt
from app.core.config import get_settings
from app.core.errors import Unauthorized
from app.core.principal import Principal
from app.core.types import utcnow
from app.core.vocab import Scope

log = logging.getLogger("app.auth")

KEY_PREFIX = "nq57"
BOOTSTRAP_ACTOR = "bootstrap-admin"
ANONYMOUS_CLIENT = "anonymous"
COORDINATOR_AGENCY = "so-vhttdl"
_LAST_USED_RESOLUTION = timedelta(minutes=1)
_PREFIX_FORMAT = re.compile(r"[0-9a-f]{1,16}")  # what new_key_secret issues


def new_key_secret() -> tuple[str, str, str]:
    """A fresh key: (the full key to show once, its prefix, its hash)."""
    prefix = secrets.token_hex(6)
    full = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return full, prefix, hash_key(full)


def hash_key(full_key: str) -> str:
    return hashlib.sha256(full_key.encode()).hexdigest()


def authenticate(session: Session, token: str, *, attempt: AuthAttempt | None = None) -> Principal:
    """The principal a bearer token stands for; Unauthorized when it stands for none.

    Failures count against the request's address and the key's prefix; while either has
    failed too often, 429 before anything is looked up (app.core.auth_failures).
    ``attempt``: the request's, by default the one its middleware opened."""
    settings = get_settings()
    attempt = attempt if attempt is not None else current_attempt()
    digest = hash_key(token)
    parts = token.split("_", 2)  # the secret part may itself contain "_"
    well_formed = len(parts) == 3 and parts[0] == KEY_PREFIX and _PREFIX_FORMAT.fullmatch(parts[1])
    prefix = parts[1] if well_formed else None
    attempt.check(digest, prefix)
    bootstrap = settings.admin_api_key
    if bootstrap is not None and hmac.compare_digest(
        token.encode(), bootstrap.get_secret_value().encode()
    ):
        return Principal(
            actor=BOOTSTRAP_ACTOR,
            agency_code=COORDINATOR_AGENCY,
            scopes=frozenset({Scope.admin, Scope.write, Scope.read}),
        )
    not_valid = "The API key is not valid."
    if prefix is None:
        raise attempt.failed(digest, "malformed", Unauthorized(not_valid))
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None:  # not a real key's prefix: counted against the address alone
        raise attempt.failed(digest, "unknown", Unauthorized(not_valid))
    if not hmac.compare_digest(key.secret_hash, digest):
        raise attempt.failed(digest, "wrong", Unauthorized(not_valid), prefix=prefix)
    now = utcnow()
    if key.revoked_at is not None:
        raise attempt.failed(digest, "revoked", Unauthorized("The API key has been revoked."))
    if key.expires_at is not None and key.expires_at <= now:
        raise attempt.failed(digest, "expired", Unauthorized("The API key has expired."))
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        _stamp_last_used(session, key, now)
    # Only an admin's reach depends on its agency's province: one read then.
    province = province_of(session, key.agency_code) if Scope.admin in key.scopes else None
    return Principal(
        actor=f"key:{key.prefix}",
        agency_code=key.agency_code,
        scopes=frozenset(key.scopes),
        key_id=key.id,
        province_code=province,
    )


def _stamp_last_used(session: Session, key: ApiKey, now: datetime) -> None:
    """Recorded at one-minute resolution so that reads do not each cost a write, and best
    effort: a busy database must not turn a read into an error. The request's session
    commits once when the route returns (SessionDep), so the stamp is written in a
    savepoint: a failure rolls back the stamp alone, and the request goes on with its
    transaction intact."""
    try:
        with session.begin_nested():
            key.last_used_at = now
            session.add(key)
    except DBAPIError:  # busy, unreachable or read-only (a replica): skip the stamp
        log.debug("last_used_at of key %s not stamped", key.prefix)
